#pragma once
// The auth service in-process (AuthApp on RunningServer, temp SQLite,
// FakeClock set to the real time) plus helpers that drive the OAuth flow
// over a socket like a browser and a client would.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <regex>
#include <string>

#include "auth_service/app.h"
#include "auth_service/oauth/pkce.h"
#include "auth_service/repositories/user_repository.h"
#include "common/db/database.h"
#include "common/http/message.h"
#include "common/metrics.h"
#include "tests/support/http_client.h"
#include "tests/support/openapi_validator.h"
#include "tests/support/test_env.h"

namespace bookstore::auth {

inline constexpr const char* kIssuer = "http://auth.test";
inline constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
inline constexpr const char* kWebRedirect = "http://localhost:3000/callback";
inline constexpr const char* kSvcRedirect = "http://svc.test/cb";

using test::HeaderList;
using test::HttpClient;
using test::HttpResponse;

// Query/form parameters of a URL or body.
inline std::map<std::string, std::string> ParamsOf(std::string_view text) {
  const size_t q = text.find('?');
  if (q != std::string_view::npos) text.remove_prefix(q + 1);
  std::map<std::string, std::string> out;
  for (auto& [k, v] :
       http::ParseForm(text).value_or(std::vector<std::pair<std::string, std::string>>{})) {
    out.emplace(k, v);
  }
  return out;
}

inline int CountParam(std::string_view url, std::string_view name) {
  int n = 0;
  const std::string needle = std::string(name) + "=";
  for (size_t pos = url.find(needle); pos != std::string_view::npos;
       pos = url.find(needle, pos + 1)) {
    const char before = url[pos - 1];
    if (before == '?' || before == '&') ++n;
  }
  return n;
}

inline std::string HtmlUnescape(std::string s) {
  const std::pair<const char*, const char*> table[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : table) {
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + 1)) {
      s.replace(p, std::strlen(from), to);
    }
  }
  return s;
}

// name → value of every <input type="hidden"> of a page.
inline HeaderList HiddenInputs(const std::string& html) {
  static const std::regex re("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");
  HeaderList out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator();
       ++it) {
    out.emplace_back(HtmlUnescape((*it)[1]), HtmlUnescape((*it)[2]));
  }
  return out;
}

inline boost::json::object JsonObject(const std::string& body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << body;
    return {};
  }
  return v.as_object();
}

inline std::string Str(const boost::json::object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : "";
}

inline std::string BasicHeader(const std::string& raw) {
  std::string b = jwt::Base64UrlEncode(raw);
  for (char& c : b) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (b.size() % 4 != 0) b += '=';
  return "Basic " + b;
}

class AuthApiTest : public ::testing::Test {
 protected:
  // Lets a derived fixture change the configuration before the app starts.
  virtual void Configure(AuthConfig& /*config*/) {}
  void SetUp() override {
    clock_.Set(SystemClock::Instance().Now());
    db_ = tdb_.OpenMigrated();
    AuthConfig config;
    config.common.issuer = kIssuer;
    config.common.password_cost = PasswordCost::Minimal();
    config.common.data_dir = dir_.path();
    Configure(config);
    app_ = std::make_unique<AuthApp>(config, db_, jwt::SigningKey::Generate(SigningAlg(config)),
                                     clock_, SodiumRandom::Instance());
    ASSERT_TRUE(app_->clients().EnsureDefaults().ok());
    PasswordHasher hasher(PasswordCost::Minimal());
    admin_id_ = user_repo::Insert(db_->Session(), "admin", hasher.Hash("admin-pass-1"), "admin",
                                  clock_.Now());
    carol_id_ = user_repo::Insert(db_->Session(), "carol", hasher.Hash("carol-pass-1"), "customer",
                                  clock_.Now());
    NewClient svc;
    svc.client_id = "svc-client";
    svc.name = "Service";
    svc.confidential = true;
    svc.redirect_uris = {kSvcRedirect};
    svc.post_logout_redirect_uris = {"http://svc.test/bye"};
    auto reg = app_->clients().Register(svc);
    ASSERT_TRUE(reg.ok());
    svc_secret_ = reg->client_secret;
    NewClient limited;
    limited.client_id = "orders-only";
    limited.redirect_uris = {"http://limited.test/cb"};
    limited.scopes = {"orders"};
    ASSERT_TRUE(app_->clients().Register(limited).ok());
    ASSERT_TRUE(app_->Start().ok());
    auto metrics = std::make_shared<Metrics>("auth");
    auto options = test::TestServerOptions("auth");
    options.metrics = metrics;
    options.cors_also_allowed = app_->ServerOptionsFromConfig().cors_also_allowed;
    // As behind the gateway: the test client's X-Forwarded-For names the client.
    options.trusted_proxies = {"127.0.0.1"};
    server_ = std::make_unique<test::RunningServer>(options, app_->BuildRouter(metrics));
    browser_ = std::make_unique<HttpClient>(server_->port());
    browser_->EnableCookies();
    client_ = std::make_unique<HttpClient>(server_->port());
    // Every response the tests get must be as the served document says.
    openapi_ = std::make_unique<test::OpenApiValidator>(
        HttpClient(server_->port()).Get("/openapi.json").body);
    test::ValidateResponsesOf(*browser_, *openapi_);
    test::ValidateResponsesOf(*client_, *openapi_);
  }

