// Sign/verify rules of common/jwt.h: RS256 only, typ at+jwt, iss, aud,
// exp/nbf with leeway, tampering, unknown kid.

#include "common/jwt.h"

#include <gtest/gtest.h>
#include <openssl/hmac.h>

namespace bookstore::jwt {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr const char* kIssuer = "http://localhost:5000";
constexpr const char* kAudience = "bookstore-api";

class JwtTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    key_ = SigningKey::Generate();
    other_key_ = SigningKey::Generate();
  }
  static void TearDownTestSuite() {
    key_.reset();
    other_key_.reset();
  }

  static AccessClaims Claims() {
    AccessClaims c;
    c.iss = kIssuer;
    c.sub = "42";
    c.aud = kAudience;
    c.iat = kNow;
    c.exp = kNow + 900;
    c.jti = "jti-1";
    c.client_id = "bookstore-web";
    c.scope = "orders books:write";
    c.role = "admin";
    c.username = "alice";
    return c;
  }
  static VerifyOptions Options() { return {kIssuer, kAudience, 60}; }
  Result<AccessClaims> Verify(const std::string& token, int64_t now = kNow) const {
    return KeySet::FromKeys({key_})->Verify(token, Options(), now);
  }
  static std::string Header(const std::string& alg = "RS256", const std::string& typ = "at+jwt") {
    return R"({"alg":")" + alg + R"(","typ":")" + typ + R"(","kid":")" + key_->kid() + R"("})";
  }
  static std::string Payload(const std::string& extra = "") {
    return R"({"iss":"http://localhost:5000","sub":"42","aud":"bookstore-api","iat":1800000000,)"
           R"("exp":1800000900)" +
           extra + "}";
  }
  static void ExpectUnauthenticated(const Result<AccessClaims>& r, const std::string& reason) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::kUnauthenticated);
    EXPECT_EQ(r.error().message, reason);
  }

  static inline std::shared_ptr<const SigningKey> key_;
  static inline std::shared_ptr<const SigningKey> other_key_;
};

TEST_F(JwtTest, SignVerifyRoundTrip) {
  const auto r = Verify(key_->Sign(Claims()));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->iss, kIssuer);
  EXPECT_EQ(r->sub, "42");
  EXPECT_EQ(r->aud, kAudience);
  EXPECT_EQ(r->exp, kNow + 900);
  EXPECT_EQ(r->iat, kNow);
  EXPECT_EQ(r->nbf, 0);
  EXPECT_EQ(r->jti, "jti-1");
  EXPECT_EQ(r->client_id, "bookstore-web");
  EXPECT_EQ(r->scope, "orders books:write");
  EXPECT_EQ(r->role, "admin");
  EXPECT_EQ(r->username, "alice");
}

TEST_F(JwtTest, HeaderNamesAlgTypAndKid) {
  const std::string token = key_->Sign(Claims());
  const auto header = Base64UrlDecode(token.substr(0, token.find('.')));
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(*header, R"({"alg":"RS256","typ":"at+jwt","kid":")" + key_->kid() + R"("})");
}

TEST_F(JwtTest, ExpiryHonoursLeeway) {
  const std::string token = key_->Sign(Claims());
  EXPECT_TRUE(Verify(token, kNow + 900).ok());
  EXPECT_TRUE(Verify(token, kNow + 960).ok());  // within 60 s leeway
  ExpectUnauthenticated(Verify(token, kNow + 961), "token expired");
}

TEST_F(JwtTest, NotBeforeInFutureRejected) {
  AccessClaims c = Claims();
  c.nbf = kNow + 300;
  const std::string token = key_->Sign(c);
  ExpectUnauthenticated(Verify(token), "token not yet valid");
  EXPECT_TRUE(Verify(token, kNow + 240).ok());  // within leeway
  const auto r = Verify(token, kNow + 300);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->nbf, kNow + 300);
}

TEST_F(JwtTest, WrongIssuerOrAudienceRejected) {
  AccessClaims c = Claims();
  c.iss = "http://localhost:5000/";  // no trailing-slash normalisation
  ExpectUnauthenticated(Verify(key_->Sign(c)), "wrong issuer");
  c = Claims();
  c.aud = "other-api";
  ExpectUnauthenticated(Verify(key_->Sign(c)), "wrong audience");
}

TEST_F(JwtTest, AudienceArrayContainingOursAccepted) {
  const std::string with_ours =
      R"({"iss":"http://localhost:5000","sub":"1","aud":["x","bookstore-api"],"iat":1,"exp":1800000900})";
  EXPECT_TRUE(Verify(key_->SignRaw(Header(), with_ours)).ok());
  const std::string without =
      R"({"iss":"http://localhost:5000","sub":"1","aud":["x"],"iat":1,"exp":1800000900})";
  ExpectUnauthenticated(Verify(key_->SignRaw(Header(), without)), "wrong audience");
  const std::string no_aud =
      R"({"iss":"http://localhost:5000","sub":"1","iat":1,"exp":1800000900})";
  ExpectUnauthenticated(Verify(key_->SignRaw(Header(), no_aud)), "wrong audience");
}

// Libraries disagree on which of two equal names wins; a JWT naming a header
// parameter or a claim twice is refused outright.
TEST_F(JwtTest, DuplicateHeaderParametersOrClaimsRejected) {
  ASSERT_TRUE(Verify(key_->SignRaw(Header(), Payload())).ok());
  const std::string two_algs =
      R"({"alg":"none","alg":"RS256","typ":"at+jwt","kid":")" + key_->kid() + R"("})";
  EXPECT_FALSE(Verify(key_->SignRaw(two_algs, Payload())).ok());
  EXPECT_FALSE(Verify(key_->SignRaw(Header(), Payload(R"(,"sub":"1")"))).ok());
  EXPECT_FALSE(Verify(key_->SignRaw(Header(), Payload(R"(,"aud":"other")"))).ok());
}

