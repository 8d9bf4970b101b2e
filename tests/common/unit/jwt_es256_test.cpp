// ES256 in common/jwt.h: P-256 keys, their JWK and RFC 7638 kid, R || S
// signatures, and the algorithm pinned per key (no RS256/ES256 confusion).

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <filesystem>

#include "common/jwt.h"
#include "tests/support/test_env.h"

namespace bookstore::jwt {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr const char* kIssuer = "http://localhost:5000";

AccessClaims Claims() {
  AccessClaims c;
  c.iss = kIssuer;
  c.sub = "42";
  c.aud = "bookstore-api";
  c.iat = kNow;
  c.exp = kNow + 900;
  c.jti = "jti-1";
  c.client_id = "bookstore-web";
  c.scope = "orders";
  c.role = "customer";
  c.username = "bob";
  return c;
}

const VerifyOptions kOptions{kIssuer, "bookstore-api", 60};

std::string Part(const std::string& token, int i) {
  size_t start = 0;
  for (int k = 0; k < i; ++k) start = token.find('.', start) + 1;
  const size_t end = token.find('.', start);
  return token.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

class Es256Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ec_ = SigningKey::Generate(Alg::kEs256);
    rsa_ = SigningKey::Generate(Alg::kRs256);
  }
  static void TearDownTestSuite() {
    ec_.reset();
    rsa_.reset();
  }
  static std::shared_ptr<const SigningKey> ec_;
  static std::shared_ptr<const SigningKey> rsa_;
};
std::shared_ptr<const SigningKey> Es256Test::ec_;
std::shared_ptr<const SigningKey> Es256Test::rsa_;

TEST(JwtAlg, NamesParseBothWaysAndNothingElse) {
  EXPECT_EQ(AlgName(Alg::kRs256), "RS256");
  EXPECT_EQ(AlgName(Alg::kEs256), "ES256");
  EXPECT_EQ(ParseAlg("ES256"), Alg::kEs256);
  EXPECT_EQ(ParseAlg("RS256"), Alg::kRs256);
  for (const char* other : {"es256", "HS256", "none", "EdDSA", "ES384", ""}) {
    EXPECT_FALSE(ParseAlg(other).has_value()) << other;
  }
}

TEST_F(Es256Test, SignVerifyRoundTripWithAnRsByteSignature) {
  EXPECT_EQ(ec_->alg(), Alg::kEs256);
  const std::string token = ec_->Sign(Claims());
  EXPECT_EQ(Base64UrlDecode(Part(token, 0)).value(),
            R"({"alg":"ES256","typ":"at+jwt","kid":")" + ec_->kid() + R"("})");
  EXPECT_EQ(Base64UrlDecode(Part(token, 2)).value().size(), 64u);  // R || S, not DER
  const auto claims = KeySet::FromKeys({ec_})->Verify(token, kOptions, kNow);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->username, "bob");
  // ECDSA signatures are randomised; both verify.
  EXPECT_NE(ec_->Sign(Claims()), token);
}

TEST_F(Es256Test, PublicJwkIsP256WithThumbprintKid) {
  const auto jwk = KeySet::FromJwks(MakeJwks({ec_->PublicJwk()}));
  ASSERT_TRUE(jwk.ok());
  EXPECT_TRUE((*jwk)->Has(ec_->kid()));
  const std::string text = ec_->PublicJwk();
  for (const char* member :
       {R"("kty":"EC")", R"("crv":"P-256")", R"("alg":"ES256")", R"("use":"sig")"}) {
    EXPECT_NE(text.find(member), std::string::npos) << member << " in " << text;
  }
  EXPECT_EQ(text.find(R"("d":)"), std::string::npos);  // never the private scalar
  // Without a kid the set names the key by its RFC 7638 thumbprint, which is
  // the kid we publish.
  std::string no_kid = text;
  const size_t at = no_kid.find(R"("kid":")");
  no_kid.erase(at, no_kid.find('"', at + 7) - at + 2);
  const auto by_thumbprint = KeySet::FromJwks(MakeJwks({no_kid}));
  ASSERT_TRUE(by_thumbprint.ok());
  EXPECT_TRUE((*by_thumbprint)->Has(ec_->kid())) << no_kid;
}

TEST_F(Es256Test, PemRoundTripKeepsTheKeyAndItsAlgorithm) {
  const auto again = SigningKey::FromPem(ec_->PrivatePem());
  EXPECT_EQ(again->alg(), Alg::kEs256);
  EXPECT_EQ(again->kid(), ec_->kid());
  EXPECT_TRUE(KeySet::FromKeys({ec_})->Verify(again->Sign(Claims()), kOptions, kNow).ok());
  EXPECT_NE(SigningKey::Generate(Alg::kEs256)->kid(), ec_->kid());
}

