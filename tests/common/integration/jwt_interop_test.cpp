// Our JWTs checked by another implementation (PyJWT + cryptography under
// Debian's /usr/bin/python3), and PyJWT's RS256 and ES256 tokens checked by
// KeySet.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/clock.h"
#include "common/jwt.h"
#include "tests/support/test_env.h"

namespace bookstore::test {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Runs `script` with the folder as argument; returns the exit status.
int RunPython(const TempDir& dir, const std::string& script) {
  Write(dir.File("check.py"), script);
  const std::string command = std::string(kPython) + " " + dir.File("check.py") + " " + dir.path() +
                              " > " + dir.File("out.txt") + " 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

constexpr const char* kVerifyOurToken = R"PY(
import base64, hashlib, json, sys
import jwt
from jwt.algorithms import RSAAlgorithm
d = sys.argv[1]
token = open(d + "/token").read().strip()
jwks = json.load(open(d + "/jwks.json"))
header = jwt.get_unverified_header(token)
assert header == {"alg": "RS256", "typ": "at+jwt", "kid": header["kid"]}, header
[jwk] = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"),
                       sort_keys=True)
thumb = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
assert thumb == header["kid"], (thumb, header["kid"])
required = {"require": ["exp", "iat", "iss", "aud", "sub", "jti"]}
for key in (RSAAlgorithm.from_jwk(json.dumps(jwk)), open(d + "/public.pem").read()):
    claims = jwt.decode(token, key, algorithms=["RS256"], audience="bookstore-api",
                        issuer="http://localhost:5000", options=required)
    assert claims["sub"] == "42" and claims["client_id"] == "bookstore-web", claims
    assert claims["scope"] == "orders" and claims["role"] == "customer", claims
    assert claims["username"] == "bob" and claims["jti"] == "j-1", claims
try:
    jwt.decode(token, open(d + "/public.pem").read(), algorithms=["RS256"],
               audience="other-api", issuer="http://localhost:5000")
    sys.exit(3)
except jwt.InvalidAudienceError:
    pass
print("ok")
)PY";

constexpr const char* kSignWithPython = R"PY(
import json, sys, time
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
d = sys.argv[1]
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
jwk.update({"kid": "py-1", "alg": "RS256", "use": "sig"})
open(d + "/jwks.json", "w").write(json.dumps({"keys": [jwk]}))
now = int(time.time())
claims = {"iss": "http://localhost:5000", "sub": "7", "aud": ["bookstore-api"], "iat": now,
          "exp": now + 600, "jti": "py-jti", "client_id": "cli", "scope": "orders:manage",
          "role": "admin", "username": "root"}
token = jwt.encode(claims, key, algorithm="RS256", headers={"typ": "at+jwt", "kid": "py-1"})
open(d + "/token", "w").write(token)
open(d + "/now", "w").write(str(now))
)PY";

// Our ES256 token: header, RFC 7638 kid over crv/kty/x/y, the signature
// (R || S) with the key from the JWK and from the PEM.
constexpr const char* kVerifyOurEs256Token = R"PY(
import base64, hashlib, json, sys
import jwt
from jwt.algorithms import ECAlgorithm
d = sys.argv[1]
token = open(d + "/token").read().strip()
jwks = json.load(open(d + "/jwks.json"))
header = jwt.get_unverified_header(token)
assert header == {"alg": "ES256", "typ": "at+jwt", "kid": header["kid"]}, header
[jwk] = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
assert jwk["kty"] == "EC" and jwk["crv"] == "P-256" and jwk["alg"] == "ES256", jwk
canonical = json.dumps({"crv": "P-256", "kty": "EC", "x": jwk["x"], "y": jwk["y"]},
                       separators=(",", ":"), sort_keys=True)
thumb = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
assert thumb == header["kid"], (thumb, header["kid"])
for key in (ECAlgorithm.from_jwk(json.dumps(jwk)), open(d + "/public.pem").read()):
    claims = jwt.decode(token, key, algorithms=["ES256"], audience="bookstore-api",
                        issuer="http://localhost:5000")
    assert claims["sub"] == "42" and claims["username"] == "bob", claims
print("ok")
)PY";

constexpr const char* kSignEs256WithPython = R"PY(
import json, sys, time
import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
d = sys.argv[1]
key = ec.generate_private_key(ec.SECP256R1())
jwk = json.loads(ECAlgorithm.to_jwk(key.public_key()))
jwk.update({"kid": "py-ec", "alg": "ES256", "use": "sig"})
open(d + "/jwks.json", "w").write(json.dumps({"keys": [jwk]}))
now = int(time.time())
claims = {"iss": "http://localhost:5000", "sub": "9", "aud": "bookstore-api", "iat": now,
          "exp": now + 600, "jti": "py-ec-jti", "client_id": "cli", "scope": "orders",
          "role": "customer", "username": "eve"}
