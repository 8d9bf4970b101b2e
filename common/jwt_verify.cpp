// KeySet: JWKS parsing and access-token verification (RFC 9068), RS256 and
// ES256, the algorithm pinned per key.

#include <strings.h>

#include <boost/json.hpp>
#include <cmath>
#include <map>

#include "common/json_strict.h"
#include "common/jwt_internal.h"

namespace bookstore::jwt {
namespace json = boost::json;

namespace {

// A verification key and the one algorithm it verifies.
struct PublicKey {
  internal::SharedPkey key;
  Alg alg = Alg::kRs256;
};
using KeyMap = std::map<std::string, PublicKey, std::less<>>;  // by kid

}  // namespace

struct KeySet::Impl {
  KeyMap keys;
};

KeySet::KeySet() : impl_(std::make_unique<Impl>()) {}
KeySet::~KeySet() = default;

bool KeySet::Has(std::string_view kid) const { return impl_->keys.count(kid) > 0; }
size_t KeySet::size() const { return impl_->keys.size(); }

namespace internal {

const json::string* StringMember(const json::object& obj, std::string_view name) {
  const json::value* v = obj.if_contains(name);
  return v == nullptr ? nullptr : v->if_string();
}

}  // namespace internal

namespace {

using internal::NumericDate;
using internal::OptionalString;
using internal::StringMember;

constexpr size_t kMaxTokenSize = 16 * 1024;
constexpr int kMinRsaBits = 2048;

// The key of an RSA JWK usable for RS256 (at least 2048 bits), or null.
internal::PkeyPtr RsaKey(const json::object& jwk, std::string& thumbprint) {
  const json::string* n = StringMember(jwk, "n");
  const json::string* e = StringMember(jwk, "e");
  if (n == nullptr || e == nullptr) return nullptr;
  const auto n_bytes = Base64UrlDecode(*n);
  const auto e_bytes = Base64UrlDecode(*e);
  if (!n_bytes || !e_bytes) return nullptr;
  internal::PkeyPtr key = internal::RsaPublicKeyFromParts(*n_bytes, *e_bytes);
  if (!key || EVP_PKEY_get_bits(key.get()) < kMinRsaBits) return nullptr;
  thumbprint = internal::RsaThumbprint(internal::GetRsaPublicParts(key.get()));
  return key;
}

// The key of an EC JWK on P-256 (ES256), or null.
internal::PkeyPtr EcKey(const json::object& jwk, std::string& thumbprint) {
  const json::string* crv = StringMember(jwk, "crv");
  const json::string* x = StringMember(jwk, "x");
  const json::string* y = StringMember(jwk, "y");
  if (crv == nullptr || *crv != "P-256" || x == nullptr || y == nullptr) return nullptr;
  const auto x_bytes = Base64UrlDecode(*x);
  const auto y_bytes = Base64UrlDecode(*y);
  if (!x_bytes || !y_bytes) return nullptr;
  internal::PkeyPtr key = internal::EcPublicKeyFromParts(*x_bytes, *y_bytes);
  if (key) thumbprint = internal::EcThumbprint({std::string(*x), std::string(*y)});
  return key;
}

// Adds the key of one JWK when it is a usable RS256 or ES256 signing key:
// kty RSA or EC (P-256), alg absent or the one of its kty, use absent or "sig".
void AddJwk(const json::object& jwk, KeyMap& out) {
  const json::string* kty = StringMember(jwk, "kty");
  if (kty == nullptr || (*kty != "RSA" && *kty != "EC")) return;
  const Alg alg = *kty == "RSA" ? Alg::kRs256 : Alg::kEs256;
  if (const json::value* a = jwk.if_contains("alg");
      a && !(a->is_string() && a->get_string() == AlgName(alg))) {
    return;
  }
  if (const json::value* use = jwk.if_contains("use");
      use && !(use->is_string() && *use == "sig")) {
    return;
  }
  std::string kid;
  internal::PkeyPtr key = alg == Alg::kRs256 ? RsaKey(jwk, kid) : EcKey(jwk, kid);
  if (!key) return;
  if (const json::string* k = StringMember(jwk, "kid")) kid = std::string(*k);
  out.emplace(std::move(kid),
              PublicKey{internal::SharedPkey(key.release(), internal::PkeyFree()), alg});
}

}  // namespace

namespace internal {

std::optional<json::object> DecodeObject(std::string_view part) {
  const auto text = Base64UrlDecode(part);
  if (!text) return std::nullopt;
  return ParseObject(*text);
}

std::optional<json::object> ParseObject(std::string_view text) {
  // Strict: a header or claims set naming a member twice is refused (which
  // one would win differs between libraries).
  auto parsed = bookstore::json::ParseStrict(text);
  if (!parsed.value || !parsed.value->is_object()) return std::nullopt;
  return std::move(parsed.value->as_object());
}

// A NumericDate (RFC 7519 §2): integer or fraction, rounded down. Limited to
// +-2^53 so time arithmetic cannot overflow.
std::optional<int64_t> NumericDate(const json::object& obj, std::string_view name) {
  constexpr double kLimit = 9007199254740992.0;  // 2^53
  const json::value* v = obj.if_contains(name);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  double d = 0;
  if (v->is_int64()) {
    d = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    d = static_cast<double>(v->get_uint64());
  } else {
    d = std::floor(v->get_double());
  }
  if (!std::isfinite(d) || std::fabs(d) >= kLimit) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  return static_cast<int64_t>(d);
}

// Optional string claim: absent leaves `out` empty; a non-string is an error.
bool OptionalString(const json::object& obj, std::string_view name, std::string& out) {
  const json::value* v = obj.if_contains(name);
  if (v == nullptr) return true;
  if (!v->is_string()) return false;
  out = std::string(v->get_string());
  return true;
}

}  // namespace internal

namespace {

using internal::DecodeObject;

bool TypIsAccessToken(const json::string& typ) {
  return strcasecmp(typ.c_str(), "at+jwt") == 0 ||
         strcasecmp(typ.c_str(), "application/at+jwt") == 0;
}

// An ID token's typ (OIDC Core §2: "JWT" when present); at+jwt never is.
bool TypIsIdToken(const json::string* typ) {
  return typ == nullptr || strcasecmp(typ->c_str(), "JWT") == 0;
}

Error Reject(const char* reason) { return Error::Unauthenticated(reason); }

}  // namespace

Result<std::shared_ptr<const KeySet>> KeySet::FromJwks(std::string_view jwks_json) {
  boost::system::error_code ec;
  json::value doc = json::parse(jwks_json, ec);
  const json::array* keys = nullptr;
  if (!ec && doc.is_object()) {
    if (const json::value* k = doc.as_object().if_contains("keys")) keys = k->if_array();
  }
  if (keys == nullptr) return Error::InvalidArgument("not a JWKS document");
  std::shared_ptr<KeySet> set(new KeySet());
  for (const json::value& jwk : *keys) {
    if (jwk.is_object()) AddJwk(jwk.get_object(), set->impl_->keys);
  }
  return std::shared_ptr<const KeySet>(std::move(set));
}

std::shared_ptr<const KeySet> KeySet::FromKeys(
    const std::vector<std::shared_ptr<const SigningKey>>& keys) {
  std::shared_ptr<KeySet> set(new KeySet());
  for (const auto& key : keys) {
    AddJwk(json::parse(key->PublicJwk()).as_object(), set->impl_->keys);
  }
  return set;
}

Result<std::string> KeySet::SignedPayload(std::string_view token, bool id_token) const {
  if (token.size() > kMaxTokenSize) return Reject("malformed token");
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Reject("malformed token");
  }
  const auto header = DecodeObject(token.substr(0, dot1));
  if (!header) return Reject("malformed token header");
  const json::string* alg_name = StringMember(*header, "alg");
  const std::optional<Alg> alg = alg_name ? ParseAlg(*alg_name) : std::nullopt;
  if (!alg) return Reject("unsupported token algorithm");
  const json::string* typ = StringMember(*header, "typ");
  if (id_token ? !TypIsIdToken(typ) : (typ == nullptr || !TypIsAccessToken(*typ))) {
    return Reject(id_token ? "not an ID token" : "not an access token");
  }
  if (header->contains("crit")) return Reject("unsupported critical header");

