#include "common/http/client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

namespace bookstore::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

constexpr size_t kBodyLimit = 1 << 20;

struct Target {
  std::string host;
  std::string port;
  std::string path;
};

Result<Target> ParseUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return Error::Unavailable("invalid URL");
  if (parsed->scheme() != "http") return Error::Unavailable("only http:// URLs are supported");
  Target target;
  target.host = parsed->host();
  if (target.host.empty()) return Error::Unavailable("URL has no host");
  target.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  target.path = parsed->encoded_target().empty() ? "/" : std::string(parsed->encoded_target());
  if (target.path.front() != '/') target.path.insert(0, "/");
  return target;
}

// One GET on `stream`; every step is bounded by the deadline timer, which
// closes the stream when it fires.
asio::awaitable<void> Fetch(const Target& target, tcp::resolver& resolver,
                            beast::tcp_stream& stream, Result<ClientResponse>& result,
                            asio::steady_timer& deadline) {
  boost::system::error_code ec;
  auto redirect = asio::redirect_error(asio::use_awaitable, ec);
  auto endpoints = co_await resolver.async_resolve(target.host, target.port, redirect);
  if (ec) {
    result = Error::Unavailable("cannot resolve host");
  } else {
    co_await stream.async_connect(endpoints, redirect);
    if (ec) result = Error::Unavailable("cannot connect");
  }
  if (!ec) {
    bhttp::request<bhttp::empty_body> request{bhttp::verb::get, target.path, 11};
    request.set(bhttp::field::host, target.host);
    request.set(bhttp::field::accept, "application/json");
    request.set(bhttp::field::connection, "close");
    co_await bhttp::async_write(stream, request, redirect);
    if (ec) result = Error::Unavailable("cannot send request");
  }
  if (!ec) {
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kBodyLimit);
    co_await bhttp::async_read(stream, buffer, parser, redirect);
    if (ec == bhttp::error::body_limit) {
      result = Error::Unavailable("response body too large");
    } else if (ec) {
      result = Error::Unavailable("cannot read response");
    } else {
      auto& response = parser.get();
      result = ClientResponse{static_cast<int>(response.result_int()),
                              std::string(response[bhttp::field::content_type]),
                              std::move(response.body())};
    }
  }
  deadline.cancel();
}

}  // namespace

Result<ClientResponse> HttpGet(std::string_view url, std::chrono::milliseconds timeout) {
  auto target = ParseUrl(url);
  if (!target.ok()) return target.error();

  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  asio::steady_timer deadline(ioc, timeout);
  bool timed_out = false;
  deadline.async_wait([&](boost::system::error_code ec) {
    if (ec) return;
    timed_out = true;
    resolver.cancel();
    stream.close();
  });
  Result<ClientResponse> result = Error::Unavailable("request not completed");
  asio::co_spawn(ioc, Fetch(*target, resolver, stream, result, deadline), asio::detached);
  ioc.run();
  if (timed_out && !result.ok()) return Error::Unavailable("request timed out");
  return result;
}

}  // namespace bookstore::http
