#include "auth_service/services/admin_service.h"

#include <regex>

#include "auth_service/repositories/user_repository.h"
#include "auth_service/services/db_guard.h"
#include "common/accounts/sign_ins.h"
#include "common/db/database.h"
#include "common/logging.h"

namespace bookstore::auth {

Result<AdminResult> EnsureAdmin(db::Database& db, const PasswordHasher& hasher, const Clock& clock,
                                Random& random, const std::string& username,
                                const std::optional<std::string>& password, bool reset_password) {
  static const std::regex kUsername("[A-Za-z0-9_.-]{3,32}");
  if (!std::regex_match(username, kUsername)) {
    return Error::InvalidArgument(
        "invalid BOOKSTORE_ADMIN_USERNAME: 3..32 characters of [A-Za-z0-9_.-]",
        {{"username", "3..32 characters of [A-Za-z0-9_.-]"}});
  }
  AdminResult result;
  std::string secret;
  if (password) {
    const long length = Utf8Length(*password);
    if (length < 8 || length > 128) {
      return Error::InvalidArgument("invalid BOOKSTORE_ADMIN_PASSWORD: 8..128 characters",
                                    {{"password", "8..128 characters"}});
    }
    secret = *password;
  } else {
    secret = random.Token(18);  // 24 characters, 144 bits
    result.generated_password = secret;
  }
  auto existing = GuardDb("admin lookup", [&]() -> Result<bool> {
    return user_repo::FindByUsername(db.Session(), username).has_value();
  });
  if (!existing.ok()) return std::move(existing).error();
  if (*existing && !reset_password) return AdminResult{};
  const std::string hash = hasher.Hash(secret);
  return GuardDb("admin creation", [&]() -> Result<AdminResult> {
    db::Transaction tx(db);
    if (auto user = user_repo::FindByUsername(tx.session(), username)) {
      if (!reset_password) return AdminResult{};
      if (user->role != "admin") {
        return Error::Conflict("user '" + user->username +
                               "' is not an administrator; a reset never promotes anyone");
      }
      const int64_t now = clock.Now();
      user_repo::SetPasswordHash(tx.session(), user->id, hash, now);
      accounts::EndSignIns(tx.session(), user->id, now);
      tx.Commit();
      logging::Event("admin_password_reset", {{"user_id", std::to_string(user->id), true}});
      result.reset = true;
      return result;
    }
    const int64_t id = user_repo::Insert(tx.session(), username, hash, "admin", clock.Now());
    tx.Commit();
    logging::Event("admin_created", {{"user_id", std::to_string(id), true}});
    result.created = true;
    return result;
  });
}

}  // namespace bookstore::auth
