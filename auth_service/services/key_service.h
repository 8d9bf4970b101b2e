#pragma once
// Signing keys: the private key this process signs with (parsed once), the
// public keys every instance publishes (signing_keys table), a KeySet for
// verifying our own tokens, and rotation (CLI). The published keys are a
// snapshot in memory, reloaded by Refresh() and, once started, every
// interval on a thread of its own (another instance's new key is seen
// within it, or at once when a token names its kid); retirement times are
// applied to the snapshot as the clock passes them. Thread-safe.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/jwt.h"
#include "common/result.h"

namespace bookstore {
class Periodic;
}

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
  ~KeyService();  // stops the refresh thread

  const jwt::SigningKey& signing_key() const { return *key_; }

  // Upserts this process's public key into signing_keys (marks it current)
  // and reloads the snapshot.
  Status Publish();

  // Reloads the snapshot of published keys now. Unavailable when the
  // database is; the old snapshot stays.
  Status Refresh();
  // Reloads every `interval` from now on (once; later calls do nothing).
  void StartRefreshing(std::chrono::milliseconds interval);

  // {"keys":[...]} of every snapshot key not yet retired at now. Reads the
  // database only while there is no snapshot yet.
  Result<std::string> Jwks();

  // The same keys as a KeySet.
  Result<std::shared_ptr<const jwt::KeySet>> Keys();

  // Keys() after a token named a kid it lacks: reloaded first unless the
  // last such reload is less than a second old (an unknown kid is someone's
  // guess as often as another instance's new key).
  Result<std::shared_ptr<const jwt::KeySet>> KeysAfterUnknownKid();

  struct Snapshot;  // the loaded keys (key_service.cpp)

  // Replaces the key in `key_file` with a new one (the old private key is
  // kept as <key_file>.<old kid>.old), publishes the new key and keeps the
  // old one published until now + `old_key_grace` seconds. The new key is
  // for `alg`, whatever the old one's (so rotating is also how an operator
  // moves from RS256 to ES256 or back). Creates a key first when the file
  // does not exist.
  static Result<RotationResult> Rotate(db::Database& db, const Clock& clock,
                                       const std::string& key_file, int64_t old_key_grace,
                                       jwt::Alg alg = jwt::Alg::kRs256);

 private:
  std::shared_ptr<db::Database> db_;
  const Clock& clock_;
  std::shared_ptr<const jwt::SigningKey> key_;
  // The snapshot for now: rebuilt from the loaded rows once a retirement
  // time has passed; loaded when there is none.
  Result<std::shared_ptr<const Snapshot>> Current();

  std::shared_ptr<const Snapshot> snapshot_;                         // atomic_load/atomic_store
  std::mutex mu_;                                                    // serialises reloads
  std::chrono::steady_clock::time_point last_unknown_kid_reload_{};  // guarded by mu_
  std::unique_ptr<Periodic> refresher_;                              // guarded by mu_
};

// Writes `pem` to `path` with mode 0600 atomically (temp file + rename).
// Throws std::runtime_error on failure.
void WritePrivateKeyFile(const std::string& path, const std::string& pem);

}  // namespace bookstore::auth
