#include "auth_service/services/redirect_origins.h"

#include "auth_service/oauth/redirect_uri.h"
#include "auth_service/services/client_service.h"
#include "common/logging.h"
#include "common/thread_name.h"

namespace bookstore::auth {

RedirectOrigins::RedirectOrigins(ClientService& clients)
    : clients_(clients), origins_(std::make_shared<const std::set<std::string>>()) {}

RedirectOrigins::~RedirectOrigins() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status RedirectOrigins::Refresh() {
  auto clients = clients_.List();
  if (!clients.ok()) return std::move(clients).error();
  auto origins = std::make_shared<std::set<std::string>>();
  for (const auto& client : *clients) {
    for (const auto& uri : client.redirect_uris) {
      std::string origin = UriOrigin(uri);
      if (origin.find("://") != std::string::npos) origins->insert(std::move(origin));
    }
  }
  std::atomic_store(&origins_, std::shared_ptr<const std::set<std::string>>(std::move(origins)));
  return {};
}

void RedirectOrigins::StartRefreshing(std::chrono::milliseconds interval) {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this, interval] {
    NameThisThread("auth-origins");
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      if (auto status = Refresh(); !status.ok()) {
        logging::Event("cors_origins_refresh_failed", {{"reason", status.error().message}});
      }
      lock.lock();
    }
  });
}

bool RedirectOrigins::Contains(const std::string& origin) const {
  const auto origins = std::atomic_load(&origins_);
  return origins->count(origin) > 0;
}

}  // namespace bookstore::auth
