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

namespace bookstore::auth {

KeyService::KeyService(std::shared_ptr<db::Database> db, const Clock& clock,
                       std::shared_ptr<const jwt::SigningKey> key)
    : db_(std::move(db)), clock_(clock), key_(std::move(key)) {}

Status KeyService::Publish() {
  return GuardDb("publishing the signing key", [&]() -> Status {
    key_repo::Upsert(db_->Session(), key_->kid(), key_->PublicJwk(), clock_.Now());
    return {};
  });
}

Result<std::string> KeyService::Jwks() {
  return GuardDb("reading signing keys", [&]() -> Result<std::string> {
    std::vector<std::string> jwks;
    for (const auto& k : key_repo::Published(db_->Session(), clock_.Now())) {
      jwks.push_back(k.public_jwk);
    }
    return jwt::MakeJwks(jwks);
  });
}

Result<std::shared_ptr<const jwt::KeySet>> KeyService::Keys() {
  auto jwks = Jwks();
  if (!jwks.ok()) return std::move(jwks).error();
  std::lock_guard lock(mu_);
  if (cached_keys_ && cached_jwks_ == *jwks) return cached_keys_;
  auto keys = jwt::KeySet::FromJwks(*jwks);
  if (!keys.ok()) return Error::Internal();
  cached_jwks_ = *jwks;
  cached_keys_ = *keys;
  return cached_keys_;
}

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
                                          const std::string& key_file, int64_t old_key_grace) {
  std::shared_ptr<const jwt::SigningKey> old_key;
  try {
    old_key = jwt::SigningKey::LoadOrCreate(key_file);
  } catch (const std::exception& e) {
    return Error::Unavailable(e.what());  // names the file and why
  }
  const auto new_key = jwt::SigningKey::Generate();
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
    key_repo::Upsert(tx.session(), old_key->kid(), old_key->PublicJwk(), now);
    key_repo::Upsert(tx.session(), new_key->kid(), new_key->PublicJwk(), now);
    key_repo::Retire(tx.session(), old_key->kid(), result.previous_retire_after);
    tx.Commit();
    logging::Event("signing_key_rotated",
                   {{"kid", result.new_kid, false}, {"previous_kid", result.previous_kid, false}});
    return result;
  });
}

}  // namespace bookstore::auth
