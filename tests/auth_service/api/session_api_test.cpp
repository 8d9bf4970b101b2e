// Single sign-on, prompt=login/none, logout, metadata, JWKS rotation, ops.
#include <filesystem>

#include "auth_service/services/key_service.h"
#include "tests/auth_service/api/auth_api_fixture.h"
#include "tests/support/metrics_text.h"

namespace bookstore::auth {
namespace {

TEST_F(AuthApiTest, SessionCookieAttributes) {
  auto r = LoginWith("carol", "carol-pass-1");
  ASSERT_EQ(r.status, 302);
  std::string cookie;
  for (const auto& c : r.Headers("Set-Cookie")) {
    if (c.rfind("bookstore_session=", 0) == 0) cookie = c;
  }
  ASSERT_FALSE(cookie.empty());
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // http issuer
}

TEST_F(AuthApiTest, SingleSignOnSkipsTheForm) {
  ASSERT_EQ(LoginWith("carol", "carol-pass-1").status, 302);
  auto again = browser_->Get(AuthorizeTarget({{"state", "second"}}));
  ASSERT_EQ(again.status, 302) << again.body;
  auto p = ParamsOf(again.Header("Location"));
  EXPECT_EQ(p["state"], "second");
  EXPECT_EQ(p["iss"], kIssuer);
  auto r = ExchangeWeb(p["code"]);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Str(JsonObject(r.body), "scope"), "orders");
}

TEST_F(AuthApiTest, PromptLoginShowsTheFormDespiteSession) {
  ASSERT_EQ(LoginWith("carol", "carol-pass-1").status, 302);
  EXPECT_EQ(browser_->Get(AuthorizeTarget({{"prompt", "login"}})).status, 200);
}

TEST_F(AuthApiTest, PromptNoneWithoutSessionIsLoginRequired) {
  auto r = client_->Get(AuthorizeTarget({{"prompt", "none"}}));
  ASSERT_EQ(r.status, 302);
  EXPECT_EQ(ParamsOf(r.Header("Location"))["error"], "login_required");
}

TEST_F(AuthApiTest, SessionExpires) {
  ASSERT_EQ(LoginWith("carol", "carol-pass-1").status, 302);
  clock_.Advance(8 * 3600);
  EXPECT_EQ(browser_->Get(AuthorizeTarget()).status, 200);
}

TEST_F(AuthApiTest, LogoutEndsSessionServerSide) {
  ASSERT_EQ(LoginWith("carol", "carol-pass-1").status, 302);
  const std::string old_session = browser_->Cookie("bookstore_session");
  ASSERT_FALSE(old_session.empty());
  auto out = browser_->PostForm("/logout", "");
  EXPECT_EQ(out.status, 200);
  bool cleared = false;
  for (const auto& c : out.Headers("Set-Cookie")) {
    cleared = cleared ||
              (c.rfind("bookstore_session=;", 0) == 0 && c.find("Max-Age=0") != std::string::npos);
  }
  EXPECT_TRUE(cleared);
  // Even presenting the old cookie no longer skips the form.
  auto r = client_->Get(AuthorizeTarget(), {{"Cookie", "bookstore_session=" + old_session}});
  EXPECT_EQ(r.status, 200);
}

TEST_F(AuthApiTest, LogoutRedirectsToRegisteredUri) {
  auto r = client_->PostForm("/logout",
                             test::FormEncode({{"client_id", "svc-client"},
                                               {"post_logout_redirect_uri", "http://svc.test/bye"},
                                               {"state", "s1"}}));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"), "http://svc.test/bye?state=s1");
  auto bad = client_->PostForm(
      "/logout", test::FormEncode({{"client_id", "svc-client"},
                                   {"post_logout_redirect_uri", "http://evil.test/"}}));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Header("Location"), "");
}

TEST_F(AuthApiTest, MetadataFields) {
  auto r = client_->Get("/.well-known/oauth-authorization-server");
  ASSERT_EQ(r.status, 200);
  auto m = JsonObject(r.body);
  EXPECT_EQ(Str(m, "issuer"), kIssuer);
  EXPECT_EQ(Str(m, "authorization_endpoint"), std::string(kIssuer) + "/authorize");
  EXPECT_EQ(Str(m, "token_endpoint"), std::string(kIssuer) + "/token");
  EXPECT_EQ(Str(m, "jwks_uri"), std::string(kIssuer) + "/jwks.json");
  EXPECT_EQ(Str(m, "revocation_endpoint"), std::string(kIssuer) + "/revoke");
  EXPECT_EQ(Str(m, "introspection_endpoint"), std::string(kIssuer) + "/introspect");
  EXPECT_EQ(Str(m, "userinfo_endpoint"), std::string(kIssuer) + "/userinfo");
  EXPECT_EQ(m["response_types_supported"], (boost::json::array{"code"}));
  EXPECT_EQ(m["code_challenge_methods_supported"], (boost::json::array{"S256"}));
  auto grants = m["grant_types_supported"].as_array();
  EXPECT_NE(std::find(grants.begin(), grants.end(), boost::json::value("authorization_code")),
            grants.end());
  EXPECT_NE(std::find(grants.begin(), grants.end(), boost::json::value("refresh_token")),
            grants.end());
  EXPECT_EQ(m["token_endpoint_auth_methods_supported"],
            (boost::json::array{"client_secret_basic", "client_secret_post", "none"}));
  EXPECT_EQ(m["scopes_supported"], (boost::json::array{"openid", "profile", "books:write",
                                                       "users:manage", "orders", "orders:manage"}));
  EXPECT_TRUE(m["authorization_response_iss_parameter_supported"].as_bool());
}

