#include "book_service/auth/token_verifier.h"

#include "book_service/auth/jwks_cache.h"
#include "book_service/domain/validation.h"
#include "common/clock.h"

namespace bookstore::book {

bool PrincipalFromClaims(const jwt::AccessClaims& claims, http::Principal& out) {
  const auto id = ParsePositiveId(claims.sub);
  if (!id) return false;
  out.user_id = *id;
  out.username = claims.username;
  out.role = claims.role;
  out.client_id = claims.client_id;
  out.token_id = claims.jti;
  out.expires_at = claims.exp;
  out.scopes.clear();
  std::string_view rest = claims.scope;
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    const auto part = rest.substr(0, space);
    if (!part.empty()) out.scopes.emplace_back(part);
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return true;
}

TokenVerifier::TokenVerifier(JwksCache& keys, const Clock& clock, jwt::VerifyOptions options,
                             size_t cache_capacity)
    : keys_(keys), clock_(clock), options_(std::move(options)), capacity_(cache_capacity) {}

size_t TokenVerifier::cached() const {
  std::lock_guard lock(mu_);
  return cache_.size();
}

bool TokenVerifier::Lookup(const std::string& token, int64_t now, http::Principal& out) {
  std::lock_guard lock(mu_);
  auto it = cache_.find(token);
  if (it == cache_.end()) return false;
  if (now - it->second.expires_at > options_.leeway_seconds) {  // as KeySet::Verify
    cache_.erase(it);
    return false;
  }
  out = it->second;
  return true;
}

void TokenVerifier::Remember(const std::string& token, const http::Principal& principal,
                             int64_t now) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mu_);
  if (cache_.size() >= capacity_) {
    for (auto it = cache_.begin(); it != cache_.end();) {
      it = now - it->second.expires_at > options_.leeway_seconds ? cache_.erase(it) : std::next(it);
    }
    // Still full of live tokens: drop an arbitrary tenth.
    for (size_t n = capacity_ / 10 + 1; n > 0 && !cache_.empty(); --n) cache_.erase(cache_.begin());
  }
  cache_.emplace(token, principal);
}

TokenOutcome TokenVerifier::Verify(std::string_view token_view) {
  TokenOutcome out;
  const std::string token(token_view);
  const int64_t now = clock_.Now();
  if (Lookup(token, now, out.principal)) {
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
  if (!claims.ok() || !PrincipalFromClaims(*claims, out.principal)) {
    out.check = TokenCheck::kInvalid;
    return out;
  }
  out.check = TokenCheck::kValid;
  Remember(token, out.principal, now);
  return out;
}

}  // namespace bookstore::book
