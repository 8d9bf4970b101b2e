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
  // Forbidden; a taken name (ignoring case) Conflict, found before the
  // password is hashed. At most kRegistrationsPerAddress sign-ups per client
  // address per hour (TooManyRequests).
  Result<User> Register(const UserFields& fields, const std::string& client_addr);
  static constexpr int64_t kRegistrationsPerAddress = 10;
  static constexpr int64_t kRegistrationWindow = 3600;
  // Admin: any role (default customer).
  Result<User> Create(const UserFields& fields);
  Result<User> Get(int64_t id) const;
  Result<Page<User>> List(const UserQuery& query) const;
  // Sets password and/or role (at least one). Demoting the last admin:
  // Conflict. A new password or a changed role ends the user's login
  // sessions and revokes all their refresh-token families.
  Result<User> Update(int64_t id, const UserFields& fields);
  // Conflict for the last admin or a user with orders. The user's sessions
  // and tokens go with the row (ON DELETE CASCADE).
  Status Remove(int64_t id);

  // Self-service (contract §6). `token_id` is the jti of the caller's access
  // token: its refresh-token family survives a password change, every other
  // family and every login session ends. Wrong current password: Forbidden;
  // a new password breaking §2.2: InvalidArgument.
  Status ChangeOwnPassword(int64_t id, const std::string& token_id, const std::string& current,
                           const std::string& next);
  // Deletes the caller's account after checking `password` (Forbidden when
  // wrong); Conflict with orders or for the last admin.
  Status RemoveOwn(int64_t id, const std::string& password);

 private:
  // `client_addr` non-empty: a public sign-up, throttled per address.
  Result<User> Insert(const UserFields& fields, const std::string& role,
                      const std::string& client_addr = "");

  std::shared_ptr<db::Database> db_;
  const Clock& clock_;
  PasswordHasher hasher_;
};

}  // namespace bookstore::book
