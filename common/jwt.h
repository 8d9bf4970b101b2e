#pragma once
// JWT access tokens (RFC 9068) and OpenID Connect ID tokens on OpenSSL 3
// EVP, signed RS256 (RSA >= 2048 bits) or ES256 (EC P-256). Keys are parsed
// once. The algorithm is pinned per key: a token verifies only when its
// header names the algorithm of the key its kid names (never "none", never
// HMAC), and the two kinds never pass for each other (typ "at+jwt" vs
// "JWT"). SigningKey and KeySet are immutable after construction and
// thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace bookstore::jwt {

// The signature algorithms (RFC 7518 §3.3, §3.4).
enum class Alg { kRs256, kEs256 };
std::string_view AlgName(Alg alg);  // "RS256", "ES256"
std::optional<Alg> ParseAlg(std::string_view name);

std::string Base64UrlEncode(std::string_view data);
std::optional<std::string> Base64UrlDecode(std::string_view text);

struct AccessClaims {
  std::string iss;
  std::string sub;
  std::string aud;
  int64_t exp = 0;
  int64_t iat = 0;
  int64_t nbf = 0;  // 0 when absent
  std::string jti;
  std::string client_id;
  std::string scope;  // space separated
  std::string role;
  std::string username;
};

// An OpenID Connect ID token's claims (OIDC Core §2). Empty strings and 0
// are left out of the token.
struct IdClaims {
  std::string iss;
  std::string sub;
  std::string aud;  // the client_id
  std::string azp;
  int64_t exp = 0;
  int64_t iat = 0;
  int64_t auth_time = 0;
  std::string nonce;
  std::string at_hash;
  std::string sid;
  std::string preferred_username;  // with scope profile
  std::string role;                // with scope profile
};

// at_hash / c_hash of OIDC Core §3.1.3.6 for RS256 and ES256 (both hash
// with SHA-256): base64url of the left half of SHA-256(token).
std::string LeftHalfHash(std::string_view token);

class SigningKey {
 public:
  // Parses a PEM private key: RSA of at least 2048 bits (RS256) or EC on
  // P-256 (ES256). Throws std::runtime_error when invalid.
  static std::shared_ptr<const SigningKey> FromPem(std::string_view pem);
  // Generates a new key: RSA-2048 for RS256, P-256 for ES256.
  static std::shared_ptr<const SigningKey> Generate(Alg alg = Alg::kRs256);
  // Reads `path`, or when it does not exist creates it (mode 0600) with a
  // new key for `alg`. A key read keeps its own algorithm (compare alg()).
  // Its folder must exist unless `create_folder` (the default key file in
  // the data folder): a missing folder is more likely a typo than a wish for
  // a new key. Throws std::runtime_error naming `path` and why.
  static std::shared_ptr<const SigningKey> LoadOrCreate(const std::string& path,
                                                        bool create_folder = false,
                                                        Alg alg = Alg::kRs256);
  ~SigningKey();

  Alg alg() const;
  // kid: base64url SHA-256 thumbprint of the public key (RFC 7638).
  const std::string& kid() const;
  std::string PrivatePem() const;
  std::string PublicPem() const;
  // The public JWK as JSON text: {"kty":"RSA","kid","alg":"RS256","use":"sig","n","e"}
  // or {"kty":"EC","kid","alg":"ES256","use":"sig","crv":"P-256","x","y"}.
  const std::string& PublicJwk() const;
  // Compact JWS of `claims` with header {"alg","typ":"at+jwt","kid"}.
  std::string Sign(const AccessClaims& claims) const;
  // Compact JWS of an ID token, header {"alg","typ":"JWT","kid"}.
  std::string SignIdToken(const IdClaims& claims) const;
  // Signs arbitrary header/payload JSON (for tests of the verifier).
  std::string SignRaw(std::string_view header_json, std::string_view payload_json) const;

 private:
  struct Impl;
  explicit SigningKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// {"keys":[...]} from public JWKs (JSON texts).
std::string MakeJwks(const std::vector<std::string>& public_jwks);

struct VerifyOptions {
  std::string issuer;
  std::string audience;
  int64_t leeway_seconds = 60;
};

// Public keys by kid, for verification.
class KeySet {
 public:
  // Parses a JWKS document; keys that are neither RSA (RS256, >= 2048 bits)
  // nor EC P-256 (ES256), or whose use is not "sig", are skipped.
  // Error when the document is not a JWKS.
  static Result<std::shared_ptr<const KeySet>> FromJwks(std::string_view jwks_json);
  static std::shared_ptr<const KeySet> FromKeys(
      const std::vector<std::shared_ptr<const SigningKey>>& keys);
  ~KeySet();
  bool Has(std::string_view kid) const;
  size_t size() const;

  // Verifies signature (the header's alg must be its key's), typ at+jwt, iss, aud, exp/nbf with
  // leeway at time `now`. Error code kUnauthenticated with a short reason.
  // When the kid is unknown: kNotFound (so the caller may refetch the JWKS).
  Result<AccessClaims> Verify(std::string_view token, const VerifyOptions& options,
                              int64_t now) const;

  // Verifies an ID token issued by `issuer` as an id_token_hint (OIDC
  // RP-Initiated Logout §2): signature (as Verify), typ "JWT" or none (an access
  // token never passes), iss, a non-empty sub and aud. Expiry is not checked:
  // an expired ID token is still a valid hint. kUnauthenticated otherwise,
  // kNotFound for an unknown kid.
  Result<IdClaims> VerifyIdTokenHint(std::string_view token, std::string_view issuer) const;

 private:
  // The decoded payload text of a well-formed compact JWS whose header
  // names its key's algorithm and the expected typ (`id_token`: "JWT" or none, else at+jwt) and
  // whose signature verifies with one of the keys.
  Result<std::string> SignedPayload(std::string_view token, bool id_token) const;

  struct Impl;
  KeySet();
  std::unique_ptr<Impl> impl_;
};

}  // namespace bookstore::jwt
