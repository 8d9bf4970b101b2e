#pragma once
// Verifies bearer access tokens against the JWKS (RS256 or ES256, pinned per
// key; typ at+jwt, iss, aud, exp/nbf with leeway) and turns them into a Principal.
// A VerifiedTokenCache skips the signature check for tokens seen before.
// Thread-safe.

#include <cstddef>
#include <string_view>

#include "common/http/message.h"
#include "common/jwt.h"
#include "common/verified_token_cache.h"

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
  JwksCache& keys_;
  const Clock& clock_;
  jwt::VerifyOptions options_;
  VerifiedTokenCache<http::Principal> cache_;
};

}  // namespace bookstore::book