  // GET /authorize with the default web request, `overrides` replacing or
  // (with value "\x01") removing parameters.
  static std::string AuthorizeTarget(const HeaderList& overrides = {}) {
    std::map<std::string, std::string> p{{"response_type", "code"},
                                         {"client_id", "bookstore-web"},
                                         {"redirect_uri", kWebRedirect},
                                         {"state", "st-123"},
                                         {"code_challenge", S256Challenge(kVerifier)},
                                         {"code_challenge_method", "S256"}};
    for (const auto& [k, v] : overrides) {
      if (v == "\x01") {
        p.erase(k);
      } else {
        p[k] = v;
      }
    }
    return "/authorize?" + test::FormEncode(HeaderList(p.begin(), p.end()));
  }

  // Opens the login form (as a browser without a session) and posts it;
  // returns the POST's response.
  HttpResponse LoginWith(const std::string& username, const std::string& password,
                         const HeaderList& overrides = {}, const HeaderList& headers = {}) {
    browser_->ClearCookies();
    auto form = browser_->Get(AuthorizeTarget(overrides));
    EXPECT_EQ(form.status, 200) << form.body;
    auto fields = HiddenInputs(form.body);
    fields.emplace_back("username", username);
    fields.emplace_back("password", password);
    return browser_->PostForm("/authorize", test::FormEncode(fields), headers);
  }

  // A fresh code for the user (logged in through the form).
  std::string CodeFor(const std::string& username, const std::string& password,
                      const HeaderList& overrides = {}) {
    auto r = LoginWith(username, password, overrides);
    EXPECT_EQ(r.status, 302) << r.body;
    return ParamsOf(r.Header("Location"))["code"];
  }

  HttpResponse Token(const HeaderList& form, const HeaderList& headers = {}) {
    return client_->PostForm("/token", test::FormEncode(form), headers);
  }

  HttpResponse ExchangeWeb(const std::string& code, const std::string& verifier = kVerifier) {
    return Token({{"grant_type", "authorization_code"},
                  {"code", code},
                  {"redirect_uri", kWebRedirect},
                  {"client_id", "bookstore-web"},
                  {"code_verifier", verifier}});
  }

  // Logs in as `username` and exchanges the code; returns the token JSON.
  boost::json::object TokensFor(const std::string& username, const std::string& password,
                                const HeaderList& overrides = {}) {
    auto r = ExchangeWeb(CodeFor(username, password, overrides));
    EXPECT_EQ(r.status, 200) << r.body;
    return JsonObject(r.body);
  }

  HttpResponse Refresh(const std::string& refresh_token, const HeaderList& extra = {}) {
    HeaderList form{{"grant_type", "refresh_token"},
                    {"refresh_token", refresh_token},
                    {"client_id", "bookstore-web"}};
    form.insert(form.end(), extra.begin(), extra.end());
    return Token(form);
  }

  boost::json::object Introspect(const std::string& token) {
    auto r = client_->PostForm("/introspect", test::FormEncode({{"token", token}}),
                               {{"Authorization", BasicHeader("svc-client:" + svc_secret_)}});
    EXPECT_EQ(r.status, 200) << r.body;
    return JsonObject(r.body);
  }

  FakeClock clock_;
  test::TempDir dir_;
  test::TestDatabase tdb_{"sqlite"};
  std::shared_ptr<db::Database> db_;
  std::unique_ptr<AuthApp> app_;
  int64_t admin_id_ = 0;
  int64_t carol_id_ = 0;
  std::string svc_secret_;
  std::unique_ptr<test::RunningServer> server_;
  std::unique_ptr<test::OpenApiValidator> openapi_;
  std::unique_ptr<HttpClient> browser_;  // keeps cookies
  std::unique_ptr<HttpClient> client_;   // no cookies
};

}  // namespace bookstore::auth
