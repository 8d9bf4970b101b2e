// OpenID Connect at the auth service over a socket (contract §5): discovery,
// ID tokens at the code and refresh grants, nonce, prompt, max_age,
// userinfo, /revoke's JSON body and CORS for registered redirect origins.
#include "tests/auth_service/api/auth_api_fixture.h"

namespace bookstore::auth {
namespace {

// The JSON object of a compact JWS part (0 header, 1 payload).
boost::json::object JwtPart(const std::string& token, int part) {
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.find('.', dot1 + 1);
  const std::string text =
      part == 0 ? token.substr(0, dot1) : token.substr(dot1 + 1, dot2 - dot1 - 1);
  return JsonObject(jwt::Base64UrlDecode(text).value_or(""));
}

const HeaderList kOidc{{"scope", "openid profile orders"}, {"nonce", "n-0S6_WzA2Mj"}};

class OidcApiTest : public AuthApiTest {};

TEST_F(OidcApiTest, DiscoveryListsTheSameEndpointsAsTheOAuthMetadata) {
  auto oidc = client_->Get("/.well-known/openid-configuration");
  auto oauth = client_->Get("/.well-known/oauth-authorization-server");
  ASSERT_EQ(oidc.status, 200);
  ASSERT_EQ(oauth.status, 200);
  auto o = JsonObject(oidc.body);
  auto m = JsonObject(oauth.body);
  for (const auto& [key, value] : m) {
    EXPECT_EQ(o[key], value) << key;  // same issuer, endpoints and methods
  }
  EXPECT_EQ(Str(o, "issuer"), kIssuer);
  EXPECT_EQ(Str(o, "end_session_endpoint"), std::string(kIssuer) + "/logout");
  EXPECT_EQ(Str(o, "userinfo_endpoint"), std::string(kIssuer) + "/userinfo");
  EXPECT_EQ(o["subject_types_supported"], (boost::json::array{"public"}));
  EXPECT_EQ(o["id_token_signing_alg_values_supported"], (boost::json::array{"RS256"}));
  EXPECT_EQ(o["response_modes_supported"], (boost::json::array{"query"}));
  const auto& scopes = o["scopes_supported"].as_array();
  EXPECT_NE(std::find(scopes.begin(), scopes.end(), boost::json::value("openid")), scopes.end());
  EXPECT_NE(std::find(scopes.begin(), scopes.end(), boost::json::value("profile")), scopes.end());
  const auto& claims = o["claims_supported"].as_array();
  for (const char* c :
       {"sub", "iss", "aud", "auth_time", "nonce", "at_hash", "preferred_username"}) {
    EXPECT_NE(std::find(claims.begin(), claims.end(), boost::json::value(c)), claims.end()) << c;
  }
}

TEST_F(OidcApiTest, CodeGrantWithOpenIdReturnsAnIdToken) {
  const int64_t login_time = clock_.Now();
  auto tokens = TokensFor("carol", "carol-pass-1", kOidc);
  const std::string id_token = Str(tokens, "id_token");
  ASSERT_FALSE(id_token.empty());
  EXPECT_EQ(Str(tokens, "scope"), "openid profile orders");
  auto header = JwtPart(id_token, 0);
  EXPECT_EQ(Str(header, "typ"), "JWT");
  EXPECT_EQ(Str(header, "alg"), "RS256");
  EXPECT_EQ(Str(header, "kid"), app_->keys().signing_key().kid());
  auto c = JwtPart(id_token, 1);
  auto access = JwtPart(Str(tokens, "access_token"), 1);
  EXPECT_EQ(Str(c, "iss"), kIssuer);
  EXPECT_EQ(Str(c, "sub"), std::to_string(carol_id_));
  EXPECT_EQ(Str(c, "sub"), Str(access, "sub"));
  EXPECT_EQ(Str(c, "aud"), "bookstore-web");
  EXPECT_EQ(Str(c, "azp"), "bookstore-web");
  EXPECT_EQ(Str(c, "nonce"), "n-0S6_WzA2Mj");
  EXPECT_EQ(Str(c, "at_hash"), jwt::LeftHalfHash(Str(tokens, "access_token")));
  EXPECT_EQ(c["auth_time"].as_int64(), login_time);
  EXPECT_EQ(c["iat"].as_int64(), clock_.Now());
  EXPECT_GT(c["exp"].as_int64(), clock_.Now());
  EXPECT_FALSE(Str(c, "sid").empty());
  EXPECT_EQ(Str(c, "preferred_username"), "carol");
  EXPECT_EQ(Str(c, "role"), "customer");
  // The signature verifies with the published keys.
  auto keys = app_->keys().Keys();
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE((*keys)->VerifyIdTokenHint(id_token, kIssuer).ok());
}

TEST_F(OidcApiTest, ProfileClaimsOnlyWithProfileAndNoIdTokenWithoutOpenId) {
  auto openid_only = TokensFor("carol", "carol-pass-1", {{"scope", "openid"}});
  EXPECT_EQ(Str(openid_only, "scope"), "openid");  // identity only: still a grant
  auto c = JwtPart(Str(openid_only, "id_token"), 1);
  EXPECT_EQ(Str(c, "sub"), std::to_string(carol_id_));
  EXPECT_FALSE(c.contains("preferred_username"));
  EXPECT_FALSE(c.contains("role"));
  EXPECT_FALSE(c.contains("nonce"));  // none was sent
  auto plain = TokensFor("carol", "carol-pass-1", {{"scope", "orders"}});
  EXPECT_FALSE(plain.contains("id_token"));
}

TEST_F(OidcApiTest, IdentityScopesPassAClientsScopeLimit) {
  const HeaderList req{{"client_id", "orders-only"},
                       {"redirect_uri", "http://limited.test/cb"},
                       {"scope", "openid profile orders"}};
  auto r = LoginWith("carol", "carol-pass-1", req);
  ASSERT_EQ(r.status, 302) << r.body;
  EXPECT_FALSE(ParamsOf(r.Header("Location"))["code"].empty());
}

TEST_F(OidcApiTest, RefreshOfAnOpenIdFamilyReturnsANewIdTokenWithoutNonce) {
  const int64_t login_time = clock_.Now();
  auto tokens = TokensFor("carol", "carol-pass-1", kOidc);
  auto first = JwtPart(Str(tokens, "id_token"), 1);
  clock_.Advance(30);
  auto r = Refresh(Str(tokens, "refresh_token"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto refreshed = JsonObject(r.body);
  auto c = JwtPart(Str(refreshed, "id_token"), 1);
  EXPECT_EQ(Str(c, "sub"), Str(first, "sub"));
  EXPECT_EQ(Str(c, "aud"), "bookstore-web");
  EXPECT_EQ(Str(c, "sid"), Str(first, "sid"));
  EXPECT_EQ(c["auth_time"].as_int64(), login_time);
  EXPECT_EQ(c["iat"].as_int64(), clock_.Now());
  EXPECT_FALSE(c.contains("nonce"));
  EXPECT_EQ(Str(c, "at_hash"), jwt::LeftHalfHash(Str(refreshed, "access_token")));
}

TEST_F(OidcApiTest, NonceMustBeOneTo255PrintableAsciiCharacters) {
  for (const std::string& bad :
       {std::string(""), std::string(256, 'n'), std::string("caf\xc3\xa9")}) {
    auto r = client_->Get(AuthorizeTarget({{"scope", "openid"}, {"nonce", bad}}));
    ASSERT_EQ(r.status, 302) << r.body;
    EXPECT_EQ(ParamsOf(r.Header("Location"))["error"], "invalid_request") << bad.size();
  }
  auto ok = client_->Get(AuthorizeTarget({{"scope", "openid"}, {"nonce", std::string(255, 'n')}}));
  EXPECT_EQ(ok.status, 200);
}

TEST_F(OidcApiTest, PromptNoneNeverShowsTheForm) {
  auto none = browser_->Get(AuthorizeTarget({{"prompt", "none"}}));
  ASSERT_EQ(none.status, 302);
  auto p = ParamsOf(none.Header("Location"));
  EXPECT_EQ(p["error"], "login_required");
  EXPECT_EQ(p["state"], "st-123");
  EXPECT_EQ(p["iss"], kIssuer);
  ASSERT_EQ(LoginWith("carol", "carol-pass-1", kOidc).status, 302);  // now signed in
  auto silent = browser_->Get(AuthorizeTarget({{"prompt", "none"}, {"scope", "openid"}}));
  ASSERT_EQ(silent.status, 302);
  EXPECT_FALSE(ParamsOf(silent.Header("Location"))["code"].empty());
}

TEST_F(OidcApiTest, MaxAgeShowsTheFormForAnOlderSession) {
  const int64_t login_time = clock_.Now();
  ASSERT_EQ(LoginWith("carol", "carol-pass-1").status, 302);
  clock_.Advance(100);
  EXPECT_EQ(browser_->Get(AuthorizeTarget({{"max_age", "50"}})).status, 200);  // the form
  EXPECT_EQ(browser_->Get(AuthorizeTarget({{"max_age", "0"}})).status, 200);
  auto none = browser_->Get(AuthorizeTarget({{"max_age", "50"}, {"prompt", "none"}}));
  EXPECT_EQ(ParamsOf(none.Header("Location"))["error"], "login_required");
  auto sso = browser_->Get(AuthorizeTarget({{"max_age", "100"}, {"scope", "openid"}}));
  ASSERT_EQ(sso.status, 302);
  const std::string code = ParamsOf(sso.Header("Location"))["code"];
  ASSERT_FALSE(code.empty());
  auto tokens = JsonObject(ExchangeWeb(code).body);
  EXPECT_EQ(JwtPart(Str(tokens, "id_token"), 1)["auth_time"].as_int64(), login_time);
  auto bad = client_->Get(AuthorizeTarget({{"max_age", "-1"}}));
  EXPECT_EQ(ParamsOf(bad.Header("Location"))["error"], "invalid_request");
}

TEST_F(OidcApiTest, IdTokenIsRefusedAsAnAccessToken) {
  auto tokens = TokensFor("carol", "carol-pass-1", kOidc);
  const std::string id_token = Str(tokens, "id_token");
  auto info = client_->Get("/userinfo", {{"Authorization", "Bearer " + id_token}});
  EXPECT_EQ(info.status, 401);
  EXPECT_FALSE(Introspect(id_token)["active"].as_bool());
  // Nor does revoking it touch the family.
  EXPECT_EQ(client_
                ->PostForm("/revoke",
                           test::FormEncode({{"token", id_token}, {"client_id", "bookstore-web"}}))
                .status,
            200);
  EXPECT_EQ(Refresh(Str(tokens, "refresh_token")).status, 200);
}

TEST_F(OidcApiTest, UserInfoAnswersGetAndPost) {
  auto tokens = TokensFor("carol", "carol-pass-1", kOidc);
  const HeaderList auth{{"Authorization", "Bearer " + Str(tokens, "access_token")}};
  for (const auto& r :
       {client_->Get("/userinfo", auth), client_->PostForm("/userinfo", "", auth)}) {
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type").rfind("application/json", 0), 0u);
    auto u = JsonObject(r.body);
    EXPECT_EQ(Str(u, "sub"), std::to_string(carol_id_));
    EXPECT_EQ(Str(u, "preferred_username"), "carol");
    EXPECT_EQ(Str(u, "username"), "carol");
    EXPECT_EQ(Str(u, "role"), "customer");
  }
}

TEST_F(OidcApiTest, RevokeAnswersAnEmptyJsonObject) {
  auto r = client_->PostForm(
      "/revoke", test::FormEncode({{"token", "unknown"}, {"client_id", "bookstore-web"}}));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type").rfind("application/json", 0), 0u);
  EXPECT_EQ(r.body, "{}");
}

TEST_F(OidcApiTest, CorsAllowsTheOriginsOfRegisteredRedirectUris) {
  const auto preflight = [this](const std::string& origin) {
    return client_->Send("OPTIONS", "/token", "",
                         {{"Origin", origin}, {"Access-Control-Request-Method", "POST"}});
  };
  // Registered after start: allowed once the snapshot is reloaded.
  NewClient spa;
  spa.client_id = "spa";
  spa.redirect_uris = {"http://127.0.0.1:4555/callback"};
  ASSERT_TRUE(app_->clients().Register(spa).ok());
  EXPECT_EQ(preflight("http://127.0.0.1:4555").Header("Access-Control-Allow-Origin"), "");
  ASSERT_TRUE(app_->origins().Refresh().ok());
  EXPECT_EQ(preflight("http://127.0.0.1:4555").Header("Access-Control-Allow-Origin"),
            "http://127.0.0.1:4555");
  EXPECT_EQ(preflight("http://svc.test").Header("Access-Control-Allow-Origin"), "http://svc.test");
  // The default list, and nothing else.
  EXPECT_EQ(preflight("http://127.0.0.1:3001").Header("Access-Control-Allow-Origin"),
            "http://127.0.0.1:3001");
  EXPECT_EQ(preflight("http://127.0.0.1:4556").Header("Access-Control-Allow-Origin"), "");
  EXPECT_EQ(preflight("http://evil.test").Header("Access-Control-Allow-Origin"), "");
}

}  // namespace
}  // namespace bookstore::auth
