// The HTTP/1.1 request head and body framing (Content-Length, chunked) as the
// server reads them: Beast's request_parser with the server's limits (8 KiB
// of header, 1 MiB of body), fed in two pieces as a socket would, then the
// checks the server applies to the target (query string, %-escapes).
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/http/message.h"

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = size > 0 ? data[0] % (size + 1) : 0;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(1 << 20);
  parser.eager(true);
  boost::system::error_code ec;
  size_t used = 0;
  for (std::string_view piece : {input.substr(0, split), input.substr(split)}) {
    std::string_view rest = piece;
    if (used > 0 && used < split) rest = input.substr(used, split - used);  // unread carry-over
    while (!rest.empty() && !parser.is_done()) {
      const size_t n = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
      if (ec == bhttp::error::need_more) {
        ec = {};
        break;
      }
      if (ec) return 0;
      rest.remove_prefix(n);
      used += n;
      if (n == 0) break;
    }
  }
  if (!parser.is_header_done()) return 0;
  const auto& request = parser.get();
  std::string_view target = request.target();
  const size_t question = target.find('?');
  if (question != std::string_view::npos) {
    (void)bookstore::http::QueryProblem(target.substr(question + 1));
  }
  (void)bookstore::http::PercentDecode(target.substr(0, question), false);
  for (const auto& field : request) (void)bookstore::http::MediaType(field.value());
  return 0;
}
