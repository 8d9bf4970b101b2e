#pragma once
// What both services do to a user's sign-ins (contract §6): a password or
// role change, a deletion, an administrator's password reset end them.
// Both dialects; runs in the caller's transaction.

#include <cstdint>
#include <string>

namespace soci {
class session;
}

namespace bookstore::accounts {

// Revokes every login session and every refresh-token family of user `id`
// (with their refresh and access tokens), except the family `keep_family`
// ("" keeps none), at time `now`.
void EndSignIns(soci::session& sql, int64_t id, int64_t now, const std::string& keep_family = "");

}  // namespace bookstore::accounts
