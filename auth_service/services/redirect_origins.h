#pragma once
// The origins of every registered client's redirect URIs, for CORS at the
// auth service (contract §5): an SPA on a registered redirect origin may
// call /token, /revoke, /userinfo and the metadata from the browser. A
// snapshot read without locks on the io threads; reloaded from the database
// by Refresh() and, once started, every `interval` on its own thread (clients
// registered by the CLI in another process are seen within that interval).
// Thread-safe.

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "common/result.h"

namespace bookstore {
class Periodic;
}

namespace bookstore::auth {

class ClientService;

class RedirectOrigins {
 public:
  explicit RedirectOrigins(ClientService& clients);
  ~RedirectOrigins();  // stops the refresh thread
  RedirectOrigins(const RedirectOrigins&) = delete;
  RedirectOrigins& operator=(const RedirectOrigins&) = delete;

  // Reloads the snapshot now. Unavailable when the database is; the old
  // snapshot stays.
  Status Refresh();
  // Starts the periodic refresh (once; later calls do nothing).
  void StartRefreshing(std::chrono::milliseconds interval);
  // True when `origin` ("scheme://host[:port]") is one of the snapshot's.
  // Never blocks.
  bool Contains(const std::string& origin) const;

 private:
  ClientService& clients_;
  std::shared_ptr<const std::set<std::string>> origins_;  // atomic_load/atomic_store
  std::mutex mu_;
  std::unique_ptr<Periodic> refresher_;  // guarded by mu_
};

}  // namespace bookstore::auth
