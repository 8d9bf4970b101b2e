// A bare Boost.Beast hello-world built with the project's flags: the baseline
// for the framework-overhead ratio of `GET /healthz`. Threading mirrors
// common/http/server.cpp: one io_context per thread (concurrency hint 1),
// connections assigned round-robin at accept and kept there, no strands,
// max(1, cores - 1) threads by default. Usage: hello_beast PORT [THREADS]
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using Socket = asio::basic_stream_socket<tcp, asio::io_context::executor_type>;

static asio::awaitable<void> Session(Socket socket) {
  beast::basic_stream<tcp, asio::io_context::executor_type> stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    auto [ec, n] =
        co_await http::async_read(stream, buffer, req, asio::as_tuple(asio::use_awaitable));
    if (ec) break;
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::content_type, "application/json");
    res.body() = R"({"status":"ok"})";
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    if (wec || !res.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

static asio::awaitable<void> Listen(tcp::acceptor acceptor,
                                    std::vector<std::unique_ptr<asio::io_context>>& iocs) {
  for (size_t next = 0;; next = (next + 1) % iocs.size()) {
    asio::io_context& ioc = *iocs[next];
    Socket socket = co_await acceptor.async_accept(ioc, asio::use_awaitable);
    asio::co_spawn(ioc, Session(std::move(socket)), asio::detached);
  }
}

int main(int argc, char** argv) {
  const unsigned short port = argc > 1 ? static_cast<unsigned short>(std::atoi(argv[1])) : 8099;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  const int threads = argc > 2 ? std::atoi(argv[2]) : std::max(1, cores - 1);
  std::vector<std::unique_ptr<asio::io_context>> iocs;
  for (int i = 0; i < std::max(1, threads); ++i) {
    iocs.push_back(std::make_unique<asio::io_context>(1));
  }
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  for (auto& ioc : iocs) work.push_back(asio::make_work_guard(*ioc));
  asio::io_context& main = *iocs.front();
  tcp::acceptor acceptor(main, {asio::ip::make_address("127.0.0.1"), port});
  asio::co_spawn(main, Listen(std::move(acceptor), iocs), asio::detached);
  asio::signal_set signals(main, SIGINT, SIGTERM);
  signals.async_wait([&](auto, auto) {
    for (auto& ioc : iocs) ioc->stop();
  });
  std::vector<std::thread> pool;
  for (size_t i = 1; i < iocs.size(); ++i) pool.emplace_back([&ioc = *iocs[i]] { ioc.run(); });
  main.run();
  for (auto& t : pool) t.join();
}
