#pragma once
// Internals shared by the jwt_*.cpp files: OpenSSL handle owners, RSA
// public-key parts, JWK thumbprints, RS256 sign/verify. Not part of the API.

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

// RSASSA-PKCS1-v1_5 with SHA-256 over `data`. Throws std::runtime_error on failure.
std::string SignRs256(EVP_PKEY* key, std::string_view data);
// True when `signature` is a valid RS256 signature of `data` by `key`.
bool VerifyRs256(EVP_PKEY* key, std::string_view data, std::string_view signature);

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
  internal::RsaPublicParts parts;
  std::string kid;
};

}  // namespace bookstore::jwt
