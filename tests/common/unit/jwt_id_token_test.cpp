// OpenID Connect ID tokens of common/jwt.h: the at_hash of OIDC Core, the
// header and claims SignIdToken writes, VerifyIdTokenHint, and that access
// and ID tokens never pass for each other.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/jwt.h"

namespace bookstore::jwt {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr const char* kIssuer = "http://localhost:5000";

class IdTokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { key_ = SigningKey::Generate(); }
  static void TearDownTestSuite() { key_.reset(); }

  static IdClaims Claims() {
    IdClaims c;
    c.iss = kIssuer;
    c.sub = "42";
    c.aud = "bookstore-web";
    c.azp = "bookstore-web";
    c.iat = kNow;
    c.exp = kNow + 900;
    c.auth_time = kNow - 30;
    c.nonce = "n-0S6_WzA2Mj";
    c.sid = "sid-1";
    return c;
  }
  static boost::json::object Part(const std::string& token, int part) {
    const size_t dot1 = token.find('.'), dot2 = token.find('.', dot1 + 1);
    const auto text = Base64UrlDecode(part == 0 ? token.substr(0, dot1)
                                                : token.substr(dot1 + 1, dot2 - dot1 - 1));
    return boost::json::parse(text.value_or("{}")).as_object();
  }
  static std::shared_ptr<const KeySet> Keys() { return KeySet::FromKeys({key_}); }

  static inline std::shared_ptr<const SigningKey> key_;
};

// OpenID Connect Core 1.0, Appendix A.3: the access token of the example
// and its at_hash.
TEST(AtHash, MatchesTheOidcCoreExample) {
  EXPECT_EQ(LeftHalfHash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"), "77QmUPtjPfzWtF2AnpK9RQ");
}

TEST_F(IdTokenTest, HeaderIsTypJwtAndClaimsAreAsGiven) {
  const std::string token = key_->SignIdToken(Claims());
  auto h = Part(token, 0);
  EXPECT_EQ(h["typ"], "JWT");
  EXPECT_EQ(h["alg"], "RS256");
  EXPECT_EQ(h["kid"].as_string(), key_->kid());
  auto c = Part(token, 1);
  EXPECT_EQ(c["iss"], kIssuer);
  EXPECT_EQ(c["sub"], "42");
  EXPECT_EQ(c["aud"], "bookstore-web");
  EXPECT_EQ(c["azp"], "bookstore-web");
  EXPECT_EQ(c["auth_time"], kNow - 30);
  EXPECT_EQ(c["nonce"], "n-0S6_WzA2Mj");
  EXPECT_FALSE(c.contains("preferred_username"));  // empty: left out
  EXPECT_FALSE(c.contains("at_hash"));
}

TEST_F(IdTokenTest, VerifiesAsAHintEvenWhenExpired) {
  IdClaims claims = Claims();
  claims.exp = kNow - 86400;
  auto hint = Keys()->VerifyIdTokenHint(key_->SignIdToken(claims), kIssuer);
  ASSERT_TRUE(hint.ok()) << hint.error().message;
  EXPECT_EQ(hint->sub, "42");
  EXPECT_EQ(hint->aud, "bookstore-web");
  EXPECT_EQ(hint->sid, "sid-1");
  EXPECT_EQ(hint->auth_time, kNow - 30);
  EXPECT_FALSE(Keys()->VerifyIdTokenHint(key_->SignIdToken(claims), "http://other").ok());
  claims.aud.clear();
  EXPECT_FALSE(Keys()->VerifyIdTokenHint(key_->SignIdToken(claims), kIssuer).ok());
}

TEST_F(IdTokenTest, AccessAndIdTokensNeverPassForEachOther) {
  // An ID token whose aud happens to be the API's audience is still no access token.
  IdClaims id = Claims();
  id.aud = "bookstore-api";
  auto as_access = Keys()->Verify(key_->SignIdToken(id), {kIssuer, "bookstore-api", 60}, kNow);
  ASSERT_FALSE(as_access.ok());
  EXPECT_EQ(as_access.error().message, "not an access token");

  AccessClaims access;
  access.iss = kIssuer;
  access.sub = "42";
  access.aud = "bookstore-web";
  access.iat = kNow;
  access.exp = kNow + 900;
  auto as_hint = Keys()->VerifyIdTokenHint(key_->Sign(access), kIssuer);
  ASSERT_FALSE(as_hint.ok());
  EXPECT_EQ(as_hint.error().message, "not an ID token");
}

TEST_F(IdTokenTest, HintWithATamperedPayloadIsRefused) {
  std::string token = key_->SignIdToken(Claims());
  const size_t dot1 = token.find('.');
  token[dot1 + 5] = token[dot1 + 5] == 'A' ? 'B' : 'A';
  auto r = Keys()->VerifyIdTokenHint(token, kIssuer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kUnauthenticated);
}

}  // namespace
}  // namespace bookstore::jwt
