// One HTTP/1.1 connection: read with limits and timeouts, dispatch (inline
// or on the worker pool), await a deferred answer, write, keep alive or
// close. Runs on the connection's own io_context only (no strand: the
// coroutine is the only code touching the connection).
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/server_state.h"
#include "common/logging.h"
#include "common/thread_name.h"

namespace bookstore::http::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using Clock = std::chrono::steady_clock;
using Stream = beast::basic_stream<asio::ip::tcp, IoExecutor>;

// Names a thread of the blocking pool "worker" (top -H) the first time it
// runs a handler.
void NameWorkerThread() {
  thread_local bool named = false;
  if (!named) NameThisThread("worker");
  named = true;
}

constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kLingerBytes = 4 << 20;  // discarded after an error response
constexpr auto kLingerTime = std::chrono::seconds(2);

// RFC 9112 §3.2.2: an absolute-form target ("http://host/path?q") names the
// same resource as its origin form ("/path?q"); returns that origin form.
std::string_view OriginForm(std::string_view target) {
  if (target.empty() || target.front() == '/') return target;
  size_t scheme = target.find("://");
  if (scheme == std::string_view::npos || !(beast::iequals(target.substr(0, scheme), "http") ||
                                            beast::iequals(target.substr(0, scheme), "https"))) {
    return target;
  }
  size_t start = target.find_first_of("/?", scheme + 3);
  if (start == std::string_view::npos) return "/";
  return target.substr(start);  // "?q" alone: ToRequest makes the path "/"
}

// The request as handlers see it; moves the body out of `in`.
Request ToRequest(bhttp::request<bhttp::string_body>& in, std::string_view client) {
  Request request;
  request.method.assign(in.method_string());
  request.target.assign(in.target());
  std::string_view target = OriginForm(request.target);
  size_t question = target.find('?');
  request.path.assign(target.substr(0, question));
  if (request.path.empty()) request.path = "/";
  if (question != std::string_view::npos) request.query.assign(target.substr(question + 1));
  request.headers.Reserve(static_cast<size_t>(std::distance(in.begin(), in.end())));
  for (const auto& field : in) {
    request.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(in.body());
  request.client.assign(client);
  return request;
}

bool IsFramingHeader(std::string_view name) {
  return beast::iequals(name, "Content-Length") || beast::iequals(name, "Transfer-Encoding") ||
         beast::iequals(name, "Connection");
}

// Replaces `out` with the status line and header block of `response`, byte
// for byte what Beast's serializer wrote for the same message: the
// handler's fields in order (framing fields and fields with CR/LF dropped,
// values trimmed), then Connection as `keep_alive` requires for `version`,
// then Content-Length. Clears the body of 1xx, 204 and 304 answers.
void SerializeHead(Response& response, unsigned version, bool keep_alive, std::string& out) {
  int status = response.status;
  if (status == 204 || status == 304 || (status >= 100 && status < 200)) response.body.clear();
  out.assign("HTTP/x.y 000 ");
  out[5] = static_cast<char>('0' + version / 10);
  out[7] = static_cast<char>('0' + version % 10);
  out[9] = static_cast<char>('0' + status / 100 % 10);
  out[10] = static_cast<char>('0' + status / 10 % 10);
  out[11] = static_cast<char>('0' + status % 10);
  out.append(bhttp::obsolete_reason(static_cast<bhttp::status>(status)));
  out.append("\r\n");
  for (const auto& [name, value] : response.headers.fields()) {
    if (name.empty() || IsFramingHeader(name) || name.find_first_of("\r\n") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      continue;
    }
    out.append(name).append(": ").append(TrimBlanks(value)).append("\r\n");
  }
  if (version >= 11 && !keep_alive) out.append("Connection: close\r\n");
  if (version < 11 && keep_alive) out.append("Connection: keep-alive\r\n");
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), response.body.size());
  out.append("Content-Length: ").append(digits, end).append("\r\n\r\n");
}

// RFC 9112 §3.2: an HTTP/1.1 request names exactly one Host, and no
// request names more than one. A request breaking this is answered 400.
bool HostIsValid(const bhttp::request<bhttp::string_body>& in) {
  auto [first, last] = in.equal_range(bhttp::field::host);
  if (first == last) return in.version() < 11;
  return std::next(first) == last;
}

