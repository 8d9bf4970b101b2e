#pragma once
// SQL for the users table (the book service never reads password hashes).
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
  static Page<User> Search(soci::session& sql, const UserQuery& query);
  static void SetRole(soci::session& sql, int64_t id, const std::string& role, int64_t now);
  static void SetPasswordHash(soci::session& sql, int64_t id, const std::string& hash, int64_t now);
  static bool Delete(soci::session& sql, int64_t id);
  static bool HasOrders(soci::session& sql, int64_t id);
  // Number of admins. On PostgreSQL the admin rows are locked (FOR UPDATE)
  // until the transaction ends, so two transactions cannot both remove
  // "the other" admin; SQLite transactions are already serialised.
  static int64_t LockAndCountAdmins(soci::session& sql, db::Dialect dialect);
};

}  // namespace bookstore::book