TEST_F(JwtTest, MissingOrNonNumericTimesRejected) {
  const std::string no_exp =
      R"({"iss":"http://localhost:5000","sub":"1","aud":"bookstore-api","iat":1})";
  ExpectUnauthenticated(Verify(key_->SignRaw(Header(), no_exp)), "token has no expiry");
  const std::string text_exp =
      R"({"iss":"http://localhost:5000","sub":"1","aud":"bookstore-api","iat":1,"exp":"1800000900"})";
  ExpectUnauthenticated(Verify(key_->SignRaw(Header(), text_exp)), "token has no expiry");
  const std::string no_iat =
      R"({"iss":"http://localhost:5000","sub":"1","aud":"bookstore-api","exp":1800000900})";
  ExpectUnauthenticated(Verify(key_->SignRaw(Header(), no_iat)), "token has no iat");
  const std::string numeric_sub =
      R"({"iss":"http://localhost:5000","sub":1,"aud":"bookstore-api","iat":1,"exp":1800000900})";
  ExpectUnauthenticated(Verify(key_->SignRaw(Header(), numeric_sub)), "token has no subject");
}

TEST_F(JwtTest, TamperedPayloadOrSignatureRejected) {
  const std::string token = key_->Sign(Claims());
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.rfind('.');
  AccessClaims c = Claims();
  c.role = "admin2";
  const std::string other = key_->Sign(c);
  // Payload of another token with this token's signature.
  const std::string swapped =
      token.substr(0, dot1) + other.substr(dot1, other.rfind('.') - dot1) + token.substr(dot2);
  ExpectUnauthenticated(Verify(swapped), "bad signature");
  std::string flipped = token;
  flipped[dot2 + 5] = flipped[dot2 + 5] == 'A' ? 'B' : 'A';
  ExpectUnauthenticated(Verify(flipped), "bad signature");
  ExpectUnauthenticated(Verify(token.substr(0, dot2 + 1)), "malformed token signature");
  ExpectUnauthenticated(Verify(token + ".x"), "malformed token");
  ExpectUnauthenticated(Verify("not-a-token"), "malformed token");
}

TEST_F(JwtTest, SignatureByAnotherKeyWithOurKidRejected) {
  const std::string forged = other_key_->SignRaw(Header(), Payload());
  ExpectUnauthenticated(Verify(forged), "bad signature");
}

TEST_F(JwtTest, AlgNoneRejected) {
  const std::string none =
      Base64UrlEncode(R"({"alg":"none","typ":"at+jwt"})") + "." + Base64UrlEncode(Payload()) + ".";
  ExpectUnauthenticated(Verify(none), "unsupported token algorithm");
  const std::string none_with_sig =
      Base64UrlEncode(Header("none")) + "." + Base64UrlEncode(Payload()) + ".AAAA";
  ExpectUnauthenticated(Verify(none_with_sig), "unsupported token algorithm");
  ExpectUnauthenticated(Verify(key_->SignRaw(Header("rs256"), Payload())),
                        "unsupported token algorithm");
}

TEST_F(JwtTest, Hs256WithPublicKeyAsSecretRejected) {
  // The classic key-confusion attack: MAC with the public key PEM.
  const std::string input = Base64UrlEncode(Header("HS256")) + "." + Base64UrlEncode(Payload());
  const std::string secret = key_->PublicPem();
  unsigned char mac[32];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_len);
  const std::string token =
      input + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), mac_len));
  ExpectUnauthenticated(Verify(token), "unsupported token algorithm");
}

TEST_F(JwtTest, TypMustBeAccessToken) {
  ExpectUnauthenticated(Verify(key_->SignRaw(Header("RS256", "JWT"), Payload())),
                        "not an access token");
  ExpectUnauthenticated(Verify(key_->SignRaw(R"({"alg":"RS256"})", Payload())),
                        "not an access token");
  EXPECT_TRUE(Verify(key_->SignRaw(Header("RS256", "AT+JWT"), Payload())).ok());
  EXPECT_TRUE(Verify(key_->SignRaw(Header("RS256", "application/at+jwt"), Payload())).ok());
}

TEST_F(JwtTest, UnknownKidIsNotFound) {
  const auto r = KeySet::FromKeys({other_key_})->Verify(key_->Sign(Claims()), Options(), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kNotFound);
}

TEST_F(JwtTest, MissingKidTriesEveryKey) {
  const std::string token = key_->SignRaw(R"({"alg":"RS256","typ":"at+jwt"})", Payload());
  EXPECT_TRUE(KeySet::FromKeys({other_key_, key_})->Verify(token, Options(), kNow).ok());
  const auto r = KeySet::FromKeys({other_key_})->Verify(token, Options(), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "bad signature");
}

TEST_F(JwtTest, CritHeaderRejected) {
  const std::string header =
      R"({"alg":"RS256","typ":"at+jwt","kid":")" + key_->kid() + R"(","crit":["exp"]})";
  ExpectUnauthenticated(Verify(key_->SignRaw(header, Payload())), "unsupported critical header");
}

TEST(Base64Url, RoundTripAndStrictDecoding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  for (const std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xfb\xff\xfe"}) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(s)), s);
  }
  EXPECT_FALSE(Base64UrlDecode("Zg==").has_value());  // padding
  EXPECT_FALSE(Base64UrlDecode("Z").has_value());     // impossible length
  EXPECT_FALSE(Base64UrlDecode("Zh").has_value());    // non-zero trailing bits
  EXPECT_FALSE(Base64UrlDecode("+/8").has_value());   // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm 9v").has_value());
}

}  // namespace
}  // namespace bookstore::jwt
