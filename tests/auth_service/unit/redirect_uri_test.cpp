#include "auth_service/oauth/redirect_uri.h"

#include <gtest/gtest.h>

namespace bookstore::auth {
namespace {

const std::vector<std::string> kTwo{"http://localhost:3000/callback",
                                    "http://127.0.0.1:3000/callback"};

TEST(RedirectUri, ExactMatchOnly) {
  EXPECT_EQ(ResolveRedirectUri(kTwo, "http://127.0.0.1:3000/callback"),
            "http://127.0.0.1:3000/callback");
  EXPECT_FALSE(ResolveRedirectUri(kTwo, "http://localhost:3000/callback/"));
  EXPECT_FALSE(ResolveRedirectUri(kTwo, "http://localhost:3000/callback?x=1"));
  EXPECT_FALSE(ResolveRedirectUri(kTwo, "http://LOCALHOST:3000/callback"));
  EXPECT_FALSE(ResolveRedirectUri(kTwo, "http://localhost:3000/Callback"));
  EXPECT_FALSE(ResolveRedirectUri(kTwo, "http://localhost:3000/callback#f"));
}

TEST(RedirectUri, OmittedOnlyWithExactlyOneRegistered) {
  EXPECT_FALSE(ResolveRedirectUri(kTwo, ""));
  EXPECT_EQ(ResolveRedirectUri({"https://a.example/cb"}, ""), "https://a.example/cb");
}

TEST(RedirectUri, RegistrationRules) {
  EXPECT_TRUE(IsValidRedirectUriForRegistration("http://localhost:3000/callback"));
  EXPECT_TRUE(IsValidRedirectUriForRegistration("com.example.app:/oauth"));
  EXPECT_FALSE(IsValidRedirectUriForRegistration("/relative"));
  EXPECT_FALSE(IsValidRedirectUriForRegistration("http://x/cb#frag"));
  EXPECT_FALSE(IsValidRedirectUriForRegistration("http:///nohost"));
  EXPECT_FALSE(IsValidRedirectUriForRegistration("javascript:alert(1)"));
  EXPECT_FALSE(IsValidRedirectUriForRegistration("http://x/a b"));
}

TEST(RedirectUri, AppendQueryEncodesAndKeepsExistingQuery) {
  EXPECT_EQ(AppendQuery("http://c/cb", {{"code", "a b"}, {"state", "x&y"}}),
            "http://c/cb?code=a%20b&state=x%26y");
  EXPECT_EQ(AppendQuery("http://c/cb?v=1", {{"code", "c"}, {"state", ""}}),
            "http://c/cb?v=1&code=c");
}

TEST(RedirectUri, Origin) {
  EXPECT_EQ(UriOrigin("http://LocalHost:3000/callback?x"), "http://localhost:3000");
  EXPECT_EQ(UriOrigin("https://u:p@a.example/cb"), "https://a.example");
  EXPECT_EQ(UriOrigin("com.example.app:/oauth"), "com.example.app:");
  EXPECT_EQ(UriOrigin("nope"), "");
}

}  // namespace
}  // namespace bookstore::auth
