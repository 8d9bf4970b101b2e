// Code replay, expiry, PKCE and redirect checks, refresh rotation,
// revocation, introspection and userinfo.
#include "tests/auth_service/api/auth_api_fixture.h"

namespace bookstore::auth {
namespace {

std::string ErrorOf(const HttpResponse& r) { return Str(JsonObject(r.body), "error"); }

TEST_F(AuthApiTest, CodeReplayFailsAndRevokesEverythingIssuedFromIt) {
  const std::string code = CodeFor("carol", "carol-pass-1");
  auto first = ExchangeWeb(code);
  ASSERT_EQ(first.status, 200);
  auto tokens = JsonObject(first.body);
  EXPECT_TRUE(Introspect(Str(tokens, "access_token"))["active"].as_bool());

  auto replay = ExchangeWeb(code);
  EXPECT_EQ(replay.status, 400);
  EXPECT_EQ(ErrorOf(replay), "invalid_grant");
  EXPECT_EQ(replay.Header("Cache-Control"), "no-store");
  // The refresh token and access token issued from the code are dead.
  EXPECT_EQ(ErrorOf(Refresh(Str(tokens, "refresh_token"))), "invalid_grant");
  EXPECT_FALSE(Introspect(Str(tokens, "access_token"))["active"].as_bool());
  EXPECT_FALSE(Introspect(Str(tokens, "refresh_token"))["active"].as_bool());
}

// Contract §6: form parsing is linear and bounded; 60,000 distinct names once
// cost seconds of CPU in the duplicate check.
TEST_F(AuthApiTest, FormsOfMoreThanAThousandParametersAre400) {
  std::string form = "grant_type=refresh_token&refresh_token=x&client_id=bookstore-web";
  for (int i = 0; i < 60000; ++i) form += "&p" + std::to_string(i);
  for (const char* path : {"/token", "/revoke", "/introspect", "/authorize"}) {
    auto r = client_->PostForm(path, form);
    EXPECT_EQ(r.status, 400) << path;
    if (std::string(path) != "/authorize") {
      EXPECT_EQ(ErrorOf(r), "invalid_request") << path;
    }
  }
}

TEST_F(AuthApiTest, ExpiredCodeFails) {
  const std::string code = CodeFor("carol", "carol-pass-1");
  clock_.Advance(61);
  auto r = ExchangeWeb(code);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r), "invalid_grant");
}

TEST_F(AuthApiTest, CodeValidJustBeforeExpiry) {
  const std::string code = CodeFor("carol", "carol-pass-1");
  clock_.Advance(59);
  EXPECT_EQ(ExchangeWeb(code).status, 200);
}

TEST_F(AuthApiTest, PkceMismatchAndMissingVerifierFail) {
  auto wrong = ExchangeWeb(CodeFor("carol", "carol-pass-1"), std::string(43, 'a'));
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(ErrorOf(wrong), "invalid_grant");
  auto missing = ExchangeWeb(CodeFor("carol", "carol-pass-1"), "");
  EXPECT_EQ(ErrorOf(missing), "invalid_grant");
}

TEST_F(AuthApiTest, RedirectUriMustMatch) {
  const std::string code = CodeFor("carol", "carol-pass-1");
  auto other = Token({{"grant_type", "authorization_code"},
                      {"code", code},
                      {"redirect_uri", "http://127.0.0.1:3000/callback"},
                      {"client_id", "bookstore-web"},
                      {"code_verifier", kVerifier}});
  EXPECT_EQ(ErrorOf(other), "invalid_grant");
  auto omitted = Token({{"grant_type", "authorization_code"},
                        {"code", CodeFor("carol", "carol-pass-1")},
                        {"client_id", "bookstore-web"},
                        {"code_verifier", kVerifier}});
  EXPECT_EQ(ErrorOf(omitted), "invalid_grant");
}

TEST_F(AuthApiTest, CodeIsBoundToItsClient) {
  auto r = Token({{"grant_type", "authorization_code"},
                  {"code", CodeFor("carol", "carol-pass-1")},
                  {"redirect_uri", kWebRedirect},
                  {"client_id", "bookstore-admin"},
                  {"code_verifier", kVerifier}});
  EXPECT_EQ(ErrorOf(r), "invalid_grant");
}