// The client address of `in` from `peer` (contract §6: X-Forwarded-For
// only from trusted proxies; several fields are one comma-separated list).
std::string ClientOf(const ServerState& state, const bhttp::request<bhttp::string_body>& in,
                     const std::string& peer) {
  if (state.trusted_proxies.empty()) return peer;
  std::string forwarded;
  auto [first, last] = in.equal_range("X-Forwarded-For");
  for (auto it = first; it != last; ++it) {
    if (!forwarded.empty()) forwarded += ',';
    forwarded.append(it->value());
  }
  return ClientAddress(peer, forwarded, state.trusted_proxies);
}

// The route of a request whose header has been read.
RouteMatch MatchHead(const ServerState& state, const bhttp::request<bhttp::string_body>& in) {
  std::string_view target = OriginForm(in.target());
  std::string_view path = target.substr(0, target.find('?'));
  return state.router.Match(in.method_string(), path.empty() ? std::string_view("/") : path);
}

// RFC 9112 §6.1 and §6.3: the only transfer coding a request may carry is a
// single, final `chunked`. Returns 0 when the framing is acceptable, 400 when
// chunked is not the final coding (the body length cannot be known) or is
// repeated, 501 for any other coding.
int TransferEncodingStatus(const bhttp::request<bhttp::string_body>& in) {
  auto [first, last] = in.equal_range(bhttp::field::transfer_encoding);
  if (first == last) return 0;
  std::vector<std::string_view> codings;
  for (auto it = first; it != last; ++it) {
    std::string_view value = it->value();
    while (true) {
      size_t comma = value.find(',');
      std::string_view coding = TrimBlanks(value.substr(0, comma));
      if (!coding.empty()) codings.push_back(coding);
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  if (codings.empty() || !beast::iequals(codings.back(), "chunked")) return 400;
  for (size_t i = 0; i + 1 < codings.size(); ++i) {
    if (beast::iequals(codings[i], "chunked")) return 400;
  }
  if (codings.size() > 1) return 501;   // e.g. "gzip, chunked": a coding we do not implement
  return in.version() >= 11 ? 0 : 400;  // HTTP/1.0 has no chunked framing
}

// The longest chunk-size line (with extensions) or trailer line accepted.
constexpr size_t kMaxFramingLine = 4096;

// The status to answer a failed read with, or 0 to close silently (timeout,
// peer gone, connection closed by the drain).
int RejectStatus(const boost::system::error_code& ec) {
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return 0;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) return 400;
  return 0;
}

// Reads the rest of the body into `parser`. Returns 0 when the message is
// complete or the peer went away (the parser is then not done), else the
// status to reject it with: 413 past the body limit, 400 for malformed
// framing, including chunk lines that end in a bare LF (Beast would wait for
// a CRLF that never comes) or run past kMaxFramingLine.
asio::awaitable<int> ReadBody(Stream& stream, beast::flat_buffer& buffer,
                              bhttp::request_parser<bhttp::string_body>& parser) {
  boost::system::error_code ec;
  auto redirect = asio::redirect_error(asio::use_awaitable, ec);
  parser.eager(true);
  while (true) {
    if (buffer.size() > 0) {
      buffer.consume(parser.put(buffer.data(), ec));
      if (ec && ec != bhttp::error::need_more) {
        co_return ec == bhttp::error::body_limit ? 413 : 400;
      }
      ec = {};
      if (parser.is_done()) co_return 0;
      // What the parser left is an incomplete framing line; a complete one
      // (ending in CRLF) would have been consumed.
      if (parser.chunked()) {
        std::string_view rest(static_cast<const char*>(buffer.data().data()), buffer.size());
        if (rest.find('\n') != std::string_view::npos || rest.size() > kMaxFramingLine)
          co_return 400;
      }
    }
    size_t n = co_await stream.async_read_some(buffer.prepare(kReadChunk), redirect);
    if (ec) co_return 0;
    buffer.commit(n);
  }
}

}  // namespace