token = jwt.encode(claims, key, algorithm="ES256", headers={"typ": "at+jwt", "kid": "py-ec"})
open(d + "/token", "w").write(token)
open(d + "/now", "w").write(str(now))
)PY";

jwt::AccessClaims Claims(int64_t now) {
  jwt::AccessClaims c;
  c.iss = "http://localhost:5000";
  c.sub = "42";
  c.aud = "bookstore-api";
  c.exp = now + 900;
  c.iat = now;
  c.jti = "j-1";
  c.client_id = "bookstore-web";
  c.scope = "orders";
  c.role = "customer";
  c.username = "bob";
  return c;
}

class JwtInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kPython)) GTEST_SKIP() << kPython << " not installed";
  }
  TempDir dir_;
};

TEST_F(JwtInteropTest, PyJwtVerifiesOurToken) {
  const auto key = jwt::SigningKey::Generate();
  const int64_t now = SystemClock::Instance().Now();
  const std::string token = key->Sign(Claims(now));
  Write(dir_.File("token"), token);
  Write(dir_.File("jwks.json"), jwt::MakeJwks({key->PublicJwk()}));
  Write(dir_.File("public.pem"), key->PublicPem());
  EXPECT_EQ(RunPython(dir_, kVerifyOurToken), 0) << Read(dir_.File("out.txt"));
}

TEST_F(JwtInteropTest, PyJwtRejectsTamperedToken) {
  const auto key = jwt::SigningKey::Generate();
  const int64_t now = SystemClock::Instance().Now();
  std::string token = key->Sign(Claims(now));
  token[token.rfind('.') + 3] = token[token.rfind('.') + 3] == 'A' ? 'B' : 'A';
  Write(dir_.File("token"), token);
  Write(dir_.File("jwks.json"), jwt::MakeJwks({key->PublicJwk()}));
  Write(dir_.File("public.pem"), key->PublicPem());
  EXPECT_NE(RunPython(dir_, kVerifyOurToken), 0) << Read(dir_.File("out.txt"));
}

TEST_F(JwtInteropTest, KeySetVerifiesPyJwtToken) {
  ASSERT_EQ(RunPython(dir_, kSignWithPython), 0) << Read(dir_.File("out.txt"));
  const auto set = jwt::KeySet::FromJwks(Read(dir_.File("jwks.json")));
  ASSERT_TRUE(set.ok());
  ASSERT_TRUE((*set)->Has("py-1"));
  const int64_t now = std::stoll(Read(dir_.File("now")));
  const std::string token = Read(dir_.File("token"));
  const auto claims = (*set)->Verify(token, {"http://localhost:5000", "bookstore-api", 60}, now);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->sub, "7");
  EXPECT_EQ(claims->aud, "bookstore-api");
  EXPECT_EQ(claims->exp, now + 600);
  EXPECT_EQ(claims->jti, "py-jti");
  EXPECT_EQ(claims->client_id, "cli");
  EXPECT_EQ(claims->scope, "orders:manage");
  EXPECT_EQ(claims->role, "admin");
  EXPECT_EQ(claims->username, "root");
  const auto expired =
      (*set)->Verify(token, {"http://localhost:5000", "bookstore-api", 60}, now + 661);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().message, "token expired");
}

TEST_F(JwtInteropTest, PyJwtVerifiesOurEs256Token) {
  const auto key = jwt::SigningKey::Generate(jwt::Alg::kEs256);
  const int64_t now = SystemClock::Instance().Now();
  Write(dir_.File("token"), key->Sign(Claims(now)));
  Write(dir_.File("jwks.json"), jwt::MakeJwks({key->PublicJwk()}));
  Write(dir_.File("public.pem"), key->PublicPem());
  EXPECT_EQ(RunPython(dir_, kVerifyOurEs256Token), 0) << Read(dir_.File("out.txt"));
}

TEST_F(JwtInteropTest, KeySetVerifiesPyJwtEs256Token) {
  ASSERT_EQ(RunPython(dir_, kSignEs256WithPython), 0) << Read(dir_.File("out.txt"));
  const auto set = jwt::KeySet::FromJwks(Read(dir_.File("jwks.json")));
  ASSERT_TRUE(set.ok());
  ASSERT_TRUE((*set)->Has("py-ec"));
  const int64_t now = std::stoll(Read(dir_.File("now")));
  const std::string token = Read(dir_.File("token"));
  const auto claims = (*set)->Verify(token, {"http://localhost:5000", "bookstore-api", 60}, now);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->sub, "9");
  EXPECT_EQ(claims->username, "eve");
  std::string tampered = token;
  tampered[tampered.rfind('.') + 5] = tampered[tampered.rfind('.') + 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE((*set)->Verify(tampered, {"http://localhost:5000", "bookstore-api", 60}, now).ok());
}

}  // namespace
}  // namespace bookstore::test
