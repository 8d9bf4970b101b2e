#pragma once
// The HTTP/1.1 server: one io_context per io thread, a worker pool for
// blocking routes, keep-alive, limits and timeouts, graceful drain.
// Boost.Beast and Asio stay in common/http/*.cpp.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/http/router.h"

namespace bookstore {
class Metrics;
}

namespace bookstore::http {

struct ServerOptions {
  std::string service = "service";  // name in logs and metrics
  std::string address = "0.0.0.0";
  uint16_t port = 0;  // 0: an ephemeral port (see Server::port())
  // 0: max(1, cores - 1). Each io thread runs its own event loop and keeps
  // its connections for their whole life; one core is left to the worker
  // pool (writes, argon2id) and the OS, which an extra io thread would only
  // compete with.
  int io_threads = 0;
  int worker_threads = 0;                            // 0: max(4, 2 * hardware concurrency)
  size_t body_limit = 1 << 20;                       // 413 above
  size_t header_limit = 8 * 1024;                    // 431 above
  std::chrono::milliseconds header_timeout{30'000};  // whole header must arrive within
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive connection idle limit
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds drain_timeout{10'000};  // SIGTERM: wait this long for in-flight
  std::vector<std::string> cors_origins{"http://localhost:3000", "http://localhost:3001",
                                        "http://127.0.0.1:3000", "http://127.0.0.1:3001"};
  // Further allowed origins, asked for an Origin not in cors_origins (the
  // auth service: the origins of registered redirect URIs). Called on io
  // threads: must be thread-safe and must not block. Empty: none.
  std::function<bool(const std::string& origin)> cors_also_allowed;
  bool access_log = true;
  // Peers (addresses, CIDR ranges) whose X-Forwarded-For is believed: the
  // client address is then the right-most forwarded address not itself
  // trusted (http/client_address.h). Empty: the peer is the client.
  std::vector<std::string> trusted_proxies;
  // Open connections at most; past it a new connection is closed at once
  // and those open keep being served. 0: 10,000, or less when the process's
  // file-descriptor limit (minus a reserve for files and outgoing
  // connections) allows fewer.
  size_t max_connections = 0;
  // Shared with AddOpsRoutes so /metrics renders what the server observes.
  // Created by the server when null.
  std::shared_ptr<Metrics> metrics;
};

class Server {
 public:
  // Global middleware (request id, access log, metrics, CORS) is installed by
  // the server; `extra` runs inside it, before routing.
  Server(ServerOptions options, Router router, std::vector<Middleware> extra = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; throws std::runtime_error with a clear message when
  // the address cannot be bound. Returns the bound port.
  uint16_t Listen();
  uint16_t port() const;

  // Serves until Stop() or SIGINT/SIGTERM (when `handle_signals`), then
  // drains: stops accepting, finishes in-flight requests, closes idle
  // connections, returns. Calls Listen() if not yet done.
  void Run(bool handle_signals = true);

  // Thread-safe; begins the drain. Run() returns when it is done.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bookstore::http
