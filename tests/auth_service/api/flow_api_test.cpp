// The authorization code flow end to end over a socket.
#include "tests/auth_service/api/auth_api_fixture.h"

namespace bookstore::auth {
namespace {

TEST_F(AuthApiTest, WholeFlowIssuesTokens) {
  auto post = LoginWith("admin", "admin-pass-1");
  ASSERT_EQ(post.status, 302) << post.body;
  const std::string location = post.Header("Location");
  EXPECT_EQ(location.rfind(std::string(kWebRedirect) + "?", 0), 0u) << location;
  auto params = ParamsOf(location);
  EXPECT_FALSE(params["code"].empty());
  EXPECT_EQ(params["state"], "st-123");
  EXPECT_EQ(params["iss"], kIssuer);
  EXPECT_EQ(CountParam(location, "iss"), 1);

  auto response = ExchangeWeb(params["code"]);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  EXPECT_EQ(response.Header("Pragma"), "no-cache");
  EXPECT_EQ(response.Header("Content-Type").rfind("application/json", 0), 0u);
  auto tokens = JsonObject(response.body);
  EXPECT_EQ(Str(tokens, "token_type"), "Bearer");
  EXPECT_EQ(tokens["expires_in"].as_int64(), 900);
  EXPECT_FALSE(Str(tokens, "refresh_token").empty());
  EXPECT_EQ(Str(tokens, "scope"), "books:write users:manage orders orders:manage");
  EXPECT_EQ(Str(tokens, "role"), "admin");

  // The access token verifies against the served JWKS with the contract's claims.
  auto jwks = client_->Get("/jwks.json");
  ASSERT_EQ(jwks.status, 200);
  auto keys = jwt::KeySet::FromJwks(jwks.body);
  ASSERT_TRUE(keys.ok());
  auto claims =
      (*keys)->Verify(Str(tokens, "access_token"), {kIssuer, "bookstore-api", 0}, clock_.Now());
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->sub, std::to_string(admin_id_));
  EXPECT_EQ(claims->username, "admin");
  EXPECT_EQ(claims->role, "admin");
  EXPECT_EQ(claims->client_id, "bookstore-web");
  EXPECT_EQ(claims->aud, "bookstore-api");
  EXPECT_EQ(claims->exp - claims->iat, 900);
  EXPECT_FALSE(claims->jti.empty());
}

TEST_F(AuthApiTest, TokenHeaderKidIsPublishedInJwks) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  const std::string token = Str(tokens, "access_token");
  auto header = JsonObject(*jwt::Base64UrlDecode(token.substr(0, token.find('.'))));
  EXPECT_EQ(Str(header, "alg"), "RS256");
  EXPECT_EQ(Str(header, "typ"), "at+jwt");
  auto jwks = JsonObject(client_->Get("/jwks.json").body);
  bool found = false;
  for (const auto& key : jwks["keys"].as_array()) {
    const auto& k = key.as_object();
    EXPECT_EQ(Str(k, "kty"), "RSA");
    EXPECT_EQ(Str(k, "alg"), "RS256");
    EXPECT_EQ(Str(k, "use"), "sig");
    found = found || Str(k, "kid") == Str(header, "kid");
  }
  EXPECT_TRUE(found);
}

TEST_F(AuthApiTest, CustomerGetsOnlyOrders) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  EXPECT_EQ(Str(tokens, "scope"), "orders");
  EXPECT_EQ(Str(tokens, "role"), "customer");
}

TEST_F(AuthApiTest, CustomerAskingOnlyForAdminScopesGetsInvalidScope) {
  auto r = LoginWith("carol", "carol-pass-1", {{"scope", "books:write users:manage"}});
  ASSERT_EQ(r.status, 302);
  auto p = ParamsOf(r.Header("Location"));
  EXPECT_EQ(p["error"], "invalid_scope");
  EXPECT_EQ(p["state"], "st-123");
  EXPECT_EQ(p["iss"], kIssuer);
  EXPECT_EQ(p.count("code"), 0u);
}

TEST_F(AuthApiTest, RequestedScopeIsNarrowed) {
  auto tokens = TokensFor("admin", "admin-pass-1", {{"scope", "orders books:write"}});
  EXPECT_EQ(Str(tokens, "scope"), "books:write orders");
  auto customer = TokensFor("carol", "carol-pass-1", {{"scope", "orders books:write"}});
  EXPECT_EQ(Str(customer, "scope"), "orders");
}