TEST_F(Es256Test, OtherCurvesAreRefused) {
  EVP_PKEY* p384 = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  ASSERT_NE(p384, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio, p384, nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(p384);
  EXPECT_THROW(SigningKey::FromPem(pem), std::runtime_error);
}

TEST_F(Es256Test, TheAlgorithmIsPinnedToTheKey) {
  const auto both = KeySet::FromKeys({ec_, rsa_});
  ASSERT_EQ(both->size(), 2u);
  EXPECT_TRUE(both->Verify(ec_->Sign(Claims()), kOptions, kNow).ok());
  EXPECT_TRUE(both->Verify(rsa_->Sign(Claims()), kOptions, kNow).ok());
  const std::string payload = Base64UrlDecode(Part(ec_->Sign(Claims()), 1)).value();
  // The RSA key's kid with an ES256 header (signed by the EC key), and the
  // EC key's kid with an RS256 header (signed by the RSA key): refused.
  const auto a = both->Verify(
      ec_->SignRaw(R"({"alg":"ES256","typ":"at+jwt","kid":")" + rsa_->kid() + R"("})", payload),
      kOptions, kNow);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().message, "token algorithm does not match its key");
  const auto b = both->Verify(
      rsa_->SignRaw(R"({"alg":"RS256","typ":"at+jwt","kid":")" + ec_->kid() + R"("})", payload),
      kOptions, kNow);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().message, "token algorithm does not match its key");
  // Without a kid only the keys of the header's algorithm are tried.
  EXPECT_TRUE(
      both->Verify(ec_->SignRaw(R"({"alg":"ES256","typ":"at+jwt"})", payload), kOptions, kNow)
          .ok());
  EXPECT_FALSE(
      both->Verify(ec_->SignRaw(R"({"alg":"RS256","typ":"at+jwt"})", payload), kOptions, kNow)
          .ok());
  for (const char* alg : {"ES384", "ES512", "HS256", "none", "EdDSA"}) {
    const auto r = both->Verify(
        ec_->SignRaw(std::string(R"({"alg":")") + alg + R"(","typ":"at+jwt"})", payload), kOptions,
        kNow);
    ASSERT_FALSE(r.ok()) << alg;
    EXPECT_EQ(r.error().message, "unsupported token algorithm") << alg;
  }
}

TEST_F(Es256Test, MalformedOrTamperedSignaturesAreRefused) {
  const auto keys = KeySet::FromKeys({ec_});
  const std::string token = ec_->Sign(Claims());
  const std::string signed_part = token.substr(0, token.rfind('.'));
  const std::string raw = Base64UrlDecode(Part(token, 2)).value();
  std::string flipped = raw;
  flipped[10] = static_cast<char>(flipped[10] ^ 1);
  const std::string zeros(64, '\0');
  std::string s_zero = raw;
  std::fill(s_zero.begin() + 32, s_zero.end(), '\0');
  for (const std::string& sig :
       {raw.substr(0, 63), raw + "x", flipped, zeros, s_zero, std::string(64, '\xff')}) {
    const auto r = keys->Verify(signed_part + "." + Base64UrlEncode(sig), kOptions, kNow);
    ASSERT_FALSE(r.ok()) << sig.size();
    EXPECT_EQ(r.error().message, "bad signature");
  }
  // The DER form OpenSSL itself produces is not a JWS signature (RFC 7518 §3.4).
  std::string der = "\x30\x44\x02\x20" + raw.substr(0, 32) + "\x02\x20" + raw.substr(32);
  EXPECT_FALSE(keys->Verify(signed_part + "." + Base64UrlEncode(der), kOptions, kNow).ok());
  // A changed payload under the original signature.
  const std::string other = Base64UrlEncode(R"({"iss":"x"})");
  EXPECT_FALSE(
      keys->Verify(Part(token, 0) + "." + other + "." + Part(token, 2), kOptions, kNow).ok());
}

TEST_F(Es256Test, JwksSkipsUnusableEcKeys) {
  const std::string good = ec_->PublicJwk();
  const auto swap = [&good](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  const std::string x_member = good.substr(good.find(R"("x":")"), 49);
  const std::string y_member = good.substr(good.find(R"("y":")"), 49);
  for (const std::string& jwk : {
           swap(R"("crv":"P-256")", R"("crv":"P-384")"),
           swap(R"("alg":"ES256")", R"("alg":"RS256")"),
           swap(R"("use":"sig")", R"("use":"enc")"),
           swap(x_member, R"("x":"AAAA")"),                                        // not 32 bytes
           swap(x_member, std::string(R"("x":")") + std::string(43, 'A') + "\""),  // off the curve
           swap(y_member, R"("y":1)"),
       }) {
    const auto set = KeySet::FromJwks(MakeJwks({jwk}));
    ASSERT_TRUE(set.ok()) << jwk;
    EXPECT_EQ((*set)->size(), 0u) << jwk;
  }
}

TEST_F(Es256Test, IdTokensAreSignedAndVerifiedWithTheSameAlgorithm) {
  IdClaims c;
  c.iss = kIssuer;
  c.sub = "42";
  c.aud = "bookstore-web";
  c.iat = kNow;
  c.exp = kNow + 900;
  const std::string token = ec_->SignIdToken(c);
  EXPECT_EQ(Base64UrlDecode(Part(token, 0)).value(),
            R"({"alg":"ES256","typ":"JWT","kid":")" + ec_->kid() + R"("})");
  EXPECT_TRUE(KeySet::FromKeys({ec_})->VerifyIdTokenHint(token, kIssuer).ok());
  EXPECT_FALSE(KeySet::FromKeys({ec_})->Verify(token, kOptions, kNow).ok());  // not at+jwt
}

TEST_F(Es256Test, LoadOrCreateMakesAKeyOfTheAlgorithmAndKeepsAnExistingOne) {
  test::TempDir dir;
  const std::string path = dir.File("ec.pem");
  const auto created = SigningKey::LoadOrCreate(path, false, Alg::kEs256);
  EXPECT_EQ(created->alg(), Alg::kEs256);
  EXPECT_EQ(SigningKey::LoadOrCreate(path, false, Alg::kEs256)->kid(), created->kid());
  // An existing file keeps its own algorithm; the caller compares alg().
  const auto kept = SigningKey::LoadOrCreate(path, false, Alg::kRs256);
  EXPECT_EQ(kept->alg(), Alg::kEs256);
  EXPECT_EQ(kept->kid(), created->kid());
  const auto perms = std::filesystem::status(path).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace
}  // namespace bookstore::jwt