TEST_F(AuthApiTest, RotatedKeysArePublishedUntilRetired) {
  const std::string key_file = dir_.File("signing.pem");
  auto first = KeyService::Rotate(*db_, clock_, key_file, 900);  // creates, then rotates
  ASSERT_TRUE(first.ok());
  // Another process rotated: the service sees it at its next reload (every
  // second), done here at once.
  ASSERT_TRUE(app_->keys().Refresh().ok());
  auto jwks = JsonObject(client_->Get("/jwks.json").body);
  std::vector<std::string> kids;
  for (const auto& k : jwks["keys"].as_array()) kids.push_back(Str(k.as_object(), "kid"));
  EXPECT_EQ(kids.size(), 3u);  // the app's key, the old file key, the new file key
  EXPECT_NE(std::find(kids.begin(), kids.end(), first->previous_kid), kids.end());
  EXPECT_NE(std::find(kids.begin(), kids.end(), first->new_kid), kids.end());
  EXPECT_TRUE(std::filesystem::exists(first->previous_key_file));
  EXPECT_EQ(jwt::SigningKey::LoadOrCreate(key_file)->kid(), first->new_kid);
  EXPECT_EQ(std::filesystem::status(key_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  clock_.Advance(901);
  jwks = JsonObject(client_->Get("/jwks.json").body);
  kids.clear();
  for (const auto& k : jwks["keys"].as_array()) kids.push_back(Str(k.as_object(), "kid"));
  EXPECT_EQ(kids.size(), 2u);
  EXPECT_EQ(std::find(kids.begin(), kids.end(), first->previous_kid), kids.end());
}

TEST_F(AuthApiTest, OpsRoutes) {
  EXPECT_EQ(client_->Get("/healthz").status, 200);
  EXPECT_EQ(client_->Get("/readyz").status, 200);
  auto doc = client_->Get("/openapi.json");
  ASSERT_EQ(doc.status, 200);
  auto o = JsonObject(doc.body);
  EXPECT_EQ(Str(o, "openapi").rfind("3.", 0), 0u);
  EXPECT_TRUE(o["paths"].as_object().contains("/token"));
  EXPECT_TRUE(o["paths"].as_object().contains("/authorize"));
  auto metrics = client_->Get("/metrics");
  EXPECT_NE(metrics.body.find("http_requests_total"), std::string::npos);
}

TEST_F(AuthApiTest, WrongMethodIs405) {
  auto r = client_->Get("/token");
  EXPECT_EQ(r.status, 405);
  EXPECT_NE(r.Header("Allow").find("POST"), std::string::npos);
}

// /metrics counts what an operator alerts on: logins by result, grants by
// type, refresh-token reuse.
TEST_F(AuthApiTest, MetricsCountLoginsGrantsAndRefreshReuse) {
  const auto value = [&](const std::string& series) {
    return test::MetricValue(client_->Get("/metrics").body, series);
  };
  const std::string failed = "bookstore_logins_total{result=\"failed\"}";
  const std::string ok = "bookstore_logins_total{result=\"succeeded\"}";
  const std::string throttled = "bookstore_logins_total{result=\"throttled\"}";
  const std::string codes = "bookstore_grants_total{grant_type=\"authorization_code\"}";
  const std::string refreshes = "bookstore_grants_total{grant_type=\"refresh_token\"}";
  const std::string reuse = "bookstore_refresh_token_reuse_total";
  const double failed0 = value(failed), ok0 = value(ok), throttled0 = value(throttled),
               codes0 = value(codes), refreshes0 = value(refreshes), reuse0 = value(reuse);
  ASSERT_GE(failed0, 0);  // every series is there from the start
  ASSERT_GE(throttled0, 0);
  ASSERT_GE(reuse0, 0);

  EXPECT_EQ(LoginWith("carol", "wrong-password").status, 401);
  auto tokens = TokensFor("carol", "carol-pass-1");  // a login and a code grant
  const std::string r0 = Str(tokens, "refresh_token");
  ASSERT_EQ(Refresh(r0).status, 200);
  EXPECT_EQ(Refresh(r0).status, 400);  // reuse
  for (int i = 0; i < 10; ++i) LoginWith("carol", "wrong-" + std::to_string(i));
  EXPECT_EQ(value(failed), failed0 + 10);  // the 10th failure is the limit: throttled after
  EXPECT_GE(value(throttled), throttled0 + 1);
  EXPECT_EQ(value(ok), ok0 + 1);
  EXPECT_EQ(value(codes), codes0 + 1);
  EXPECT_EQ(value(refreshes), refreshes0 + 1);
  EXPECT_EQ(value(reuse), reuse0 + 1);
  EXPECT_GE(value("process_threads"), 1);
  EXPECT_NE(client_->Get("/metrics").body.find("bookstore_build_info{service=\"auth\""),
            std::string::npos);
}

}  // namespace
}  // namespace bookstore::auth
