// Server lifecycle: listen, accept, run the io threads, drain on stop.
#include "common/http/server.h"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <optional>
#include <stdexcept>
#include <thread>

#include "common/http/middleware.h"
#include "common/http/problem.h"
#include "common/http/server_state.h"
#include "common/logging.h"
#include "common/metrics.h"

namespace bookstore::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

int IoThreads(int requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

int WorkerThreads(int requested) {
  if (requested > 0) return requested;
  return std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));
}

ServerOptions WithMetrics(ServerOptions options) {
  if (!options.metrics) options.metrics = std::make_shared<Metrics>(options.service);
  return options;
}

// The match of the request being dispatched on this thread (Dispatch runs
// the whole chain synchronously, so routing finds it here).
thread_local const RouteMatch* current_match = nullptr;

}  // namespace

namespace internal {

ServerState::ServerState(ServerOptions opts, Router routes, std::vector<Middleware> extra)
    : options(WithMetrics(std::move(opts))),
      router(std::move(routes)),
      ioc(IoThreads(options.io_threads)),
      strand(asio::make_strand(ioc)),
      pool(static_cast<size_t>(WorkerThreads(options.worker_threads))),
      drain_timer(strand) {
  observers.push_back(RequestIdMiddleware());
  if (options.access_log) observers.push_back(AccessLogMiddleware(options.service));
  observers.push_back(MetricsMiddleware(options.metrics));
  std::vector<Middleware> chain = observers;
  chain.push_back(CorsMiddleware(options.cors_origins, &router));
  for (auto& middleware : extra) chain.push_back(std::move(middleware));
  pipeline = Compose(chain, [this](Request& request) { return RouteRequest(request); });
}

Response ServerState::Dispatch(Request& request, const RouteMatch& match) const {
  if (match.route) request.route = match.route->pattern;
  request.params = match.params;
  const RouteMatch* saved = current_match;
  current_match = &match;
  Response response;
  try {
    response = pipeline(request);
  } catch (const std::exception& e) {
    logging::Error(fmt::format("middleware failed on {} {}: {}", request.method,
                               request.route.empty() ? "unmatched" : request.route, e.what()));
    response = ProblemResponse(Error::Internal());
  } catch (...) {
    logging::Error("middleware failed with a non-standard exception");
    response = ProblemResponse(Error::Internal());
  }
  current_match = saved;
  if (!request.request_id.empty() && !response.headers.Get("X-Request-Id")) {
    response.headers.Set("X-Request-Id", request.request_id);
  }
  return response;
}

Response ServerState::Reject(Request& request, int status) const {
  std::string detail = status == 431   ? "request headers too large"
                       : status == 413 ? "request body too large"
                                       : "malformed HTTP request";
  request.body.clear();
  Handler answer = Compose(observers, [&](Request&) { return ProblemResponse(status, detail); });
  try {
    return answer(request);
  } catch (const std::exception& e) {
    logging::Error(std::string("rejecting a request failed: ") + e.what());
    return ProblemResponse(status, detail);
  }
}

Response ServerState::RouteRequest(Request& request) const {
  const RouteMatch& match = *current_match;
  if (!match.route) {
    if (match.status == 405) {
      Response response = ProblemResponse(405, "method not allowed for this resource");
      response.headers.Set("Allow", match.allow);
      return response;
    }
    return ProblemResponse(404, "no such resource");
  }
  try {
    return match.route->handler(request);
  } catch (const std::exception& e) {
    logging::Error(fmt::format("handler failed on {} {} (request {}): {}", request.method,
                               request.route, request.request_id, e.what()));
  } catch (...) {
    logging::Error(fmt::format("handler failed on {} {} (request {}): non-standard exception",
                               request.method, request.route, request.request_id));
  }
  return ProblemResponse(Error::Internal());
}

void ServerState::Register(const std::shared_ptr<Connection>& connection) {
  connection->id = next_id_++;
  std::lock_guard lock(mu_);
  connections_.emplace(connection->id, connection);
}

void ServerState::Unregister(uint64_t id) {
  bool last;
  {
    std::lock_guard lock(mu_);
    connections_.erase(id);
    last = connections_.empty();
  }
  if (last && stopping) asio::post(strand, [this] { drain_timer.cancel(); });
}

size_t ServerState::ConnectionCount() {
  std::lock_guard lock(mu_);
  return connections_.size();
}

void ServerState::CloseIdleConnections() {
  std::lock_guard lock(mu_);
  for (const auto& [id, connection] : connections_) {
    asio::post(connection->executor, [connection] {
      if (connection->socket && !connection->busy) {
        boost::system::error_code ignored;
        connection->socket->close(ignored);
      }
    });
  }
}

}  // namespace internal

struct Server::Impl {
  Impl(ServerOptions options, Router router, std::vector<Middleware> extra)
      : state(std::move(options), std::move(router), std::move(extra)) {}

  asio::awaitable<void> Accept();
  asio::awaitable<void> Drain();
  void BeginDrain();

  internal::ServerState state;
  std::optional<tcp::acceptor> acceptor;  // on state.strand
  std::optional<asio::signal_set> signals;
  uint16_t port = 0;
  std::atomic<bool> stop_requested{false};
};

asio::awaitable<void> Server::Impl::Accept() {
  boost::system::error_code ec;
  auto redirect = asio::redirect_error(asio::use_awaitable, ec);
  asio::steady_timer backoff(state.strand);
  while (!state.stopping) {
    tcp::socket socket = co_await acceptor->async_accept(asio::make_strand(state.ioc), redirect);
    if (ec == asio::error::operation_aborted || state.stopping) break;
    if (ec) {  // e.g. out of file descriptors: wait instead of spinning
      logging::Warn("accept failed: " + ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(redirect);
      continue;
    }
    auto connection = std::make_shared<internal::Connection>();
    connection->executor = socket.get_executor();
    state.Register(connection);
    asio::co_spawn(connection->executor,
                   internal::ServeConnection(state, connection, std::move(socket)), asio::detached);
  }
}

void Server::Impl::BeginDrain() {
  state.stopping = true;
  boost::system::error_code ignored;
  if (acceptor) acceptor->close(ignored);
  if (signals) signals->cancel(ignored);
  state.CloseIdleConnections();
  asio::co_spawn(state.strand, Drain(), asio::detached);
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
  state.ioc.stop();
}

Server::Server(ServerOptions options, Router router, std::vector<Middleware> extra)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), std::move(extra))) {}

Server::~Server() {
  impl_->state.ioc.stop();
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
  impl_->acceptor.emplace(impl_->state.strand);
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
  asio::co_spawn(state.strand, impl_->Accept(), asio::detached);
  if (handle_signals) {
    impl_->signals.emplace(state.strand, SIGINT, SIGTERM);
    impl_->signals->async_wait([this](boost::system::error_code ec, int) {
      if (!ec) Stop();
    });
  }
  std::vector<std::thread> threads;
  for (int i = 1; i < IoThreads(state.options.io_threads); ++i) {
    threads.emplace_back([&state] { state.ioc.run(); });
  }
  state.ioc.run();
  for (auto& thread : threads) thread.join();
  // Blocking handlers still running finish before Run() returns.
  state.pool.join();
}

void Server::Stop() {
  if (impl_->stop_requested.exchange(true)) return;
  asio::post(impl_->state.strand, [impl = impl_.get()] { impl->BeginDrain(); });
}

}  // namespace bookstore::http
