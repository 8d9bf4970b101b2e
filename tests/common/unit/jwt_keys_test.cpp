// Key handling of common/jwt.h: kid thumbprints, PEM, JWKS, key files.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "common/jwt.h"
#include "tests/support/test_env.h"

namespace bookstore::jwt {
namespace {

// RFC 7638 §3.1: this JWK's thumbprint is NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs.
constexpr const char* kRfc7638N =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPeb"
    "WKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368"
    "QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lF"
    "d2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
constexpr const char* kRfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

std::string Jwk(const std::string& members) { return "{" + members + "}"; }

TEST(JwtKeys, KidIsRfc7638Thumbprint) {
  // A JWK without kid gets its thumbprint as kid.
  const auto set = KeySet::FromJwks(MakeJwks(
      {Jwk(R"("kty":"RSA","alg":"RS256","n":")" + std::string(kRfc7638N) + R"(","e":"AQAB")")}));
  ASSERT_TRUE(set.ok());
  EXPECT_EQ((*set)->size(), 1u);
  EXPECT_TRUE((*set)->Has(kRfc7638Thumbprint));
}

TEST(JwtKeys, PublicJwkCarriesKidAndMatchesPem) {
  const auto key = SigningKey::Generate();
  EXPECT_EQ(key->kid().size(), 43u);  // base64url of 32 bytes
  const std::string jwk = key->PublicJwk();
  EXPECT_NE(jwk.find(R"("kid":")" + key->kid() + "\""), std::string::npos);
  EXPECT_NE(jwk.find(R"("e":"AQAB")"), std::string::npos);
  EXPECT_NE(jwk.find(R"("alg":"RS256")"), std::string::npos);
  EXPECT_EQ(key->PublicPem().rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  const auto again = SigningKey::FromPem(key->PrivatePem());
  EXPECT_EQ(again->kid(), key->kid());
  EXPECT_NE(SigningKey::Generate()->kid(), key->kid());
}

TEST(JwtKeys, JwksRoundTripVerifiesSignedToken) {
  const auto key = SigningKey::Generate();
  const auto set = KeySet::FromJwks(MakeJwks({key->PublicJwk()}));
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE((*set)->Has(key->kid()));
  AccessClaims c;
  c.iss = "https://auth.example";
  c.sub = "7";
  c.aud = "api";
  c.exp = 2000;
  c.iat = 1000;
  const auto r = (*set)->Verify(key->Sign(c), {"https://auth.example", "api", 0}, 1500);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->sub, "7");
}

TEST(JwtKeys, JwksSkipsUnusableKeys) {
  const std::string n = std::string(R"("n":")") + kRfc7638N + R"(","e":"AQAB")";
  const auto set = KeySet::FromJwks(MakeJwks({
      Jwk(R"("kty":"EC","kid":"ec","crv":"P-256","x":"AA","y":"AA")"),
      Jwk(R"("kty":"RSA","kid":"ps","alg":"PS256",)" + n),
      Jwk(R"("kty":"RSA","kid":"enc","use":"enc",)" + n),
      Jwk(R"("kty":"RSA","kid":"small","n":"AQAB","e":"AQAB")"),
      Jwk(R"("kty":"RSA","kid":"broken","n":"!!","e":"AQAB")"),
      Jwk(R"("kty":"RSA","kid":"good","use":"sig",)" + n),
  }));
  ASSERT_TRUE(set.ok());
  EXPECT_EQ((*set)->size(), 1u);
  EXPECT_TRUE((*set)->Has("good"));
}

TEST(JwtKeys, NotAJwksIsAnError) {
  EXPECT_FALSE(KeySet::FromJwks("").ok());
  EXPECT_FALSE(KeySet::FromJwks("[]").ok());
  EXPECT_FALSE(KeySet::FromJwks(R"({"keys":{}})").ok());
  EXPECT_FALSE(KeySet::FromJwks(R"({"key":[]})").ok());
  EXPECT_TRUE(KeySet::FromJwks(R"({"keys":[]})").ok());
}

TEST(JwtKeys, FromPemRejectsGarbageAndShortKeys) {
  EXPECT_THROW(SigningKey::FromPem("not a pem"), std::runtime_error);
  EXPECT_THROW(SigningKey::FromPem(SigningKey::Generate()->PublicPem()), std::runtime_error);
  EVP_PKEY* small = EVP_RSA_gen(1024);
  ASSERT_NE(small, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, small, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(small);
  EXPECT_THROW(SigningKey::FromPem(pem), std::runtime_error);
}

TEST(JwtKeys, LoadOrCreateWritesOwnerOnlyFileAndReloadsSameKey) {
  test::TempDir dir;
  const std::string path = dir.File("keys/nested/signing.pem");
  const auto created = SigningKey::LoadOrCreate(path, /*create_folder=*/true);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const auto loaded = SigningKey::LoadOrCreate(path);
  EXPECT_EQ(loaded->kid(), created->kid());
  // No temp files left behind.
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator(dir.File("keys/nested"))) {
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST(JwtKeys, LoadOrCreateUsesExistingPem) {
  test::TempDir dir;
  const auto key = SigningKey::Generate();
  {
    std::ofstream out(dir.File("k.pem"));
    out << key->PrivatePem();
  }
  EXPECT_EQ(SigningKey::LoadOrCreate(dir.File("k.pem"))->kid(), key->kid());
  {
    std::ofstream out(dir.File("bad.pem"));
    out << "garbage";
  }
  try {
    SigningKey::LoadOrCreate(dir.File("bad.pem"));
    ADD_FAILURE() << "garbage accepted";
  } catch (const std::runtime_error& e) {  // names the file and the reason
    EXPECT_NE(std::string(e.what()).find(dir.File("bad.pem") + ": not a PEM private key"),
              std::string::npos)
        << e.what();
  }
}

TEST(JwtKeys, LoadOrCreateRefusesAMissingFolderUnlessAskedToCreateIt) {
  test::TempDir dir;
  const std::string path = dir.File("typo/signing.pem");
  try {
    SigningKey::LoadOrCreate(path);
    ADD_FAILURE() << "a key was created in a missing folder";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.File("typo") + " does not exist"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File("typo")));
}

}  // namespace
}  // namespace bookstore::jwt
