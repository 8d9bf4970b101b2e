#pragma once
// Account rules of §2.2: registration (customers only), admin management,
// last-admin protection. Passwords are hashed with argon2id here, so call
// from worker threads. Never returns or logs a hash. Thread-safe.

#include <memory>

#include "book_service/domain/models.h"
#include "book_service/domain/request_decoding.h"
#include "common/passwords.h"
#include "common/result.h"

namespace bookstore {
class Clock;
namespace db {
class Database;
}
}  // namespace bookstore

namespace bookstore::book {

class UserService {
 public:
  UserService(std::shared_ptr<db::Database> db, const Clock& clock, PasswordCost cost);

  // Public sign-up: username + password; a role other than "customer" is
  // Forbidden; a taken name (ignoring case) Conflict.
  Result<User> Register(const UserFields& fields);
  // Admin: any role (default customer).
  Result<User> Create(const UserFields& fields);
  Result<User> Get(int64_t id) const;
  Result<Page<User>> List(const UserQuery& query) const;
  // Sets password and/or role (at least one). Demoting the last admin: Conflict.
  Result<User> Update(int64_t id, const UserFields& fields);
  // Conflict for the last admin or a user with orders.
  Status Remove(int64_t id);

 private:
  Result<User> Insert(const UserFields& fields, const std::string& role);

  std::shared_ptr<db::Database> db_;
  const Clock& clock_;
  PasswordHasher hasher_;
};

}  // namespace bookstore::book
