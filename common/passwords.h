#pragma once
// argon2id password hashing (libsodium crypto_pwhash_str). Slow by design:
// call only from worker threads. Thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace bookstore {

struct PasswordCost {
  unsigned long long ops = 2;        // OWASP: t=2
  size_t mem_bytes = 19u << 20;      // OWASP: m=19 MiB
  // Cheapest allowed cost, for tests.
  static PasswordCost Minimal() { return {1, 8192}; }
};

class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordCost cost = {});
  // Returns the encoded "$argon2id$..." string. Throws std::bad_alloc/runtime_error
  // only when the system is out of memory.
  std::string Hash(std::string_view password) const;
  // Constant-time check of `password` against an encoded hash; false for a
  // malformed hash.
  bool Verify(std::string_view encoded_hash, std::string_view password) const;
  // Spends the same work as Verify against a real hash, for unknown users.
  void VerifyDummy(std::string_view password) const;

 private:
  PasswordCost cost_;
  std::string dummy_hash_;
};

// Number of Unicode code points in UTF-8 `s`; -1 when `s` is not valid UTF-8.
long Utf8Length(std::string_view s);

// SHA-256 of `s` as lowercase hex (for storing codes, tokens and session ids).
std::string Sha256Hex(std::string_view s);

// Constant-time equality.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace bookstore
