#pragma once
// The book service assembled: configuration, database, services, JWKS
// cache, token verifier and the HTTP router (REST + ops routes). Built by
// main() and, in-process, by the API tests (with an injected clock and JWKS
// source).

#include <cstdint>
#include <memory>
#include <string>

#include "book_service/auth/jwks_cache.h"
#include "common/config.h"
#include "common/http/router.h"
#include "common/http/server.h"

namespace CLI {
class App;
}

namespace bookstore {
class Clock;
class Metrics;
namespace db {
class Database;
}
}  // namespace bookstore

namespace bookstore::book {

class BookService;
class UserService;
class OrderService;
class TokenVerifier;

struct BookConfig {
  CommonConfig common;
  uint16_t port = 5001;  // BOOK_PORT / --port
  std::string jwks_url;  // AUTH_JWKS_URL; default issuer + "/jwks.json"
};

// Adds --port (BOOK_PORT, 1..65535) and --jwks-url (AUTH_JWKS_URL) to `cmd`;
// `port` receives the port (a bad value makes parse() throw ConfigError).
void AddBookOptions(CLI::App& cmd, BookConfig& config, int& port);
// Derives defaults (JWKS URL from the issuer) and validates; throws
// ConfigError naming the bad setting. Calls Finalize(config.common).
void FinalizeBookConfig(BookConfig& config, int port);

struct BookAppDeps {
  const Clock* clock = nullptr;  // default: SystemClock
  JwksFetcher jwks_fetcher;      // default: HTTP GET of config.jwks_url
  JwksOptions jwks_options;
  std::shared_ptr<db::Database> database;  // default: opened from config
};

class BookApp {
 public:
  explicit BookApp(BookConfig config, BookAppDeps deps = {});
  ~BookApp();
  BookApp(const BookApp&) = delete;
  BookApp& operator=(const BookApp&) = delete;

  // Starts fetching the JWKS in the background (with backoff).
  void Start();
  // Stops the background JWKS thread.
  void Stop();

  // Every route of the service, ops routes included.
  http::Router BuildRouter();
  // `base` with this service's name and metrics filled in.
  http::ServerOptions ServerOptions(http::ServerOptions base) const;
  // Server options from the configuration (port, address, threads, limits).
  http::ServerOptions ConfiguredServerOptions() const;
  // Database answers, schema current, signing keys loaded.
  bool Ready();

  const BookConfig& config() const { return config_; }
  db::Database& database() { return *db_; }
  BookService& books() { return *books_; }
  UserService& users() { return *users_; }
  OrderService& orders() { return *orders_; }
  JwksCache& jwks() { return *jwks_; }
  TokenVerifier& verifier() { return *verifier_; }

 private:
  BookConfig config_;
  const Clock& clock_;
  std::shared_ptr<db::Database> db_;
  std::shared_ptr<Metrics> metrics_;
  std::unique_ptr<JwksCache> jwks_;
  std::shared_ptr<TokenVerifier> verifier_;
  std::shared_ptr<BookService> books_;
  std::shared_ptr<UserService> users_;
  std::shared_ptr<OrderService> orders_;
};

}  // namespace bookstore::book
