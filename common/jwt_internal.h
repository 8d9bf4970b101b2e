#pragma once
// Internals shared by the jwt_*.cpp files: OpenSSL handle owners, RSA and
// EC P-256 public-key parts, JWK thumbprints, RS256/ES256 sign/verify. Not
// part of the API.

#include <openssl/evp.h>

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/jwt.h"

namespace bookstore::jwt::internal {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
// Shared, immutable key: OpenSSL 3 allows concurrent sign/verify with one EVP_PKEY.
using SharedPkey = std::shared_ptr<EVP_PKEY>;

// The public RSA parameters, base64url big-endian without leading zeros (RFC 7518 §6.3.1).
struct RsaPublicParts {
  std::string n;
  std::string e;
};

// Throws std::runtime_error when `key` is not RSA.
RsaPublicParts GetRsaPublicParts(EVP_PKEY* key);

// Builds an RSA public key from raw big-endian modulus and exponent; null on failure.
PkeyPtr RsaPublicKeyFromParts(std::string_view n_bytes, std::string_view e_bytes);

// RFC 7638 thumbprint: base64url(SHA-256('{"e":E,"kty":"RSA","n":N}')).
std::string RsaThumbprint(const RsaPublicParts& parts);

// The public P-256 point, base64url of the 32-byte big-endian coordinates
// (RFC 7518 §6.2.1).
struct EcPublicParts {
  std::string x;
  std::string y;
};

// Throws std::runtime_error when `key` is not an EC key on P-256.
EcPublicParts GetEcPublicParts(EVP_PKEY* key);

// Builds a P-256 public key from the raw 32-byte coordinates; null when they
// are not 32 bytes each or not a point on the curve.
PkeyPtr EcPublicKeyFromParts(std::string_view x_bytes, std::string_view y_bytes);

// RFC 7638 thumbprint: base64url(SHA-256('{"crv":"P-256","kty":"EC","x":X,"y":Y}')).
std::string EcThumbprint(const EcPublicParts& parts);

// Generates a new P-256 key; null on failure.
PkeyPtr GenerateEcKey();

// The JWS signature of `data` by `key` with `alg` (RFC 7518 §3.3 RS256:
// RSASSA-PKCS1-v1_5 with SHA-256; §3.4 ES256: ECDSA P-256 with SHA-256 as
// the 64-byte R || S). `key` must be of the algorithm's type. Throws
// std::runtime_error on failure.
std::string Sign(EVP_PKEY* key, Alg alg, std::string_view data);
// True when `signature` is a valid `alg` signature of `data` by `key`
// (requires a key of the algorithm's type, as KeySet keeps them).
bool Verify(EVP_PKEY* key, Alg alg, std::string_view data, std::string_view signature);

// ES256's R || S from OpenSSL's DER ECDSA-Sig-Value and back (jwt_ec.cpp);
// nullopt when malformed (the raw form must be exactly 64 bytes).
std::optional<std::string> EcdsaDerToRaw(std::string_view der);
std::optional<std::string> EcdsaRawToDer(std::string_view raw);

// The SHA-256 digest signature primitives behind Sign/Verify (jwt_crypto.cpp):
// the signature in OpenSSL's own encoding (PKCS#1 v1.5 for RSA, DER for EC).
std::string DigestSign(EVP_PKEY* key, std::string_view data);
bool DigestVerify(EVP_PKEY* key, std::string_view data, std::string_view signature);

// Claims-set helpers of jwt_verify.cpp. StringMember: the member when it is a
// string, else null. ParseObject / DecodeObject: strict JSON (duplicate
// members refused) of the text / of a base64url part, nullopt unless an
// object. NumericDate: an integer or fraction (rounded down) within ±2^53.
// OptionalString: absent leaves `out` alone; false for a non-string.
const boost::json::string* StringMember(const boost::json::object& obj, std::string_view name);
std::optional<boost::json::object> ParseObject(std::string_view text);
std::optional<boost::json::object> DecodeObject(std::string_view part);
std::optional<int64_t> NumericDate(const boost::json::object& obj, std::string_view name);
bool OptionalString(const boost::json::object& obj, std::string_view name, std::string& out);

}  // namespace bookstore::jwt::internal

namespace bookstore::jwt {

// Parsed once at construction, read-only afterwards.
struct SigningKey::Impl {
  internal::PkeyPtr key;
  Alg alg = Alg::kRs256;
  std::string kid;
  std::string public_jwk;  // JSON text
};

}  // namespace bookstore::jwt
