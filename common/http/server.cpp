// Server lifecycle: listen, accept, run the io threads, drain on stop.
#include "common/http/server.h"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <optional>
#include <stdexcept>
#include <thread>

#include "common/http/server_state.h"
#include "common/logging.h"
#include "common/thread_name.h"

namespace bookstore::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, Router router, std::vector<Middleware> extra)
      : state(std::move(options), std::move(router), std::move(extra)) {}

  asio::awaitable<void> Accept();
  asio::awaitable<void> Drain();
  void BeginDrain();

  internal::ServerState state;
  std::optional<tcp::acceptor> acceptor;  // on state.main_ioc()
  std::optional<asio::signal_set> signals;
  uint16_t port = 0;
  std::atomic<bool> stop_requested{false};
};

asio::awaitable<void> Server::Impl::Accept() {
  boost::system::error_code ec;
  auto redirect = asio::redirect_error(asio::use_awaitable, ec);
  asio::steady_timer backoff(state.main_ioc());
  uint64_t refused = 0;
  while (!state.stopping) {
    asio::io_context& ioc = state.NextIoContext();
    internal::Socket socket = co_await acceptor->async_accept(ioc, redirect);
    if (ec == asio::error::operation_aborted || state.stopping) break;
    if (ec) {  // e.g. out of file descriptors: wait instead of spinning
      logging::Warn("accept failed: " + ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(redirect);
      continue;
    }
    if (state.ConnectionCount() >= state.options.max_connections) {
      // Closed at once, so queued connections cannot pin the slots; the
      // open ones keep being served.
      boost::system::error_code ignored;
      socket.close(ignored);
      if (refused++ % 1000 == 0) {
        logging::Warn(fmt::format("connection limit ({}) reached: refused {} connection(s)",
                                  state.options.max_connections, refused));
      }
      continue;
    }
    auto connection = std::make_shared<internal::Connection>();
    connection->ioc = &ioc;
    state.Register(connection);
    asio::co_spawn(ioc, internal::ServeConnection(state, connection, std::move(socket)),
                   asio::detached);
  }
}

void Server::Impl::BeginDrain() {
  state.stopping = true;
  boost::system::error_code ignored;
  if (acceptor) acceptor->close(ignored);
  if (signals) signals->cancel(ignored);
  state.CloseIdleConnections();
  asio::co_spawn(state.main_ioc(), Drain(), asio::detached);
}

asio::awaitable<void> Server::Impl::Drain() {
  auto deadline = std::chrono::steady_clock::now() + state.options.drain_timeout;
  boost::system::error_code ec;
  while (state.ConnectionCount() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      logging::Warn(fmt::format("drain timeout: closing {} connection(s) with requests in flight",
                                state.ConnectionCount()));
      break;
    }
    state.drain_timer.expires_at(deadline);
    co_await state.drain_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  state.StopIo();
}

Server::Server(ServerOptions options, Router router, std::vector<Middleware> extra)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), std::move(extra))) {}

Server::~Server() {
  impl_->state.StopIo();
  impl_->state.pool.join();
}

uint16_t Server::Listen() {
  if (impl_->acceptor) return impl_->port;
  const ServerOptions& options = impl_->state.options;
  auto fail = [&](const std::string& reason) {
    impl_->acceptor.reset();
    throw std::runtime_error(
        fmt::format("cannot listen on {}:{}: {}", options.address, options.port, reason));
  };
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options.address, ec);
  if (ec) fail("invalid address");
  tcp::endpoint endpoint(address, options.port);
  impl_->acceptor.emplace(impl_->state.main_ioc());
  if (impl_->acceptor->open(endpoint.protocol(), ec); ec) fail(ec.message());
  impl_->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (impl_->acceptor->bind(endpoint, ec); ec) fail(ec.message());
  if (impl_->acceptor->listen(asio::socket_base::max_listen_connections, ec); ec) {
    fail(ec.message());
  }
  impl_->port = impl_->acceptor->local_endpoint().port();
  return impl_->port;
}

uint16_t Server::port() const { return impl_->port; }

void Server::Run(bool handle_signals) {
  Listen();
  internal::ServerState& state = impl_->state;
  // Idle io_contexts (no connection yet) keep running until StopIo().
  std::vector<asio::executor_work_guard<internal::IoExecutor>> work;
  for (auto& ioc : state.iocs) work.push_back(asio::make_work_guard(*ioc));
  asio::co_spawn(state.main_ioc(), impl_->Accept(), asio::detached);
  if (handle_signals) {
    impl_->signals.emplace(state.main_ioc(), SIGINT, SIGTERM);
    impl_->signals->async_wait([this](boost::system::error_code ec, int) {
      if (!ec) Stop();
    });
  }
  std::vector<std::thread> threads;
  for (size_t i = 1; i < state.iocs.size(); ++i) {
    threads.emplace_back([ioc = state.iocs[i].get()] { internal::RunIoThread(*ioc); });
    NameThread(threads.back(), "io-" + std::to_string(i));
  }
  NameThisThread("io-0");  // no-op on the main thread: it keeps the process name
  internal::RunIoThread(state.main_ioc());
  for (auto& thread : threads) thread.join();
  // Blocking handlers still running finish before Run() returns.
  state.pool.join();
  logging::Flush();
}

void Server::Stop() {
  if (impl_->stop_requested.exchange(true)) return;
  asio::post(impl_->state.main_ioc(), [impl = impl_.get()] { impl->BeginDrain(); });
}

}  // namespace bookstore::http
