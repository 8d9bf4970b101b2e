// ServerState: the middleware pipeline, dispatch, and the connection
// registry the drain uses.
#include "common/http/server_state.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "common/http/deferred.h"
#include "common/http/middleware.h"
#include "common/http/problem.h"
#include "common/logging.h"
#include "common/metrics.h"

namespace bookstore::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// One core is left to the worker pool (writes, argon2id) and the OS: on a
// small machine an extra io thread only competes with them.
int IoThreads(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
}

std::vector<std::unique_ptr<asio::io_context>> MakeIoContexts(int count) {
  std::vector<std::unique_ptr<asio::io_context>> iocs;
  for (int i = 0; i < count; ++i) iocs.push_back(std::make_unique<asio::io_context>(1));
  return iocs;
}

int WorkerThreads(int requested) {
  if (requested > 0) return requested;
  return std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));
}

// Descriptors kept for the database, logs, key files and outgoing
// connections (JWKS) when the connection limit comes from RLIMIT_NOFILE.
constexpr size_t kReservedDescriptors = 64;
constexpr size_t kDefaultMaxConnections = 10'000;

size_t MaxConnections(size_t requested) {
  if (requested > 0) return requested;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
    return kDefaultMaxConnections;
  }
  const auto usable = static_cast<size_t>(limit.rlim_cur);
  if (usable <= 2 * kReservedDescriptors) return std::max<size_t>(1, usable / 2);
  return std::min(kDefaultMaxConnections, usable - kReservedDescriptors);
}

ServerOptions Resolved(ServerOptions options) {
  if (!options.metrics) options.metrics = std::make_shared<Metrics>(options.service);
  options.max_connections = MaxConnections(options.max_connections);
  return options;
}

// Inside a catch block: logs the exception that escaped the middleware
// (never its text in a body) and returns the 500 answer.
Response MiddlewareFailed(const Request& request) {
  try {
    throw;
  } catch (const std::exception& e) {
    logging::Error(fmt::format("middleware failed on {} {}: {}", request.method,
                               request.route.empty() ? "unmatched" : request.route, e.what()));
  } catch (...) {
    logging::Error("middleware failed with a non-standard exception");
  }
  return ProblemResponse(Error::Internal());
}

// The match of the request being dispatched on this thread (Dispatch runs
// the whole chain synchronously, so routing finds it here).
thread_local const RouteMatch* current_match = nullptr;

}  // namespace

namespace internal {

ServerState::ServerState(ServerOptions opts, Router routes, std::vector<Middleware> extra)
    : options(Resolved(std::move(opts))),
      trusted_proxies(AddressSet::Parse(options.trusted_proxies)),
      router(std::move(routes)),
      iocs(MakeIoContexts(IoThreads(options.io_threads))),
      pool(static_cast<size_t>(WorkerThreads(options.worker_threads))),
      drain_timer(main_ioc()) {
  observers.push_back(RequestIdMiddleware());
  if (options.access_log) observers.push_back(AccessLogMiddleware(options.service));
  observers.push_back(MetricsMiddleware(options.metrics));
  std::vector<Middleware> chain = observers;
  chain.push_back(CorsMiddleware(options.cors_origins, &router, options.cors_also_allowed));
  chain.push_back(QueryCheckMiddleware());
  for (auto& middleware : extra) chain.push_back(std::move(middleware));
  pipeline = Compose(chain, [this](Request& request) { return RouteRequest(request); });
}

Response ServerState::Dispatch(Request& request, RouteMatch& match) const {
  if (match.route) request.route = match.route->pattern;
  request.params = std::move(match.params);
  const RouteMatch* saved = current_match;
  current_match = &match;
  Response response;
  try {
    response = pipeline(request);
  } catch (...) {
    response = MiddlewareFailed(request);
  }
  current_match = saved;
  if (!response.deferral) EnsureRequestId(request, response);
  return response;
}

void ServerState::EnsureRequestId(const Request& request, Response& response) {
  if (!request.request_id.empty() && !response.headers.Get("X-Request-Id")) {
    response.headers.Set("X-Request-Id", request.request_id);
  }
}

ServerState::~ServerState() {
  std::unique_lock lock(waits_mu_);
  waits_done_.wait(lock, [this] { return waits_ == 0; });
}

asio::awaitable<Response> ServerState::AwaitAnswer(Request& request,
                                                   std::shared_ptr<Deferral> deferral) {
  {
    std::lock_guard lock(waits_mu_);
    ++waits_;
  }
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
      [this, &deferral](auto handler) {
        // The coroutine's handler is move-only; std::function needs a copy.
        auto resume = std::make_shared<decltype(handler)>(std::move(handler));
        deferral->Wait([this, resume] {
          asio::post(std::move(*resume));  // to the connection's io_context
          std::lock_guard lock(waits_mu_);
          if (--waits_ == 0) waits_done_.notify_all();
        });
      },
      asio::use_awaitable);
  Response response;
  try {
    response = deferral->Finish();
  } catch (...) {
    response = MiddlewareFailed(request);
  }
  EnsureRequestId(request, response);
  co_return response;
}

Response ServerState::Reject(Request& request, int status) const {
  std::string detail = status == 431   ? "request headers too large"
                       : status == 413 ? "request body too large"
                       : status == 501 ? "transfer coding not implemented"
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
  if (last && stopping) asio::post(main_ioc(), [this] { drain_timer.cancel(); });
}

size_t ServerState::ConnectionCount() {
  std::lock_guard lock(mu_);
  return connections_.size();
}

void ServerState::CloseIdleConnections() {
  std::lock_guard lock(mu_);
  for (const auto& [id, connection] : connections_) {
    asio::post(*connection->ioc, [connection] {
      if (connection->socket && !connection->busy) {
        boost::system::error_code ignored;
        connection->socket->close(ignored);
      }
    });
  }
}

asio::io_context& ServerState::NextIoContext() {
  asio::io_context& ioc = *iocs[next_ioc_];
  next_ioc_ = (next_ioc_ + 1) % iocs.size();
  return ioc;
}

void ServerState::StopIo() {
  for (auto& ioc : iocs) ioc->stop();
}

}  // namespace internal

}  // namespace bookstore::http
