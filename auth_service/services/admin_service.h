#pragma once
// init-admin: creates the first administrator unless one with that name
// exists, or resets a lost administrator password. Knows no HTTP. Slow
// (argon2id).

#include <optional>
#include <string>

#include "common/clock.h"
#include "common/passwords.h"
#include "common/result.h"

namespace bookstore::db {
class Database;
}

namespace bookstore::auth {

struct AdminResult {
  bool created = false;            // false: a user with that name already existed
  bool reset = false;              // the existing admin's password was replaced
  std::string generated_password;  // set when created or reset without a given password
};

// Validates the username (3..32 of [A-Za-z0-9_.-]) and password (8..128
// code points; generated when nullopt) and creates the admin. An existing
// user of that name (any case) is left unchanged, unless `reset_password`:
// then an existing admin gets the new password and every login session and
// refresh-token family of theirs ends (contract §6); an existing user who is
// not an admin is a Conflict (a reset never promotes anyone).
Result<AdminResult> EnsureAdmin(db::Database& db, const PasswordHasher& hasher, const Clock& clock,
                                Random& random, const std::string& username,
                                const std::optional<std::string>& password,
                                bool reset_password = false);

}  // namespace bookstore::auth
