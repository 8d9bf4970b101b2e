#include "auth_service/services/redirect_origins.h"

#include "auth_service/oauth/redirect_uri.h"
#include "auth_service/services/client_service.h"
#include "common/logging.h"
#include "common/periodic.h"

namespace bookstore::auth {

RedirectOrigins::RedirectOrigins(ClientService& clients)
    : clients_(clients), origins_(std::make_shared<const std::set<std::string>>()) {}

RedirectOrigins::~RedirectOrigins() = default;

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
  if (refresher_) return;
  refresher_ = std::make_unique<Periodic>("auth-origins", interval, [this] {
    if (auto status = Refresh(); !status.ok()) {
      logging::Event("cors_origins_refresh_failed", {{"reason", status.error().message}});
    }
  });
}

bool RedirectOrigins::Contains(const std::string& origin) const {
  const auto origins = std::atomic_load(&origins_);
  return origins->count(origin) > 0;
}

}  // namespace bookstore::auth
