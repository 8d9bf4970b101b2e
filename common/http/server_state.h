#pragma once
// Internal to common/http (server*.cpp, session.cpp, tick.cpp): the state one
// Server shares with its connections. Includes Asio, so it is not for other
// code.
//
// Threading: one io_context per io thread (concurrency hint 1). A connection
// is assigned to one of them at accept (round-robin) and lives there until it
// closes, so its coroutine needs no strand. Code running elsewhere (the drain,
// Stop) reaches a connection only by posting to the connection's io_context.
// Server-level objects (acceptor, signals, drain timer) live on iocs[0].

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common/http/client_address.h"
#include "common/http/router.h"
#include "common/http/server.h"

namespace bookstore::http::internal {

using IoExecutor = boost::asio::io_context::executor_type;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, IoExecutor>;

// One accepted connection, as seen by the drain. `id` and `ioc` are fixed at
// accept; the other fields are touched only on `ioc`'s thread.
struct Connection {
  uint64_t id = 0;
  boost::asio::io_context* ioc = nullptr;  // the connection's io_context
  Socket* socket = nullptr;                // while the session runs
  bool busy = false;                       // a request was read and is not yet answered
};

struct ServerState {
  ServerState(ServerOptions opts, Router routes, std::vector<Middleware> extra);
  // Waits until every deferred answer still awaited has been handed to its
  // io_context (those may still be running, stopped, but not destroyed).
  ~ServerState();

  // Runs the middleware chain and the matched route on the calling thread;
  // never throws (an escaping exception becomes a logged 500). Moves the
  // path parameters out of `match`.
  Response Dispatch(Request& request, RouteMatch& match) const;

  // Waits (without blocking the thread) until the deferred answer of
  // `request` is given, then returns it through the middleware's after-steps;
  // never throws, like Dispatch. Runs on the connection's io_context.
  boost::asio::awaitable<Response> AwaitAnswer(Request& request,
                                               std::shared_ptr<Deferral> deferral);

  // The answer to a request the server refused before routing (400, 413,
  // 431): a problem body through request id, access log and metrics.
  Response Reject(Request& request, int status) const;

  // Registry used by the drain; thread-safe. Register assigns the id.
  void Register(const std::shared_ptr<Connection>& connection);
  void Unregister(uint64_t id);
  size_t ConnectionCount();
  // Closes every connection that has no request in flight (drain start);
  // the check and the close run on each connection's own io_context.
  void CloseIdleConnections();

  // The io_context a new connection goes to (round-robin); called on iocs[0].
  boost::asio::io_context& NextIoContext();
  boost::asio::io_context& main_ioc() { return *iocs.front(); }
  // Stops every io_context; thread-safe.
  void StopIo();

  ServerOptions options;  // max_connections resolved (never 0)
  AddressSet trusted_proxies;
  Router router;
  Handler pipeline;
  std::vector<Middleware> observers;  // request id, access log, metrics

  // Declared before everything that holds handlers or I/O objects on them.
  std::vector<std::unique_ptr<boost::asio::io_context>> iocs;
  boost::asio::thread_pool pool;
  boost::asio::steady_timer drain_timer;  // on iocs[0]
  std::atomic<bool> stopping{false};

 private:
  Response RouteRequest(Request& request) const;
  // The X-Request-Id every answer carries, even one built by a failure.
  static void EnsureRequestId(const Request& request, Response& response);

  // Deferred answers awaited whose wake-up has not been posted yet.
  std::mutex waits_mu_;
  std::condition_variable waits_done_;
  size_t waits_ = 0;  // guarded by waits_mu_

  std::mutex mu_;
  std::unordered_map<uint64_t, std::shared_ptr<Connection>> connections_;
  std::atomic<uint64_t> next_id_{1};
  size_t next_ioc_ = 0;  // on iocs[0]
};

// Serves one connection until it closes; runs on connection->ioc only.
boost::asio::awaitable<void> ServeConnection(ServerState& state,
                                             std::shared_ptr<Connection> connection, Socket socket);

// Runs `ioc` on the calling thread until it stops, marking the thread as an
// io thread of `ioc` for AtEndOfTick (tick.cpp).
void RunIoThread(boost::asio::io_context& ioc);

}  // namespace bookstore::http::internal
