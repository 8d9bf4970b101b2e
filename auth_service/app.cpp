#include "auth_service/app.h"

#include "auth_service/routes/routes.h"
#include "common/db/database.h"
#include "common/db/migrations.h"
#include "common/db/writer.h"
#include "common/http/ops_routes.h"

namespace bookstore::auth {
namespace {

AuthorizeSettings MakeAuthorizeSettings(const AuthConfig& c) {
  AuthorizeSettings s;
  s.code_ttl = c.auth_code_ttl;
  s.session_ttl = c.session_ttl;
  return s;
}

TokenSettings MakeTokenSettings(const AuthConfig& c) {
  TokenSettings s;
  s.issuer = c.common.issuer;
  s.audience = c.common.audience;
  s.access_token_ttl = c.access_token_ttl;
  s.refresh_token_ttl = c.refresh_token_ttl;
  return s;
}

}  // namespace

AuthApp::AuthApp(AuthConfig config, std::shared_ptr<db::Database> db,
                 std::shared_ptr<const jwt::SigningKey> key, const Clock& clock, Random& random)
    : config_(std::move(config)),
      db_(std::move(db)),
      writer_(db::Writer::Open(db_)),
      clock_(clock),
      random_(random),
      hasher_(config_.common.password_cost),
      clients_(db_, clock_, random_),
      keys_(db_, clock_, std::move(key)),
      authorize_(db_, writer_, clients_, hasher_, clock_, random_, MakeAuthorizeSettings(config_)),
      tokens_(db_, writer_, keys_, clock_, random_, MakeTokenSettings(config_)),
      origins_(clients_) {}

AuthApp::~AuthApp() = default;

Status AuthApp::Start() {
  if (auto published = keys_.Publish(); !published.ok()) return published;
  keys_.StartRefreshing(std::chrono::seconds(1));
  if (auto loaded = origins_.Refresh(); !loaded.ok()) return loaded;
  origins_.StartRefreshing(std::chrono::seconds(5));
  return {};
}

http::Router AuthApp::BuildRouter(std::shared_ptr<const Metrics> metrics) {
  http::Router router;
  AddMetadataRoutes(router, *this);
  AddAuthorizeRoutes(router, *this);
  AddLogoutRoutes(router, *this);
  AddTokenRoutes(router, *this);
  http::OpsOptions ops;
  auto db = db_;
  ops.ready = [db]() {
    try {
      return db->Ping() && db::CheckSchema(*db).ok();
    } catch (const std::exception&) {
      return false;
    }
  };
  ops.openapi_json = std::string(OpenApiJson());
  http::AddOpsRoutes(router, std::move(ops), std::move(metrics));
  return router;
}

http::ServerOptions AuthApp::ServerOptionsFromConfig() const {
  http::ServerOptions o;
  o.service = "auth";
  o.address = config_.common.bind_address;
  o.port = static_cast<uint16_t>(config_.port);
  o.io_threads = config_.common.io_threads;
  o.worker_threads = config_.common.worker_threads;
  o.header_timeout = std::chrono::milliseconds(config_.common.header_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(config_.common.idle_timeout_ms);
  o.cors_origins = config_.common.cors_origins;
  const RedirectOrigins* origins = &origins_;
  o.cors_also_allowed = [origins](const std::string& origin) { return origins->Contains(origin); };
  o.trusted_proxies = config_.common.trusted_proxies;
  o.max_connections = static_cast<size_t>(config_.common.max_connections);
  o.access_log = config_.common.access_log;
  return o;
}

}  // namespace bookstore::auth
