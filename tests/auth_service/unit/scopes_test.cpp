#include "auth_service/oauth/scopes.h"

#include <gtest/gtest.h>

namespace bookstore::auth {
namespace {

using V = std::vector<std::string>;

TEST(Scopes, RoleScopes) {
  EXPECT_EQ(RoleScopes("admin"), (V{"books:write", "users:manage", "orders", "orders:manage"}));
  EXPECT_EQ(RoleScopes("customer"), (V{"orders"}));
  EXPECT_TRUE(RoleScopes("guest").empty());
}

TEST(Scopes, ParseCanonicalDedupedAndTolerant) {
  EXPECT_EQ(ParseScopes("orders  books:write orders"), (V{"books:write", "orders"}));
  EXPECT_EQ(ParseScopes(""), V{});
  EXPECT_EQ(ParseScopes("   "), V{});
}

TEST(Scopes, ParseRejectsUnknown) {
  EXPECT_FALSE(ParseScopes("orders email").has_value());
  EXPECT_FALSE(ParseScopes("OPENID").has_value());
  EXPECT_FALSE(ParseScopes("ORDERS").has_value());
  EXPECT_FALSE(ParseScopes("orders,books:write").has_value());
}

TEST(Scopes, Join) { EXPECT_EQ(JoinScopes({"orders", "orders:manage"}), "orders orders:manage"); }

TEST(Scopes, OmittedScopeGivesAllOfRoleWithinClient) {
  EXPECT_EQ(GrantScopes(std::nullopt, std::nullopt, "admin"), RoleScopes("admin"));
  EXPECT_EQ(GrantScopes(std::nullopt, std::nullopt, "customer"), (V{"orders"}));
  EXPECT_EQ(GrantScopes(std::nullopt, V{"books:write", "orders"}, "admin"),
            (V{"books:write", "orders"}));
}

TEST(Scopes, GrantIsIntersectionOfRequestClientAndRole) {
  EXPECT_EQ(GrantScopes(V{"books:write", "orders"}, std::nullopt, "customer"), (V{"orders"}));
  EXPECT_EQ(GrantScopes(V{"books:write", "orders"}, V{"orders"}, "admin"), (V{"orders"}));
  EXPECT_EQ(GrantScopes(V{"orders:manage"}, V{"orders"}, "admin"), V{});
}

TEST(Scopes, CustomerNeverGetsBooksWrite) {
  EXPECT_TRUE(GrantScopes(V{"books:write"}, std::nullopt, "customer").empty());
  EXPECT_TRUE(GrantScopes(V{"users:manage", "orders:manage"}, std::nullopt, "customer").empty());
}

TEST(Scopes, Intersect) {
  EXPECT_EQ(IntersectScopes({"orders", "books:write"}, {"books:write"}), (V{"books:write"}));
}

}  // namespace
}  // namespace bookstore::auth

namespace bookstore::auth {
namespace {

// Contract §5: openid and profile are granted to every role and client when
// asked, never when scope is omitted, and are no API access.
TEST(Scopes, IdentityScopesAreAlwaysAllowedWhenAsked) {
  using V = std::vector<std::string>;
  const auto asked = ParseScopes("profile orders openid");
  ASSERT_TRUE(asked);
  EXPECT_EQ(*asked, (V{"openid", "profile", "orders"}));
  EXPECT_EQ(GrantScopes(asked, V{"orders"}, "customer"), (V{"openid", "profile", "orders"}));
  EXPECT_EQ(GrantScopes(asked, V{"books:write"}, "customer"), (V{"openid", "profile"}));
  EXPECT_EQ(GrantScopes(ParseScopes("openid"), std::nullopt, "guest"), (V{"openid"}));
  EXPECT_EQ(GrantScopes(std::nullopt, std::nullopt, "customer"), (V{"orders"}));
  EXPECT_TRUE(HasOpenId(*asked));
  EXPECT_FALSE(HasOpenId(V{"profile", "orders"}));
  EXPECT_TRUE(IsIdentityScope("profile"));
  EXPECT_FALSE(IsIdentityScope("orders"));
}

}  // namespace
}  // namespace bookstore::auth
