// OpenID Connect ID tokens: signing, at_hash, and verification as an
// id_token_hint.

#include <openssl/sha.h>

#include <boost/json.hpp>

#include "common/jwt_internal.h"

namespace bookstore::jwt {
namespace json = boost::json;

std::string LeftHalfHash(std::string_view token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  return Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(digest), SHA256_DIGEST_LENGTH / 2));
}

std::string SigningKey::SignIdToken(const IdClaims& claims) const {
  json::object header;
  header["alg"] = AlgName(impl_->alg);
  header["typ"] = "JWT";
  header["kid"] = impl_->kid;

  json::object payload;
  payload["iss"] = claims.iss;
  payload["sub"] = claims.sub;
  payload["aud"] = claims.aud;
  payload["exp"] = claims.exp;
  payload["iat"] = claims.iat;
  if (claims.auth_time != 0) payload["auth_time"] = claims.auth_time;
  const auto put = [&payload](const char* name, const std::string& value) {
    if (!value.empty()) payload[name] = value;
  };
  put("azp", claims.azp);
  put("nonce", claims.nonce);
  put("at_hash", claims.at_hash);
  put("sid", claims.sid);
  put("preferred_username", claims.preferred_username);
  put("role", claims.role);
  return SignRaw(json::serialize(header), json::serialize(payload));
}

Result<IdClaims> KeySet::VerifyIdTokenHint(std::string_view token, std::string_view issuer) const {
  auto text = SignedPayload(token, /*id_token=*/true);
  if (!text.ok()) return std::move(text).error();
  const auto payload = internal::ParseObject(*text);
  if (!payload) return Error::Unauthenticated("malformed token payload");
  IdClaims claims;
  const json::string* iss = internal::StringMember(*payload, "iss");
  if (iss == nullptr || *iss != issuer) return Error::Unauthenticated("wrong issuer");
  claims.iss = std::string(*iss);
  const json::string* sub = internal::StringMember(*payload, "sub");
  if (sub == nullptr || sub->empty()) return Error::Unauthenticated("token has no subject");
  claims.sub = std::string(*sub);
  // aud: a string, or an array whose first member is the client (OIDC Core §2).
  if (const json::value* aud = payload->if_contains("aud")) {
    if (aud->is_string()) {
      claims.aud = std::string(aud->get_string());
    } else if (aud->is_array() && !aud->get_array().empty() &&
               aud->get_array().front().is_string()) {
      claims.aud = std::string(aud->get_array().front().get_string());
    }
  }
  if (claims.aud.empty()) return Error::Unauthenticated("token has no audience");
  claims.exp = internal::NumericDate(*payload, "exp").value_or(0);
  claims.iat = internal::NumericDate(*payload, "iat").value_or(0);
  claims.auth_time = internal::NumericDate(*payload, "auth_time").value_or(0);
  if (!internal::OptionalString(*payload, "azp", claims.azp) ||
      !internal::OptionalString(*payload, "nonce", claims.nonce) ||
      !internal::OptionalString(*payload, "sid", claims.sid)) {
    return Error::Unauthenticated("malformed token claims");
  }
  return claims;
}

}  // namespace bookstore::jwt
