#include "book_service/app.h"

#include <CLI/CLI.hpp>

#include "book_service/auth/token_verifier.h"
#include "book_service/routes/routes.h"
#include "book_service/services/book_service.h"
#include "book_service/services/order_service.h"
#include "book_service/services/user_service.h"
#include "common/clock.h"
#include "common/db/database.h"
#include "common/db/db_options.h"
#include "common/db/migrations.h"
#include "common/db/shared_read.h"
#include "common/http/ops_routes.h"
#include "common/logging.h"
#include "common/metrics.h"

namespace bookstore::book {
std::string_view OpenApiJson();  // embedded docs/openapi/book.json

void AddBookOptions(CLI::App& cmd, BookConfig& config, int& port) {
  AddIntOption(cmd, "--port", "BOOK_PORT", port, 0, 65535,
               "TCP port of the book service (0: any free port, logged at start)");
  AddStringOption(cmd, "--jwks-url", "AUTH_JWKS_URL", config.jwks_url,
                  "URL of the auth service's JWKS (default $AUTH_ISSUER/jwks.json)")
      ->type_name("URL");
}

void FinalizeBookConfig(BookConfig& config, int port) {
  if (port < 0 || port > 65535) {
    throw ConfigError("invalid BOOK_PORT '" + std::to_string(port) +
                      "': expected an integer in [0, 65535]");
  }
  config.port = static_cast<uint16_t>(port);
  Finalize(config.common);
  if (config.jwks_url.empty()) {
    std::string issuer = config.common.issuer;
    while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
    config.jwks_url = issuer + "/jwks.json";
  }
  if (config.jwks_url.rfind("http://", 0) != 0 || config.jwks_url.size() <= 7) {
    throw ConfigError("invalid AUTH_JWKS_URL '" + config.jwks_url +
                      "': expected an http:// URL (terminate TLS in a proxy in front)");
  }
}

BookApp::BookApp(BookConfig config, BookAppDeps deps)
    : config_(std::move(config)),
      clock_(deps.clock ? *deps.clock : SystemClock::Instance()),
      db_(deps.database),
      metrics_(std::make_shared<Metrics>("book")) {
  if (!db_) {
    db_ = db::Database::Open(db::DbOptionsFrom(config_.common));
  }
  JwksFetcher fetcher =
      deps.jwks_fetcher ? std::move(deps.jwks_fetcher) : HttpJwksFetcher(config_.jwks_url);
  jwks_ = std::make_unique<JwksCache>(std::move(fetcher), deps.jwks_options);
  verifier_ = std::make_shared<TokenVerifier>(
      *jwks_, clock_, jwt::VerifyOptions{config_.common.issuer, config_.common.audience, 60});
  books_ = std::make_shared<BookService>(db_, clock_);
  users_ = std::make_shared<UserService>(db_, clock_, config_.common.password_cost);
  orders_ = std::make_shared<OrderService>(db_, clock_);
}

BookApp::~BookApp() { Stop(); }

void BookApp::Start() { jwks_->Start(); }

void BookApp::Stop() { jwks_->Stop(); }

bool BookApp::Ready() {
  try {
    return jwks_->loaded() && db_->Ping() && db::CheckSchema(*db_).ok();
  } catch (const std::exception&) {
    return false;
  }
}

http::Router BookApp::BuildRouter() {
  http::Router router;
  const RouteDeps deps{books_,
                       users_,
                       orders_,
                       verifier_,
                       /*reads_inline=*/db::ReadsInline(*db_),
                       db_};
  AddBookRoutes(router, deps);
  AddUserRoutes(router, deps);
  AddOrderRoutes(router, deps);
  http::OpsOptions ops;
  ops.ready = [this] { return Ready(); };
  ops.openapi_json = std::string(OpenApiJson());
  http::AddOpsRoutes(router, std::move(ops), metrics_);
  return router;
}

http::ServerOptions BookApp::ServerOptions(http::ServerOptions base) const {
  base.service = "book";
  base.metrics = metrics_;
  return base;
}

http::ServerOptions BookApp::ConfiguredServerOptions() const {
  http::ServerOptions o;
  const auto& c = config_.common;
  o.address = c.bind_address;
  o.port = config_.port;
  o.io_threads = c.io_threads;
  // The default pool: on SQLite orders wait for the group commit without a
  // thread (deferred answers), reads run on the io threads, and the other
  // writes queue for SQLite's one writer anyway; on PostgreSQL each worker
  // holds a server connection. CPU-heavy work (argon2id) is bounded to one
  // per core separately (common/passwords.cpp).
  o.worker_threads = c.worker_threads;
  o.header_timeout = std::chrono::milliseconds(c.header_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(c.idle_timeout_ms);
  o.cors_origins = c.cors_origins;
  o.trusted_proxies = c.trusted_proxies;
  o.max_connections = static_cast<size_t>(c.max_connections);
  o.access_log = c.access_log;
  return ServerOptions(std::move(o));
}

}  // namespace bookstore::book
