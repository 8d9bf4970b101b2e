// Compact JWS signing (the key's algorithm) and JWKS documents.

#include <boost/json.hpp>
#include <stdexcept>

#include "common/jwt_internal.h"

namespace bookstore::jwt {

std::string SigningKey::SignRaw(std::string_view header_json, std::string_view payload_json) const {
  std::string input = Base64UrlEncode(header_json);
  input += '.';
  input += Base64UrlEncode(payload_json);
  const std::string signature = internal::Sign(impl_->key.get(), impl_->alg, input);
  input += '.';
  input += Base64UrlEncode(signature);
  return input;
}

std::string SigningKey::Sign(const AccessClaims& claims) const {
  boost::json::object header;
  header["alg"] = AlgName(impl_->alg);
  header["typ"] = "at+jwt";
  header["kid"] = impl_->kid;

  boost::json::object payload;
  payload["iss"] = claims.iss;
  payload["sub"] = claims.sub;
  payload["aud"] = claims.aud;
  payload["exp"] = claims.exp;
  payload["iat"] = claims.iat;
  if (claims.nbf != 0) payload["nbf"] = claims.nbf;
  payload["jti"] = claims.jti;
  payload["client_id"] = claims.client_id;
  payload["scope"] = claims.scope;
  payload["role"] = claims.role;
  payload["username"] = claims.username;
  return SignRaw(boost::json::serialize(header), boost::json::serialize(payload));
}

std::string MakeJwks(const std::vector<std::string>& public_jwks) {
  boost::json::array keys;
  for (const auto& text : public_jwks) {
    boost::system::error_code ec;
    boost::json::value jwk = boost::json::parse(text, ec);
    if (ec || !jwk.is_object()) throw std::invalid_argument("MakeJwks: not a JWK object");
    keys.push_back(std::move(jwk));
  }
  boost::json::object doc;
  doc["keys"] = std::move(keys);
  return boost::json::serialize(doc);
}

}  // namespace bookstore::jwt
