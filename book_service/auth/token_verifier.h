#pragma once
// Verifies bearer access tokens against the JWKS (pinned RS256, typ
// at+jwt, iss, aud, exp/nbf with leeway) and turns them into a Principal.
// A bounded cache keyed by the token string skips the signature check for
// tokens seen before; entries are dropped once expired. Thread-safe.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/http/message.h"
#include "common/jwt.h"

namespace bookstore {
class Clock;
}

namespace bookstore::book {

class JwksCache;

enum class TokenCheck {
  kValid,
  kInvalid,      // bad signature, claims, expiry, unknown key...
  kUnavailable,  // no signing keys loaded yet
};

struct TokenOutcome {
  TokenCheck check = TokenCheck::kInvalid;
  http::Principal principal;  // set when kValid
};

// Principal from verified claims; false when `sub` is not a positive integer.
bool PrincipalFromClaims(const jwt::AccessClaims& claims, http::Principal& out);

class TokenVerifier {
 public:
  // `keys` and `clock` must outlive the verifier.
  TokenVerifier(JwksCache& keys, const Clock& clock, jwt::VerifyOptions options,
                size_t cache_capacity = 10'000);

  // May refetch the JWKS (rate-limited) on an unknown kid or while no keys
  // are loaded, so call from worker threads.
  TokenOutcome Verify(std::string_view token);

  size_t cached() const;

 private:
  bool Lookup(const std::string& token, int64_t now, http::Principal& out);
  void Remember(const std::string& token, const http::Principal& principal, int64_t now);

  JwksCache& keys_;
  const Clock& clock_;
  jwt::VerifyOptions options_;
  size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, http::Principal> cache_;
};

}  // namespace bookstore::book