asio::awaitable<void> ServeConnection(ServerState& state, std::shared_ptr<Connection> connection,
                                      Socket socket) {
  const ServerOptions& options = state.options;
  boost::system::error_code ec;
  auto redirect = asio::redirect_error(asio::use_awaitable, ec);
  std::string client = socket.remote_endpoint(ec).address().to_string();
  Stream stream(std::move(socket));
  connection->socket = &stream.socket();
  beast::flat_buffer buffer;
  std::string head;  // the response's status line and fields, reused
  // The first request's header must arrive within header_timeout of the
  // connection start; later ones within header_timeout of their first byte.
  Clock::time_point header_deadline = Clock::now() + options.header_timeout;
  bool first = true;
  int reject = 0;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser;

  try {
    while (!state.stopping || first) {
      if (buffer.size() == 0) {
        if (first) {
          stream.expires_at(header_deadline);
        } else {
          stream.expires_after(options.idle_timeout);
        }
        size_t n = co_await stream.async_read_some(buffer.prepare(kReadChunk), redirect);
        if (ec) break;
        buffer.commit(n);
        if (!first) header_deadline = Clock::now() + options.header_timeout;
      }
      parser.emplace();
      parser->header_limit(static_cast<uint32_t>(options.header_limit));
      parser->body_limit(options.body_limit);
      // Usually the whole header is buffered already: parse it in place.
      buffer.consume(parser->put(buffer.data(), ec));
      if (ec == bhttp::error::need_more) {
        ec = {};
        stream.expires_at(header_deadline);
        co_await bhttp::async_read_header(stream, buffer, *parser, redirect);
      }
      if (ec) {
        reject = RejectStatus(ec);
        break;
      }
      if (!HostIsValid(parser->get())) {
        reject = 400;
        break;
      }
      if (int status = TransferEncodingStatus(parser->get()); status != 0) {
        reject = status;
        break;
      }
      // Routed before the body is read, so a route's own body limit applies.
      RouteMatch match = MatchHead(state, parser->get());
      if (match.route && match.route->body_limit > 0) {
        const size_t limit = match.route->body_limit;
        const auto length = parser->content_length();
        if (length && *length > limit) {
          reject = 413;
          break;
        }
        parser->body_limit(limit);
      }
      connection->busy = true;
      if (!parser->is_done()) {
        if (beast::iequals(parser->get()[bhttp::field::expect], "100-continue")) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          stream.expires_after(options.write_timeout);
          co_await asio::async_write(stream, asio::buffer(kContinue), redirect);
          if (ec) break;
        }
        stream.expires_after(options.header_timeout);
        reject = co_await ReadBody(stream, buffer, *parser);
        if (reject != 0 || !parser->is_done()) break;
      }

      bhttp::request<bhttp::string_body>& in = parser->get();
      Request request = ToRequest(in, ClientOf(state, in, client));
      Response response;
      if (match.route && match.route->blocking) {
        // Resumes on this connection's io_context.
        response = co_await asio::co_spawn(
            state.pool.get_executor(),
            [&state, &request, &match]() -> asio::awaitable<Response> {
              NameWorkerThread();
              co_return state.Dispatch(request, match);
            },
            asio::use_awaitable);
      } else {
        response = state.Dispatch(request, match);
      }
      if (response.deferral) {
        response = co_await state.AwaitAnswer(request, std::move(response.deferral));
      }

      bool keep_alive = in.keep_alive() && response.keep_alive && !state.stopping;
      SerializeHead(response, in.version(), keep_alive, head);
      stream.expires_after(options.write_timeout);
      if (in.method() == bhttp::verb::head) {  // Content-Length kept, body never sent
        co_await asio::async_write(stream, asio::buffer(head), redirect);
      } else {
        std::array<asio::const_buffer, 2> message{asio::buffer(head), asio::buffer(response.body)};
        co_await asio::async_write(stream, message, redirect);
      }
      connection->busy = false;
      if (ec || !keep_alive) break;
      first = false;
    }
  } catch (const std::exception& e) {  // a bug: drop the connection, keep the server
    logging::Error(std::string("connection failed: ") + e.what());
    reject = 0;
  }

  if (reject != 0) {
    // Answer, then read and drop what the client is still sending so that
    // closing does not reset the connection before it reads the answer.
    Request request;
    request.client = client;
    if (parser && parser->is_header_done()) {
      request = ToRequest(parser->get(), ClientOf(state, parser->get(), client));
    }
    Response problem = state.Reject(request, reject);
    SerializeHead(problem, 11, false, head);
    std::array<asio::const_buffer, 2> message{asio::buffer(head), asio::buffer(problem.body)};
    stream.expires_after(options.write_timeout);
    co_await asio::async_write(stream, message, redirect);
    if (!ec) {
      stream.socket().shutdown(asio::socket_base::shutdown_send, ec);
      stream.expires_after(kLingerTime);
      std::vector<char> sink(kReadChunk);
      for (size_t dropped = 0; dropped < kLingerBytes;) {
        size_t n = co_await stream.async_read_some(asio::buffer(sink), redirect);
        if (ec) break;
        dropped += n;
      }
    }
  } else {
    stream.socket().shutdown(asio::socket_base::shutdown_send, ec);
  }
  connection->socket = nullptr;
  stream.close();
  state.Unregister(connection->id);
}

}  // namespace bookstore::http::internal
