// One HTTP/1.1 connection: read with limits and timeouts, dispatch (inline
// or on the worker pool), write, keep alive or close.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>

#include "common/http/server_state.h"
#include "common/logging.h"

namespace bookstore::http::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using Clock = std::chrono::steady_clock;

constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kLingerBytes = 4 << 20;  // discarded after an error response
constexpr auto kLingerTime = std::chrono::seconds(2);

Request ToRequest(bhttp::request<bhttp::string_body>& in, const std::string& client) {
  Request request;
  request.method = std::string(in.method_string());
  request.target = std::string(in.target());
  size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.query = request.target.substr(question + 1);
  for (const auto& field : in) {
    request.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(in.body());
  request.client = client;
  return request;
}

bool IsFramingHeader(std::string_view name) {
  return beast::iequals(name, "Content-Length") || beast::iequals(name, "Transfer-Encoding") ||
         beast::iequals(name, "Connection");
}

bhttp::response<bhttp::string_body> ToBeast(Response& response, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> out;
  out.version(version);
  out.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers.fields()) {
    if (IsFramingHeader(name) || value.find_first_of("\r\n") != std::string::npos) continue;
    out.insert(name, value);
  }
  int status = response.status;
  if (status == 204 || status == 304 || (status >= 100 && status < 200)) response.body.clear();
  out.body() = std::move(response.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

// The status to answer a failed read with, or 0 to close silently (timeout,
// peer gone, connection closed by the drain).
int RejectStatus(const boost::system::error_code& ec) {
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return 0;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) return 400;
  return 0;
}

}  // namespace

asio::awaitable<void> ServeConnection(ServerState& state, std::shared_ptr<Connection> connection,
                                      asio::ip::tcp::socket socket) {
  const ServerOptions& options = state.options;
  boost::system::error_code ec;
  auto redirect = asio::redirect_error(asio::use_awaitable, ec);
  std::string client = socket.remote_endpoint(ec).address().to_string();
  beast::tcp_stream stream(std::move(socket));
  connection->socket = &stream.socket();
  beast::flat_buffer buffer;
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
      stream.expires_at(header_deadline);
      co_await bhttp::async_read_header(stream, buffer, *parser, redirect);
      if (ec) {
        reject = RejectStatus(ec);
        break;
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
        co_await bhttp::async_read(stream, buffer, *parser, redirect);
        if (ec) {
          reject = RejectStatus(ec);
          break;
        }
      }

      bhttp::request<bhttp::string_body>& in = parser->get();
      Request request = ToRequest(in, client);
      RouteMatch match = state.router.Match(request.method, request.path);
      Response response;
      if (match.route && match.route->blocking) {
        response = co_await asio::co_spawn(
            state.pool.get_executor(),
            [&state, &request, &match]() -> asio::awaitable<Response> {
              co_return state.Dispatch(request, match);
            },
            asio::use_awaitable);
      } else {
        response = state.Dispatch(request, match);
      }

      bool keep_alive = in.keep_alive() && response.keep_alive && !state.stopping;
      auto out = ToBeast(response, in.version(), keep_alive);
      stream.expires_after(options.write_timeout);
      if (in.method() == bhttp::verb::head) {  // Content-Length kept, body never sent
        bhttp::response_serializer<bhttp::string_body> serializer(out);
        co_await bhttp::async_write_header(stream, serializer, redirect);
      } else {
        co_await bhttp::async_write(stream, out, redirect);
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
    if (parser && parser->is_header_done()) request = ToRequest(parser->get(), client);
    Response problem = state.Reject(request, reject);
    auto out = ToBeast(problem, 11, false);
    stream.expires_after(options.write_timeout);
    co_await bhttp::async_write(stream, out, redirect);
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
