#pragma once
// VerifiedTokenCache<V>: what a signed token was verified to say, keyed by
// the token's text, so a token seen before skips its signature check. A
// signed token cannot change, so an entry holds until the token expires
// (plus the verifier's leeway); nothing that the database says about it
// (revocation, the user) may be cached here. Bounded: when full, expired
// entries go first, then an arbitrary tenth. Thread-safe.
// Used by both services' bearer-token checks (book_service/auth,
// auth_service/services/token_inspection.cpp).

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace bookstore {

template <class V>
class VerifiedTokenCache {
 public:
  // `capacity` entries at most (0: caches nothing); an entry is dropped once
  // now - expires_at > `leeway_seconds`.
  VerifiedTokenCache(size_t capacity, int64_t leeway_seconds)
      : capacity_(capacity), leeway_(leeway_seconds) {}

  // The value remembered for `token` unless it has expired at `now`.
  std::optional<V> Find(const std::string& token, int64_t now) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(token);
    if (it == entries_.end()) return std::nullopt;
    if (Expired(it->second.expires_at, now)) {
      entries_.erase(it);
      return std::nullopt;
    }
    return it->second.value;
  }

  // Remembers `value` for `token`, good until `expires_at`.
  void Put(const std::string& token, V value, int64_t expires_at, int64_t now) {
    if (capacity_ == 0 || Expired(expires_at, now)) return;
    std::lock_guard lock(mu_);
    if (entries_.size() >= capacity_) {
      for (auto it = entries_.begin(); it != entries_.end();) {
        it = Expired(it->second.expires_at, now) ? entries_.erase(it) : std::next(it);
      }
      // Still full of live tokens: drop an arbitrary tenth.
      for (size_t n = capacity_ / 10 + 1; n > 0 && !entries_.empty(); --n) {
        entries_.erase(entries_.begin());
      }
    }
    entries_.insert_or_assign(token, Entry{std::move(value), expires_at});
  }

  size_t size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    V value;
    int64_t expires_at;
  };
  bool Expired(int64_t expires_at, int64_t now) const { return now - expires_at > leeway_; }

  const size_t capacity_;
  const int64_t leeway_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace bookstore
