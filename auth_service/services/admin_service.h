#pragma once
// init-admin: creates the first administrator unless one with that name
// exists. Knows no HTTP. Slow (argon2id).

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
  std::string generated_password;  // set when created without a given password
};

// Validates the username (3..32 of [A-Za-z0-9_.-]) and password (8..128
// code points; generated when nullopt) and creates the admin. An existing
// user of that name (any case) is left unchanged.
Result<AdminResult> EnsureAdmin(db::Database& db, const PasswordHasher& hasher, const Clock& clock,
                                Random& random, const std::string& username,
                                const std::optional<std::string>& password);

}  // namespace bookstore::auth