TEST_F(AuthApiTest, RefreshRotatesAndReuseRevokesFamily) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  const std::string r0 = Str(tokens, "refresh_token");
  auto first = Refresh(r0);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Header("Cache-Control"), "no-store");
  auto t1 = JsonObject(first.body);
  const std::string r1 = Str(t1, "refresh_token");
  EXPECT_NE(r1, r0);
  EXPECT_EQ(Str(t1, "scope"), "orders");
  EXPECT_EQ(Str(t1, "token_type"), "Bearer");
  auto second = Refresh(r1);
  ASSERT_EQ(second.status, 200);
  const std::string r2 = Str(JsonObject(second.body), "refresh_token");
  const std::string a2 = Str(JsonObject(second.body), "access_token");

  auto reuse = Refresh(r0);
  EXPECT_EQ(reuse.status, 400);
  EXPECT_EQ(ErrorOf(reuse), "invalid_grant");
  EXPECT_EQ(ErrorOf(Refresh(r2)), "invalid_grant");  // the newest too
  EXPECT_FALSE(Introspect(a2)["active"].as_bool());
}

TEST_F(AuthApiTest, RefreshWithNarrowerScope) {
  auto tokens = TokensFor("admin", "admin-pass-1");
  auto narrow = Refresh(Str(tokens, "refresh_token"), {{"scope", "orders"}});
  ASSERT_EQ(narrow.status, 200) << narrow.body;
  auto t = JsonObject(narrow.body);
  EXPECT_EQ(Str(t, "scope"), "orders");
  // The refresh token keeps the original grant.
  auto full = Refresh(Str(t, "refresh_token"));
  EXPECT_EQ(Str(JsonObject(full.body), "scope"), "books:write users:manage orders orders:manage");
}

TEST_F(AuthApiTest, RefreshScopeBeyondGrantIsInvalidScope) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  auto wider = Refresh(Str(tokens, "refresh_token"), {{"scope", "books:write"}});
  EXPECT_EQ(wider.status, 400);
  EXPECT_EQ(ErrorOf(wider), "invalid_scope");
  auto unknown = Refresh(Str(tokens, "refresh_token"), {{"scope", "nope"}});
  EXPECT_EQ(ErrorOf(unknown), "invalid_scope");
  // The failed requests did not use the token up.
  EXPECT_EQ(Refresh(Str(tokens, "refresh_token")).status, 200);
}

TEST_F(AuthApiTest, ExpiredRefreshTokenFails) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  clock_.Advance(2592000);
  EXPECT_EQ(ErrorOf(Refresh(Str(tokens, "refresh_token"))), "invalid_grant");
}

TEST_F(AuthApiTest, RefreshTokenBoundToClient) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  auto r = Token({{"grant_type", "refresh_token"},
                  {"refresh_token", Str(tokens, "refresh_token")},
                  {"client_id", "bookstore-admin"}});
  EXPECT_EQ(ErrorOf(r), "invalid_grant");
}

TEST_F(AuthApiTest, RevokeRefreshTokenEndsFamily) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  auto r = client_->PostForm("/revoke", test::FormEncode({{"token", Str(tokens, "refresh_token")},
                                                          {"token_type_hint", "refresh_token"},
                                                          {"client_id", "bookstore-web"}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(ErrorOf(Refresh(Str(tokens, "refresh_token"))), "invalid_grant");
  EXPECT_FALSE(Introspect(Str(tokens, "access_token"))["active"].as_bool());
}

TEST_F(AuthApiTest, RevokeUnknownTokenIs200) {
  auto r = client_->PostForm(
      "/revoke", test::FormEncode({{"token", "garbage"}, {"client_id", "bookstore-web"}}));
  EXPECT_EQ(r.status, 200);
  auto jwt_like = client_->PostForm(
      "/revoke", test::FormEncode({{"token", "a.b.c"}, {"client_id", "bookstore-web"}}));
  EXPECT_EQ(jwt_like.status, 200);
}

TEST_F(AuthApiTest, RevokeRequiresClientAuthAndToken) {
  EXPECT_EQ(client_->PostForm("/revoke", test::FormEncode({{"token", "x"}})).status, 401);
  auto missing = client_->PostForm("/revoke", test::FormEncode({{"client_id", "bookstore-web"}}));
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(ErrorOf(missing), "invalid_request");
}

TEST_F(AuthApiTest, RevokedAccessTokenIntrospectsInactive) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  const std::string access = Str(tokens, "access_token");
  // Verified once (its signature is remembered): the revocation still counts.
  EXPECT_TRUE(Introspect(access)["active"].as_bool());
  auto r = client_->PostForm("/revoke", test::FormEncode({{"token", access},
                                                          {"token_type_hint", "access_token"},
                                                          {"client_id", "bookstore-web"}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(Introspect(access)["active"].as_bool());
  EXPECT_EQ(client_->Get("/userinfo", {{"Authorization", "Bearer " + access}}).status, 401);
  // The refresh token is untouched.
  EXPECT_EQ(Refresh(Str(tokens, "refresh_token")).status, 200);
}

}  // namespace
}  // namespace bookstore::auth