TEST_F(AuthApiTest, ClientScopesLimitTheGrant) {
  auto form = browser_->Get(
      AuthorizeTarget({{"client_id", "orders-only"}, {"redirect_uri", "http://limited.test/cb"}}));
  ASSERT_EQ(form.status, 200);
  auto fields = HiddenInputs(form.body);
  fields.emplace_back("username", "admin");
  fields.emplace_back("password", "admin-pass-1");
  auto post = browser_->PostForm("/authorize", test::FormEncode(fields));
  ASSERT_EQ(post.status, 302);
  auto r = Token({{"grant_type", "authorization_code"},
                  {"code", ParamsOf(post.Header("Location"))["code"]},
                  {"redirect_uri", "http://limited.test/cb"},
                  {"client_id", "orders-only"},
                  {"code_verifier", kVerifier}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Str(JsonObject(r.body), "scope"), "orders");
  // Asking such a client for a scope it may not have fails at /authorize.
  auto bad = browser_->Get(AuthorizeTarget({{"client_id", "orders-only"},
                                            {"redirect_uri", "http://limited.test/cb"},
                                            {"scope", "books:write"}}));
  ASSERT_EQ(bad.status, 302);
  EXPECT_EQ(ParamsOf(bad.Header("Location"))["error"], "invalid_scope");
}

TEST_F(AuthApiTest, TokenEndpointAcceptsJsonBody) {
  const std::string code = CodeFor("carol", "carol-pass-1");
  boost::json::object body{{"grant_type", "authorization_code"},
                           {"code", code},
                           {"redirect_uri", kWebRedirect},
                           {"client_id", "bookstore-web"},
                           {"code_verifier", kVerifier}};
  auto r = client_->PostJson("/token", boost::json::serialize(body));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Str(JsonObject(r.body), "access_token").empty());
}

TEST_F(AuthApiTest, ConfidentialClientWithBasicAndPost) {
  auto login = [&] {
    browser_->ClearCookies();
    auto form = browser_->Get(AuthorizeTarget({{"client_id", "svc-client"},
                                               {"redirect_uri", kSvcRedirect},
                                               {"code_challenge", "\x01"},
                                               {"code_challenge_method", "\x01"}}));
    EXPECT_EQ(form.status, 200) << form.body;
    auto fields = HiddenInputs(form.body);
    fields.emplace_back("username", "admin");
    fields.emplace_back("password", "admin-pass-1");
    auto post = browser_->PostForm("/authorize", test::FormEncode(fields));
    EXPECT_EQ(post.status, 302);
    return ParamsOf(post.Header("Location"))["code"];
  };
  // client_secret_basic with form-urlencoded halves (%2D is '-').
  auto basic = Token(
      {{"grant_type", "authorization_code"}, {"code", login()}, {"redirect_uri", kSvcRedirect}},
      {{"Authorization", BasicHeader("svc%2Dclient:" + svc_secret_)}});
  EXPECT_EQ(basic.status, 200) << basic.body;
  // client_secret_post.
  auto post = Token({{"grant_type", "authorization_code"},
                     {"code", login()},
                     {"redirect_uri", kSvcRedirect},
                     {"client_id", "svc-client"},
                     {"client_secret", svc_secret_}});
  EXPECT_EQ(post.status, 200) << post.body;
  // Without its secret a confidential client is refused.
  auto none = Token({{"grant_type", "authorization_code"},
                     {"code", login()},
                     {"redirect_uri", kSvcRedirect},
                     {"client_id", "svc-client"}});
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(Str(JsonObject(none.body), "error"), "invalid_client");
}

TEST_F(AuthApiTest, BadBasicCredentialsGet401WithChallenge) {
  auto r = Token({{"grant_type", "authorization_code"}, {"code", "x"}},
                 {{"Authorization", BasicHeader("svc-client:wrong")}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Str(JsonObject(r.body), "error"), "invalid_client");
  EXPECT_NE(r.Header("WWW-Authenticate").find("Basic"), std::string::npos);
  EXPECT_EQ(r.Header("Content-Type").rfind("application/json", 0), 0u);
  auto unknown =
      Token({{"grant_type", "authorization_code"}, {"code", "x"}, {"client_id", "nope"}});
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(Str(JsonObject(unknown.body), "error"), "invalid_client");
}

TEST_F(AuthApiTest, GrantTypeErrors) {
  auto missing = Token({{"client_id", "bookstore-web"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Str(JsonObject(missing.body), "error"), "invalid_request");
  auto unsupported = Token({{"client_id", "bookstore-web"}, {"grant_type", "password"}});
  EXPECT_EQ(unsupported.status, 400);
  EXPECT_EQ(Str(JsonObject(unsupported.body), "error"), "unsupported_grant_type");
  auto duplicated = Token({{"client_id", "bookstore-web"},
                           {"grant_type", "refresh_token"},
                           {"grant_type", "refresh_token"}});
  EXPECT_EQ(Str(JsonObject(duplicated.body), "error"), "invalid_request");
  auto other_type =
      client_->Send("POST", "/token", "grant_type=x", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(other_type.status, 400);
  EXPECT_EQ(Str(JsonObject(other_type.body), "error"), "invalid_request");
}

}  // namespace
}  // namespace bookstore::auth
