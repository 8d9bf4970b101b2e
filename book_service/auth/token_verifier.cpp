#include "book_service/auth/token_verifier.h"

#include "book_service/auth/jwks_cache.h"
#include "common/clock.h"
#include "common/http/bearer.h"

namespace bookstore::book {

TokenVerifier::TokenVerifier(JwksCache& keys, const Clock& clock, jwt::VerifyOptions options,
                             size_t cache_capacity)
    : keys_(keys),
      clock_(clock),
      options_(std::move(options)),
      cache_(cache_capacity, options_.leeway_seconds) {}

size_t TokenVerifier::cached() const { return cache_.size(); }

TokenOutcome TokenVerifier::Verify(std::string_view token_view) {
  TokenOutcome out;
  const std::string token(token_view);
  const int64_t now = clock_.Now();
  if (auto cached = cache_.Find(token, now)) {
    out.principal = std::move(*cached);
    out.check = TokenCheck::kValid;
    return out;
  }
  // Never waits for the JWKS: a missing key set or an unknown kid only asks
  // the background thread to refetch (rate-limited) and answers now.
  auto keys = keys_.keys();
  if (!keys) {
    keys_.RequestRefresh();
    out.check = TokenCheck::kUnavailable;
    return out;
  }
  auto claims = keys->Verify(token, options_, now);
  if (!claims.ok() && claims.error().code == Errc::kNotFound) keys_.RequestRefresh();
  if (!claims.ok() || !http::PrincipalFromClaims(*claims, out.principal)) {
    out.check = TokenCheck::kInvalid;
    return out;
  }
  out.check = TokenCheck::kValid;
  cache_.Put(token, out.principal, out.principal.expires_at, now);
  return out;
}

}  // namespace bookstore::book