  const auto signature = Base64UrlDecode(token.substr(dot2 + 1));
  if (!signature || signature->empty()) return Reject("malformed token signature");
  const std::string_view signed_part = token.substr(0, dot2);
  bool signature_ok = false;
  if (const json::value* kid = header->if_contains("kid")) {
    if (!kid->is_string()) return Reject("malformed token header");
    const auto it = impl_->keys.find(std::string_view(kid->get_string()));
    if (it == impl_->keys.end()) return Error::NotFound("unknown signing key");
    // Pinned: a key verifies only its own algorithm (no RS256/ES256 confusion).
    if (it->second.alg != *alg) return Reject("token algorithm does not match its key");
    signature_ok = internal::Verify(it->second.key.get(), *alg, signed_part, *signature);
  } else {
    if (impl_->keys.empty()) return Error::NotFound("no signing keys");
    for (const auto& [unused, key] : impl_->keys) {
      if (key.alg != *alg) continue;
      if ((signature_ok = internal::Verify(key.key.get(), *alg, signed_part, *signature))) break;
    }
  }
  if (!signature_ok) return Reject("bad signature");
  auto payload = Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload) return Reject("malformed token payload");
  return std::move(*payload);
}

Result<AccessClaims> KeySet::Verify(std::string_view token, const VerifyOptions& options,
                                    int64_t now) const {
  auto text = SignedPayload(token, /*id_token=*/false);
  if (!text.ok()) return std::move(text).error();
  const auto payload = internal::ParseObject(*text);
  if (!payload) return Reject("malformed token payload");
  AccessClaims claims;
  const json::string* iss = StringMember(*payload, "iss");
  if (iss == nullptr || *iss != options.issuer) return Reject("wrong issuer");
  claims.iss = std::string(*iss);

  bool audience_ok = false;
  if (const json::value* aud = payload->if_contains("aud")) {
    if (aud->is_string()) {
      audience_ok = aud->get_string() == options.audience;
    } else if (aud->is_array()) {
      for (const json::value& a : aud->get_array()) {
        audience_ok = audience_ok || (a.is_string() && a.get_string() == options.audience);
      }
    }
  }
  if (!audience_ok) return Reject("wrong audience");
  claims.aud = options.audience;

  const auto exp = NumericDate(*payload, "exp");
  if (!exp) return Reject("token has no expiry");
  if (now > *exp && now - *exp > options.leeway_seconds) return Reject("token expired");
  claims.exp = *exp;
  if (payload->contains("nbf")) {
    const auto nbf = NumericDate(*payload, "nbf");
    if (!nbf) return Reject("malformed nbf claim");
    if (*nbf > now && *nbf - now > options.leeway_seconds) return Reject("token not yet valid");
    claims.nbf = *nbf;
  }
  const auto iat = NumericDate(*payload, "iat");
  if (!iat) return Reject("token has no iat");
  claims.iat = *iat;

  const json::string* sub = StringMember(*payload, "sub");
  if (sub == nullptr || sub->empty()) return Reject("token has no subject");
  claims.sub = std::string(*sub);
  if (!OptionalString(*payload, "jti", claims.jti) ||
      !OptionalString(*payload, "client_id", claims.client_id) ||
      !OptionalString(*payload, "scope", claims.scope) ||
      !OptionalString(*payload, "role", claims.role) ||
      !OptionalString(*payload, "username", claims.username)) {
    return Reject("malformed token claims");
  }
  return claims;
}

}  // namespace bookstore::jwt
