#pragma once
// The book service in-process on an ephemeral port (real server, real
// SQLite or PostgreSQL database, real HTTP JWKS fetch from a tiny JWKS
// server in the test), with a FakeClock and tokens signed by a test key.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <mutex>
#include <string>

#include "book_service/app.h"
#include "book_service/services/user_service.h"
#include "common/clock.h"
#include "common/jwt.h"
#include "tests/support/http_client.h"
#include "tests/support/openapi_validator.h"
#include "tests/support/test_env.h"

namespace bookstore::book::test {

using bookstore::test::HeaderList;
using bookstore::test::HttpClient;
using bookstore::test::HttpResponse;

constexpr const char* kIssuer = "http://issuer.test";
constexpr const char* kAudience = "bookstore-api";
constexpr const char* kAllAdminScopes = "books:write users:manage orders orders:manage";

// Serves GET /jwks.json with a body and status the test sets; counts hits.
class JwksServer {
 public:
  JwksServer() {
    http::Router router;
    router.Add("GET", "/jwks.json", [this](http::Request&) {
      std::lock_guard lock(mu_);
      ++hits_;
      return http::Response::Json(status_, body_);
    });
    server_ = std::make_unique<bookstore::test::RunningServer>(
        bookstore::test::TestServerOptions("jwks"), std::move(router));
  }
  void Serve(int status, std::string body) {
    std::lock_guard lock(mu_);
    status_ = status;
    body_ = std::move(body);
  }
  int hits() {
    std::lock_guard lock(mu_);
    return hits_;
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/jwks.json";
  }

 private:
  std::mutex mu_;
  int status_ = 503;
  std::string body_ = "{}";
  int hits_ = 0;
  std::unique_ptr<bookstore::test::RunningServer> server_;
};

inline std::shared_ptr<const jwt::SigningKey> TestKey() {
  static auto key = jwt::SigningKey::Generate();
  return key;
}

inline std::shared_ptr<const jwt::SigningKey> OtherKey() {
  static auto key = jwt::SigningKey::Generate();
  return key;
}

inline boost::json::value Json(const std::string& text) { return boost::json::parse(text); }

struct AppOptions {
  std::string dialect = "sqlite";
  bool keys_available = true;
  std::chrono::milliseconds min_refetch_interval{0};
};

class BookApiTest : public ::testing::Test {
 protected:
  explicit BookApiTest(AppOptions options = {}) : options_(options), db_(options.dialect) {}

  void SetUp() override {
    if (options_.keys_available) ServeKeys({TestKey()});
    BookConfig config;
    config.common.database_url = db_.url();
    config.common.issuer = kIssuer;
    config.common.audience = kAudience;
    config.common.password_cost = PasswordCost::Minimal();
    config.jwks_url = jwks_.url();
    BookAppDeps deps;
    deps.clock = &clock_;
    deps.database = db_.OpenMigrated();
    deps.jwks_options.initial_backoff = std::chrono::milliseconds(20);
    deps.jwks_options.max_backoff = std::chrono::milliseconds(100);
    deps.jwks_options.min_refetch_interval = options_.min_refetch_interval;
    app_ = std::make_unique<BookApp>(config, std::move(deps));
    if (options_.keys_available) {
      ASSERT_TRUE(app_->jwks().FetchOnce());
    }
    app_->Start();
    server_ = std::make_unique<bookstore::test::RunningServer>(
        app_->ServerOptions(bookstore::test::TestServerOptions("book")), app_->BuildRouter());
    client_ = std::make_unique<HttpClient>(server_->port());
    // Every response the tests get must be as the served document says.
    openapi_ = std::make_unique<bookstore::test::OpenApiValidator>(
        HttpClient(server_->port()).Get("/openapi.json").body);
    bookstore::test::ValidateResponsesOf(*client_, *openapi_);
    admin_id_ = CreateUser("admin", "admin");
    alice_id_ = CreateUser("alice", "customer");
    bob_id_ = CreateUser("bob", "customer");
  }

  void TearDown() override {
    client_.reset();
    server_.reset();
    app_.reset();
  }

  void ServeKeys(const std::vector<std::shared_ptr<const jwt::SigningKey>>& keys) {
    std::vector<std::string> jwks;
    for (const auto& k : keys) jwks.push_back(k->PublicJwk());
    jwks_.Serve(200, jwt::MakeJwks(jwks));
  }

  int64_t CreateUser(const std::string& name, const std::string& role) {
    auto user = app_->users().Create({name, "password-" + name, role});
    EXPECT_TRUE(user.ok());
    return user.ok() ? user->id : 0;
  }

  jwt::AccessClaims Claims(int64_t user_id, const std::string& role, const std::string& scope) {
    jwt::AccessClaims c;
    c.iss = kIssuer;
    c.sub = std::to_string(user_id);
    c.aud = kAudience;
    c.iat = clock_.Now();
    c.exp = clock_.Now() + 900;
    c.jti = "jti-" + std::to_string(++jti_);
    c.client_id = "bookstore-web";
    c.scope = scope;
    c.role = role;
    c.username = "user" + std::to_string(user_id);
    return c;
  }

  static HeaderList Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }
  HeaderList AdminAuth(const std::string& scope = kAllAdminScopes) {
    return Bearer(TestKey()->Sign(Claims(admin_id_, "admin", scope)));
  }
  HeaderList CustomerAuth(int64_t id, const std::string& scope = "orders") {
    return Bearer(TestKey()->Sign(Claims(id, "customer", scope)));
  }
  HeaderList AliceAuth() { return CustomerAuth(alice_id_); }
  HeaderList BobAuth() { return CustomerAuth(bob_id_); }

  // Creates a book as admin; returns its id.
  int64_t AddBook(const std::string& code, int quantity, const std::string& sell_price = "10.00",
                  const std::string& extra = "") {
    auto r = client_->PostJson("/books",
                               R"({"code":")" + code + R"(","name":"Book )" + code +
                                   R"(","quantity":)" + std::to_string(quantity) +
                                   R"(,"sell_price":)" + sell_price + extra + "}",
                               AdminAuth());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Json(r.body).at("id").as_int64() : 0;
  }

  int64_t Stock(int64_t book_id) {
    auto r = client_->Get("/books/" + std::to_string(book_id));
    return Json(r.body).at("quantity").as_int64();
  }

  AppOptions options_;
  FakeClock clock_{SystemClock::Instance().Now()};
  JwksServer jwks_;
  bookstore::test::TestDatabase db_;
  std::unique_ptr<BookApp> app_;
  std::unique_ptr<bookstore::test::RunningServer> server_;
  std::unique_ptr<bookstore::test::OpenApiValidator> openapi_;
  std::unique_ptr<HttpClient> client_;
  int64_t admin_id_ = 0, alice_id_ = 0, bob_id_ = 0;
  int jti_ = 0;
};

// Field names of a problem body's "errors".
inline std::vector<std::string> ErrorFields(const std::string& body) {
  std::vector<std::string> out;
  auto v = Json(body);
  if (!v.as_object().contains("errors")) return out;
  for (const auto& e : v.at("errors").as_array()) out.emplace_back(e.at("field").as_string());
  return out;
}

}  // namespace bookstore::book::test
