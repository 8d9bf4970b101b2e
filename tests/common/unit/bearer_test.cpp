// http::BearerToken and http::PrincipalFromClaims (common/http/bearer.h).
#include "common/http/bearer.h"

#include <gtest/gtest.h>

#include "common/jwt.h"

namespace bookstore::http {
namespace {

TEST(BearerTokenTest, ParsesTheAuthorizationHeader) {
  http::Request req;
  EXPECT_FALSE(BearerToken(req));
  req.headers.Set("Authorization", "Bearer abc.def.ghi");
  EXPECT_EQ(BearerToken(req), "abc.def.ghi");
  req.headers.Set("Authorization", "bearer   tok  ");
  EXPECT_EQ(BearerToken(req), "tok");
  req.headers.Set("Authorization", "Bearer");
  EXPECT_EQ(BearerToken(req), "");
  req.headers.Set("Authorization", "Basic dXNlcjpwdw==");
  EXPECT_FALSE(BearerToken(req));
  req.headers.Set("Authorization", "Bearerabc");
  EXPECT_FALSE(BearerToken(req));
}

TEST(PrincipalTest, FromClaims) {
  jwt::AccessClaims c;
  c.sub = "42";
  c.scope = "orders  books:write";
  c.role = "admin";
  c.username = "root";
  c.client_id = "web";
  c.exp = 99;
  http::Principal p;
  ASSERT_TRUE(PrincipalFromClaims(c, p));
  EXPECT_EQ(p.user_id, 42);
  EXPECT_EQ(p.scopes, (std::vector<std::string>{"orders", "books:write"}));
  EXPECT_TRUE(p.IsAdmin());
  EXPECT_EQ(p.expires_at, 99);
  c.sub = "abc";
  EXPECT_FALSE(PrincipalFromClaims(c, p));
  c.sub = "0";
  EXPECT_FALSE(PrincipalFromClaims(c, p));
}

}  // namespace
}  // namespace bookstore::http
