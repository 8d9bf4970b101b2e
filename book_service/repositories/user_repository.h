#pragma once
// SQL for the users table, and for ending a user's sign-ins (the auth
// service's login_sessions and token tables). Password hashes are read only
// to check a user's own password (self-service).
// Functions throw soci::soci_error on database failure. Stateless.

#include <cstdint>
#include <optional>
#include <string>

#include "book_service/domain/models.h"
#include "common/db/database.h"

namespace soci {
class session;
}

namespace bookstore::book {

class UserRepository {
 public:
  // Inserts a user and returns the new id; throws on a taken username
  // (unique violation, see db::ClassifyViolation).
  static int64_t Insert(soci::session& sql, const User& user, const std::string& password_hash);
  static std::optional<User> Find(soci::session& sql, int64_t id);
  // True when a user has `username`, ignoring case.
  static bool UsernameTaken(soci::session& sql, const std::string& username);
  // Atomically: when `client_addr` has fewer than `max` sign-ups at or after
  // `since`, records one at `now` (dropping that address's older rows) and
  // returns true. On PostgreSQL the address is locked (advisory, until the
  // transaction ends; call inside one).
  static bool ReserveRegistration(soci::session& sql, db::Dialect dialect,
                                  const std::string& client_addr, int64_t now, int64_t since,
                                  int64_t max);
  static Page<User> Search(soci::session& sql, const UserQuery& query);
  static void SetRole(soci::session& sql, int64_t id, const std::string& role, int64_t now);
  static void SetPasswordHash(soci::session& sql, int64_t id, const std::string& hash, int64_t now);
  static bool Delete(soci::session& sql, int64_t id);
  // The user's encoded password hash, nullopt for no such user.
  static std::optional<std::string> PasswordHash(soci::session& sql, int64_t id);
  // Revokes every login session and every refresh-token family of the user
  // (with their refresh and access tokens), except the family `keep_family`
  // ("" keeps none).
  static void EndSignIns(soci::session& sql, int64_t id, int64_t now,
                         const std::string& keep_family = "");
  // The refresh-token family an access token (jti) was issued from, "" when
  // none (client credentials) or unknown.
  static std::string FamilyOfAccessToken(soci::session& sql, const std::string& jti);
  static bool HasOrders(soci::session& sql, int64_t id);
  // Number of admins. On PostgreSQL the admin rows are locked (FOR UPDATE)
  // until the transaction ends, so two transactions cannot both remove
  // "the other" admin; SQLite transactions are already serialised.
  static int64_t LockAndCountAdmins(soci::session& sql, db::Dialect dialect);
};

}  // namespace bookstore::book
