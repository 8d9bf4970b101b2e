// Introspection and userinfo.
#include <soci/soci.h>

#include "tests/auth_service/api/auth_api_fixture.h"

namespace bookstore::auth {
namespace {

std::string ErrorOf(const HttpResponse& r) { return Str(JsonObject(r.body), "error"); }

TEST_F(AuthApiTest, IntrospectAccessTokenFields) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  auto i = Introspect(Str(tokens, "access_token"));
  EXPECT_TRUE(i["active"].as_bool());
  EXPECT_EQ(Str(i, "token_type"), "access_token");
  EXPECT_EQ(Str(i, "sub"), std::to_string(carol_id_));
  EXPECT_EQ(Str(i, "username"), "carol");
  EXPECT_EQ(Str(i, "role"), "customer");
  EXPECT_EQ(Str(i, "scope"), "orders");
  EXPECT_EQ(Str(i, "client_id"), "bookstore-web");
  EXPECT_EQ(Str(i, "iss"), kIssuer);
  EXPECT_EQ(i["exp"].as_int64() - i["iat"].as_int64(), 900);
}

TEST_F(AuthApiTest, IntrospectRefreshTokenFields) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  auto i = Introspect(Str(tokens, "refresh_token"));
  EXPECT_TRUE(i["active"].as_bool());
  EXPECT_EQ(Str(i, "token_type"), "refresh_token");
  EXPECT_EQ(Str(i, "sub"), std::to_string(carol_id_));
  EXPECT_EQ(Str(i, "username"), "carol");
  EXPECT_EQ(Str(i, "client_id"), "bookstore-web");
  EXPECT_EQ(Str(i, "iss"), kIssuer);
  EXPECT_GT(i["exp"].as_int64(), clock_.Now());
}

TEST_F(AuthApiTest, IntrospectInactiveForGarbageAndExpired) {
  EXPECT_EQ(Introspect("garbage"), (boost::json::object{{"active", false}}));
  auto tokens = TokensFor("carol", "carol-pass-1");
  EXPECT_TRUE(Introspect(Str(tokens, "access_token"))["active"].as_bool());
  clock_.Advance(900);
  EXPECT_TRUE(Introspect(Str(tokens, "access_token"))["active"].as_bool());  // exp itself
  clock_.Advance(1);
  EXPECT_FALSE(Introspect(Str(tokens, "access_token"))["active"].as_bool());
}

TEST_F(AuthApiTest, IntrospectionRequiresClientAuthentication) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  auto none =
      client_->PostForm("/introspect", test::FormEncode({{"token", Str(tokens, "access_token")}}));
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(ErrorOf(none), "invalid_client");
  auto bad = client_->PostForm("/introspect", test::FormEncode({{"token", "x"}}),
                               {{"Authorization", BasicHeader("svc-client:wrong")}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_NE(bad.Header("WWW-Authenticate").find("Basic"), std::string::npos);
}

TEST_F(AuthApiTest, PublicClientCannotIntrospectOthersTokens) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  auto r = client_->PostForm(
      "/introspect",
      test::FormEncode({{"token", Str(tokens, "access_token")}, {"client_id", "bookstore-admin"}}));
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(JsonObject(r.body)["active"].as_bool());
  auto own = client_->PostForm(
      "/introspect",
      test::FormEncode({{"token", Str(tokens, "access_token")}, {"client_id", "bookstore-web"}}));
  EXPECT_TRUE(JsonObject(own.body)["active"].as_bool());
}

TEST_F(AuthApiTest, UserInfo) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  auto r = client_->Get("/userinfo", {{"Authorization", "Bearer " + Str(tokens, "access_token")}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto u = JsonObject(r.body);
  EXPECT_EQ(u, (boost::json::object{{"sub", std::to_string(carol_id_)},
                                    {"preferred_username", "carol"},
                                    {"username", "carol"},
                                    {"role", "customer"}}));
}

TEST_F(AuthApiTest, UserInfoRejectsMissingAndInvalidTokens) {
  auto none = client_->Get("/userinfo");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.Header("WWW-Authenticate").rfind("Bearer", 0), 0u);
  auto bad = client_->Get("/userinfo", {{"Authorization", "Bearer not.a.token"}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_NE(bad.Header("WWW-Authenticate").find("error=\"invalid_token\""), std::string::npos);
  auto other = client_->Get("/userinfo", {{"Authorization", "Basic Y2Fyb2w6eA=="}});
  EXPECT_EQ(other.status, 401);
  EXPECT_EQ(other.Header("WWW-Authenticate").find("error="), std::string::npos);
  auto empty = client_->Get("/userinfo", {{"Authorization", "Bearer"}});
  EXPECT_EQ(empty.status, 401);
  EXPECT_NE(empty.Header("WWW-Authenticate").find("error=\"invalid_token\""), std::string::npos);
  auto tokens = TokensFor("carol", "carol-pass-1");
  // The scheme is case-insensitive (RFC 9110 §11.1).
  EXPECT_EQ(client_->Get("/userinfo", {{"Authorization", "bEARER " + Str(tokens, "access_token")}})
                .status,
            200);
  clock_.Advance(901);
  auto expired =
      client_->Get("/userinfo", {{"Authorization", "Bearer " + Str(tokens, "access_token")}});
  EXPECT_EQ(expired.status, 401);
}

TEST_F(AuthApiTest, UserInfoOfAUserDeletedSinceTheTokenWasIssued) {
  auto tokens = TokensFor("carol", "carol-pass-1");
  const long long id = carol_id_;
  db_->Session() << "DELETE FROM users WHERE id = :id", soci::use(id);
  auto r = client_->Get("/userinfo", {{"Authorization", "Bearer " + Str(tokens, "access_token")}});
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_NE(r.Header("WWW-Authenticate").find("error=\"invalid_token\""), std::string::npos);
}

}  // namespace
}  // namespace bookstore::auth
