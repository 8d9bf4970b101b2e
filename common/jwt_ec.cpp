// EC P-256 keys for ES256 (RFC 7518 §3.4, §6.2) and the per-algorithm
// Sign/Verify of the JWT code, on OpenSSL 3 EVP.

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <cstring>
#include <stdexcept>

#include "common/jwt_internal.h"

namespace bookstore::jwt {

std::string_view AlgName(Alg alg) { return alg == Alg::kEs256 ? "ES256" : "RS256"; }

std::optional<Alg> ParseAlg(std::string_view name) {
  if (name == "RS256") return Alg::kRs256;
  if (name == "ES256") return Alg::kEs256;
  return std::nullopt;
}

}  // namespace bookstore::jwt

namespace bookstore::jwt::internal {
namespace {

constexpr size_t kCoordinate = 32;  // bytes of a P-256 coordinate
constexpr const char* kGroup = "prime256v1";

struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

struct SigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
using SigPtr = std::unique_ptr<ECDSA_SIG, SigFree>;

struct CtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
using CtxPtr = std::unique_ptr<EVP_PKEY_CTX, CtxFree>;

bool IsP256(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return false;
  char name[64];
  size_t len = 0;
  const bool ok = EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name,
                                                 sizeof(name), &len) == 1 &&
                  std::string_view(name, len) == kGroup;
  ERR_clear_error();
  return ok;
}

std::string Coordinate(EVP_PKEY* key, const char* param) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, param, &raw) != 1) throw std::runtime_error("not an EC key");
  const BnPtr bn(raw);
  std::string bytes(kCoordinate, '\0');
  if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()), kCoordinate) < 0) {
    throw std::runtime_error("not a P-256 key");
  }
  return bytes;
}

bool KeyFits(EVP_PKEY* key, Alg alg) {
  return alg == Alg::kEs256 ? IsP256(key) : EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA;
}

}  // namespace

EcPublicParts GetEcPublicParts(EVP_PKEY* key) {
  if (!IsP256(key)) throw std::runtime_error("not an EC key on P-256");
  return {Base64UrlEncode(Coordinate(key, OSSL_PKEY_PARAM_EC_PUB_X)),
          Base64UrlEncode(Coordinate(key, OSSL_PKEY_PARAM_EC_PUB_Y))};
}

PkeyPtr EcPublicKeyFromParts(std::string_view x_bytes, std::string_view y_bytes) {
  if (x_bytes.size() != kCoordinate || y_bytes.size() != kCoordinate) return nullptr;
  unsigned char point[1 + 2 * kCoordinate];
  point[0] = 0x04;  // uncompressed (SEC 1 §2.3.3)
  std::memcpy(point + 1, x_bytes.data(), kCoordinate);
  std::memcpy(point + 1 + kCoordinate, y_bytes.data(), kCoordinate);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (bld == nullptr) return nullptr;
  OSSL_PARAM* params = nullptr;
  if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, kGroup, 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point)) == 1) {
    params = OSSL_PARAM_BLD_to_param(bld);
  }
  OSSL_PARAM_BLD_free(bld);
  if (params == nullptr) return nullptr;
  EVP_PKEY* key = nullptr;
  CtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1) {
    if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params) != 1) key = nullptr;
  }
  OSSL_PARAM_free(params);
  PkeyPtr out(key);
  if (out) {
    // The point must lie on the curve (an invalid-curve key is refused).
    CtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, out.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) out.reset();
  }
  ERR_clear_error();
  return out;
}

std::string EcThumbprint(const EcPublicParts& parts) {
  // Members in lexicographic order, no whitespace (RFC 7638 §3.2).
  const std::string canonical =
      R"({"crv":"P-256","kty":"EC","x":")" + parts.x + R"(","y":")" + parts.y + R"("})";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

PkeyPtr GenerateEcKey() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) ERR_clear_error();
  return key;
}

std::optional<std::string> EcdsaDerToRaw(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  SigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) {
    ERR_clear_error();
    return std::nullopt;
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * kCoordinate, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, kCoordinate) < 0 ||
      BN_bn2binpad(s, out + kCoordinate, kCoordinate) < 0) {
    return std::nullopt;
  }
  return raw;
}

std::optional<std::string> EcdsaRawToDer(std::string_view raw) {
  if (raw.size() != 2 * kCoordinate) return std::nullopt;
  const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
  BnPtr r(BN_bin2bn(in, kCoordinate, nullptr));
  BnPtr s(BN_bin2bn(in + kCoordinate, kCoordinate, nullptr));
  SigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  r.release();  // owned by sig now
  s.release();
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::string Sign(EVP_PKEY* key, Alg alg, std::string_view data) {
  if (!KeyFits(key, alg)) throw std::runtime_error("the key does not fit the algorithm");
  std::string signature = DigestSign(key, data);
  if (alg == Alg::kRs256) return signature;
  auto raw = EcdsaDerToRaw(signature);
  if (!raw) throw std::runtime_error("ES256 signing failed");
  return std::move(*raw);
}

bool Verify(EVP_PKEY* key, Alg alg, std::string_view data, std::string_view signature) {
  if (alg == Alg::kRs256) return DigestVerify(key, data, signature);
  const auto der = EcdsaRawToDer(signature);
  return der && DigestVerify(key, data, *der);
}

}  // namespace bookstore::jwt::internal
