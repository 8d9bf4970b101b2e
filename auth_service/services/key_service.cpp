#include "auth_service/services/key_service.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "auth_service/repositories/signing_key_repository.h"
#include "auth_service/services/db_guard.h"
#include "common/db/database.h"
#include "common/logging.h"
#include "common/periodic.h"

namespace bookstore::auth {

struct KeyService::Snapshot {
  std::vector<PublishedKey> rows;  // as loaded
  int64_t valid_until = 0;         // first retirement after the build; 0: none
  std::string jwks;                // of the rows live at the build
  std::shared_ptr<const jwt::KeySet> keys;
};

namespace {

// The snapshot of `rows` at `now`: the keys not yet retired, and when that
// set changes next.
std::shared_ptr<const KeyService::Snapshot> BuildSnapshot(std::vector<PublishedKey> rows,
                                                          int64_t now);

}  // namespace

KeyService::KeyService(std::shared_ptr<db::Database> db, const Clock& clock,
                       std::shared_ptr<const jwt::SigningKey> key)
    : db_(std::move(db)), clock_(clock), key_(std::move(key)) {}

KeyService::~KeyService() = default;

Status KeyService::Publish() {
  auto published = GuardDb("publishing the signing key", [&]() -> Status {
    key_repo::Upsert(db_->Session(), key_->kid(), std::string(jwt::AlgName(key_->alg())),
                     key_->PublicJwk(), clock_.Now());
    return {};
  });
  if (!published.ok()) return published;
  return Refresh();
}

Status KeyService::Refresh() {
  return GuardDb("reading signing keys", [&]() -> Status {
    const int64_t now = clock_.Now();
    auto rows = key_repo::Published(db_->Session(), now);
    std::atomic_store(&snapshot_, BuildSnapshot(std::move(rows), now));
    return {};
  });
}

void KeyService::StartRefreshing(std::chrono::milliseconds interval) {
  std::lock_guard lock(mu_);
  if (refresher_) return;
  refresher_ = std::make_unique<Periodic>("auth-keys", interval, [this] {
    if (auto status = Refresh(); !status.ok()) {
      logging::Event("signing_keys_refresh_failed", {{"reason", status.error().message}});
    }
  });
}

Result<std::shared_ptr<const KeyService::Snapshot>> KeyService::Current() {
  auto snapshot = std::atomic_load(&snapshot_);
  if (!snapshot) {
    std::lock_guard lock(mu_);
    if (!std::atomic_load(&snapshot_)) {
      if (auto loaded = Refresh(); !loaded.ok()) return std::move(loaded).error();
    }
    snapshot = std::atomic_load(&snapshot_);
  }
  const int64_t now = clock_.Now();
  if (snapshot->valid_until != 0 && now >= snapshot->valid_until) {
    auto rebuilt = BuildSnapshot(snapshot->rows, now);
    // A reload that happened meanwhile is newer: keep it.
    std::atomic_compare_exchange_strong(&snapshot_, &snapshot, rebuilt);
    snapshot = std::move(rebuilt);
  }
  return snapshot;
}

Result<std::string> KeyService::Jwks() {
  auto snapshot = Current();
  if (!snapshot.ok()) return std::move(snapshot).error();
  return (*snapshot)->jwks;
}

Result<std::shared_ptr<const jwt::KeySet>> KeyService::Keys() {
  auto snapshot = Current();
  if (!snapshot.ok()) return std::move(snapshot).error();
  return (*snapshot)->keys;
}

Result<std::shared_ptr<const jwt::KeySet>> KeyService::KeysAfterUnknownKid() {
  {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    if (now - last_unknown_kid_reload_ < std::chrono::seconds(1)) return Keys();
    last_unknown_kid_reload_ = now;
  }
  if (auto reloaded = Refresh(); !reloaded.ok()) return std::move(reloaded).error();
  return Keys();
}

namespace {

std::shared_ptr<const KeyService::Snapshot> BuildSnapshot(std::vector<PublishedKey> rows,
                                                          int64_t now) {
  auto out = std::make_shared<KeyService::Snapshot>();
  std::vector<std::string> jwks;
  for (const auto& k : rows) {
    if (k.retire_after != 0 && k.retire_after <= now) continue;
    jwks.push_back(k.public_jwk);
    if (k.retire_after != 0 && (out->valid_until == 0 || k.retire_after < out->valid_until)) {
      out->valid_until = k.retire_after;
    }
  }
  out->jwks = jwt::MakeJwks(jwks);
  auto keys = jwt::KeySet::FromJwks(out->jwks);
  out->keys = keys.ok() ? *keys : jwt::KeySet::FromKeys({});
  out->rows = std::move(rows);
  return out;
}

}  // namespace

void WritePrivateKeyFile(const std::string& path, const std::string& pem) {
  const std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create the signing key file " + tmp);
  size_t written = 0;
  while (written < pem.size()) {
    const ssize_t n = ::write(fd, pem.data() + written, pem.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("cannot write the signing key file " + tmp);
    }
    written += static_cast<size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("cannot replace the signing key file " + path);
  }
}

Result<RotationResult> KeyService::Rotate(db::Database& db, const Clock& clock,
                                          const std::string& key_file, int64_t old_key_grace,
                                          jwt::Alg alg) {
  std::shared_ptr<const jwt::SigningKey> old_key;
  try {
    old_key = jwt::SigningKey::LoadOrCreate(key_file, /*create_folder=*/false, alg);
  } catch (const std::exception& e) {
    return Error::Unavailable(e.what());  // names the file and why
  }
  const auto new_key = jwt::SigningKey::Generate(alg);
  RotationResult result;
  result.new_kid = new_key->kid();
  result.previous_kid = old_key->kid();
  result.previous_retire_after = clock.Now() + old_key_grace;
  result.previous_key_file = key_file + "." + old_key->kid() + ".old";
  try {
    WritePrivateKeyFile(result.previous_key_file, old_key->PrivatePem());
    WritePrivateKeyFile(key_file, new_key->PrivatePem());
  } catch (const std::exception& e) {
    return Error::Unavailable(e.what());
  }
  return GuardDb("key rotation", [&]() -> Result<RotationResult> {
    db::Transaction tx(db);
    const int64_t now = clock.Now();
    for (const auto* key : {old_key.get(), new_key.get()}) {
      key_repo::Upsert(tx.session(), key->kid(), std::string(jwt::AlgName(key->alg())),
                       key->PublicJwk(), now);
    }
    key_repo::Retire(tx.session(), old_key->kid(), result.previous_retire_after);
    tx.Commit();
    logging::Event("signing_key_rotated",
                   {{"kid", result.new_kid, false}, {"previous_kid", result.previous_kid, false}});
    return result;
  });
}

}  // namespace bookstore::auth
