#pragma once
// SQL of the users table, as the auth service needs it (log in, init-admin).
// Throws soci::soci_error on database failures.

#include <cstdint>
#include <optional>
#include <string>

#include "auth_service/repositories/records.h"

namespace soci {
class session;
}

namespace bookstore::auth::user_repo {

// Case-insensitive lookup (usernames are unique ignoring case).
std::optional<UserRecord> FindByUsername(soci::session& s, const std::string& username);
std::optional<UserRecord> FindById(soci::session& s, int64_t id);
// Inserts a user and returns its id.
int64_t Insert(soci::session& s, const std::string& username, const std::string& password_hash,
               const std::string& role, int64_t now);
// Replaces the password hash of user `id`.
void SetPasswordHash(soci::session& s, int64_t id, const std::string& password_hash, int64_t now);

}  // namespace bookstore::auth::user_repo
