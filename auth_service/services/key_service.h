#pragma once
// Signing keys: the private key this process signs with (parsed once), the
// public keys every instance publishes (signing_keys table), a KeySet for
// verifying our own tokens, and rotation (CLI). Thread-safe.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/jwt.h"
#include "common/result.h"

namespace bookstore::db {
class Database;
}

namespace bookstore::auth {

struct RotationResult {
  std::string new_kid;
  std::string previous_kid;
  int64_t previous_retire_after = 0;
  std::string previous_key_file;  // where the old private key was kept
};

class KeyService {
 public:
  KeyService(std::shared_ptr<db::Database> db, const Clock& clock,
             std::shared_ptr<const jwt::SigningKey> key);

  const jwt::SigningKey& signing_key() const { return *key_; }

  // Upserts this process's public key into signing_keys (marks it current).
  Status Publish();

  // {"keys":[...]} of every key not yet retired at now.
  Result<std::string> Jwks();

  // The published keys as a KeySet (cached until the published set changes).
  Result<std::shared_ptr<const jwt::KeySet>> Keys();

  // Replaces the key in `key_file` with a new one (the old private key is
  // kept as <key_file>.<old kid>.old), publishes the new key and keeps the
  // old one published until now + `old_key_grace` seconds. Creates a key
  // first when the file does not exist.
  static Result<RotationResult> Rotate(db::Database& db, const Clock& clock,
                                       const std::string& key_file, int64_t old_key_grace);

 private:
  std::shared_ptr<db::Database> db_;
  const Clock& clock_;
  std::shared_ptr<const jwt::SigningKey> key_;
  std::mutex mu_;
  std::string cached_jwks_;
  std::shared_ptr<const jwt::KeySet> cached_keys_;
};

// Writes `pem` to `path` with mode 0600 atomically (temp file + rename).
// Throws std::runtime_error on failure.
void WritePrivateKeyFile(const std::string& path, const std::string& pem);

}  // namespace bookstore::auth
