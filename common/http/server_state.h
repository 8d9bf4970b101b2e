#pragma once
// Internal to common/http (server.cpp, session.cpp): the state one Server
// shares with its connections. Includes Asio, so it is not for other code.

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common/http/router.h"
#include "common/http/server.h"

namespace bookstore::http::internal {

// One accepted connection, as seen by the drain. Fields other than `id` and
// `executor` are touched only on the connection's strand.
struct Connection {
  uint64_t id = 0;
  boost::asio::any_io_executor executor;           // the connection's strand
  boost::asio::ip::tcp::socket* socket = nullptr;  // while the session runs
  bool busy = false;                               // a request was read and is not yet answered
};

struct ServerState {
  ServerState(ServerOptions opts, Router routes, std::vector<Middleware> extra);

  // Runs the middleware chain and the matched route on the calling thread;
  // never throws (an escaping exception becomes a logged 500).
  Response Dispatch(Request& request, const RouteMatch& match) const;

  // The answer to a request the server refused before routing (400, 413,
  // 431): a problem body through request id, access log and metrics.
  Response Reject(Request& request, int status) const;

  // Registry used by the drain; thread-safe. Register assigns the id.
  void Register(const std::shared_ptr<Connection>& connection);
  void Unregister(uint64_t id);
  size_t ConnectionCount();
  // Closes every connection that has no request in flight (drain start).
  void CloseIdleConnections();

  ServerOptions options;
  Router router;
  Handler pipeline;
  std::vector<Middleware> observers;  // request id, access log, metrics

  boost::asio::io_context ioc;
  boost::asio::strand<boost::asio::io_context::executor_type> strand;  // server-level ops
  boost::asio::thread_pool pool;
  boost::asio::steady_timer drain_timer;  // on `strand`
  std::atomic<bool> stopping{false};

 private:
  Response RouteRequest(Request& request) const;

  std::mutex mu_;
  std::unordered_map<uint64_t, std::shared_ptr<Connection>> connections_;
  std::atomic<uint64_t> next_id_{1};
};

// Serves one connection until it closes; runs on the connection's strand.
boost::asio::awaitable<void> ServeConnection(ServerState& state,
                                             std::shared_ptr<Connection> connection,
                                             boost::asio::ip::tcp::socket socket);

}  // namespace bookstore::http::internal
