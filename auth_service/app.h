#pragma once
// The auth service assembled: database, signing key, services and the
// router. Constructed by main (real clock and randomness) and in-process by
// API tests (FakeClock, temp database, ephemeral port). Thread-safe after
// construction; outlives the server that uses its router.

#include <memory>

#include "auth_service/auth_config.h"
#include "auth_service/services/authorize_service.h"
#include "auth_service/services/client_service.h"
#include "auth_service/services/key_service.h"
#include "auth_service/services/redirect_origins.h"
#include "auth_service/services/token_service.h"
#include "common/clock.h"
#include "common/http/router.h"
#include "common/http/server.h"
#include "common/jwt.h"
#include "common/passwords.h"

namespace bookstore {
class Metrics;
}

namespace bookstore::db {
class Database;
class Writer;
}  // namespace bookstore::db

namespace bookstore::auth {

// The embedded OpenAPI document (docs/openapi/auth.json).
std::string_view OpenApiJson();

class AuthApp {
 public:
  // `db` must be migrated (see db::CheckSchema); `key` is the signing key.
  AuthApp(AuthConfig config, std::shared_ptr<db::Database> db,
          std::shared_ptr<const jwt::SigningKey> key, const Clock& clock, Random& random);
  ~AuthApp();

  // Publishes the signing key's public JWK and loads the published keys
  // (reloaded every second from then on) and the registered redirect
  // origins (CORS; every 5 s). Call once before serving.
  Status Start();

  // Every route of the service, including /healthz, /readyz, /metrics and
  // /openapi.json (rendering `metrics`).
  http::Router BuildRouter(std::shared_ptr<const Metrics> metrics);

  // Server options from the configuration (service "auth").
  http::ServerOptions ServerOptionsFromConfig() const;

  const AuthConfig& config() const { return config_; }
  db::Database& database() { return *db_; }
  const std::shared_ptr<db::Database>& shared_database() const { return db_; }
  ClientService& clients() { return clients_; }
  AuthorizeService& authorize() { return authorize_; }
  TokenService& tokens() { return tokens_; }
  KeyService& keys() { return keys_; }
  RedirectOrigins& origins() { return origins_; }
  const Clock& clock() const { return clock_; }
  Random& random() { return random_; }
  const PasswordHasher& hasher() const { return hasher_; }

 private:
  AuthConfig config_;
  std::shared_ptr<db::Database> db_;
  std::shared_ptr<db::Writer> writer_;  // every grant, revocation and login write
  const Clock& clock_;
  Random& random_;
  PasswordHasher hasher_;
  ClientService clients_;
  KeyService keys_;
  AuthorizeService authorize_;
  TokenService tokens_;
  RedirectOrigins origins_;  // last: its thread stops before the rest goes
};

}  // namespace bookstore::auth
