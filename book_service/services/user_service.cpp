#include "book_service/services/user_service.h"

#include <soci/soci.h>

#include "book_service/domain/validation.h"
#include "book_service/repositories/user_repository.h"
#include "common/clock.h"
#include "common/db/database.h"
#include "common/db/db_errors.h"

namespace bookstore::book {
namespace {

Error NotFound(int64_t id) { return Error::NotFound("user " + std::to_string(id) + " not found"); }

Error LastAdmin() { return Error::Conflict("the last admin cannot be removed or demoted"); }

void Check(std::vector<FieldError>& errors, const char* field,
           const std::optional<std::string>& message) {
  if (message) errors.push_back({field, *message});
}

}  // namespace

UserService::UserService(std::shared_ptr<db::Database> db, const Clock& clock, PasswordCost cost)
    : db_(std::move(db)), clock_(clock), hasher_(cost) {}

Result<User> UserService::Register(const UserFields& fields, const std::string& client_addr) {
  if (fields.role && *fields.role != "customer") {
    return Error::Forbidden("registration creates customer accounts only");
  }
  return Insert(fields, "customer", client_addr.empty() ? std::string("unknown") : client_addr);
}

Result<User> UserService::Create(const UserFields& fields) {
  return Insert(fields, fields.role.value_or("customer"));
}

Result<User> UserService::Insert(const UserFields& fields, const std::string& role,
                                 const std::string& client_addr) {
  std::vector<FieldError> errors;
  if (!fields.username)
    errors.push_back({"username", "is required"});
  else
    Check(errors, "username", CheckUsername(*fields.username));
  if (!fields.password)
    errors.push_back({"password", "is required"});
  else
    Check(errors, "password", CheckPassword(*fields.password));
  Check(errors, "role", CheckRole(role));
  if (!errors.empty()) return Error::InvalidArgument("invalid user", std::move(errors));

  User user;
  user.username = *fields.username;
  user.role = role;
  user.created_at = user.updated_at = clock_.Now();
  const Error taken = Error::Conflict("username '" + user.username + "' is taken");
  // The cheap checks first: hashing costs tens of milliseconds of CPU.
  try {
    if (UserRepository::UsernameTaken(db_->Session(), user.username)) return taken;
    if (!client_addr.empty()) {
      db::Transaction tx(*db_);
      const bool allowed = UserRepository::ReserveRegistration(
          tx.session(), db_->dialect(), client_addr, user.created_at,
          user.created_at - kRegistrationWindow + 1, kRegistrationsPerAddress);
      tx.Commit();
      if (!allowed) return Error::TooManyRequests("too many sign-ups from this address; try later");
    }
  } catch (...) {
    return db::MapCurrentException("check new user");
  }
  const std::string hash = hasher_.Hash(*fields.password);
  try {
    db::Transaction tx(*db_);
    user.id = UserRepository::Insert(tx.session(), user, hash);
    tx.Commit();
    return user;
  } catch (...) {
    return db::MapCurrentException("create user", [&](db::Violation v) -> std::optional<Error> {
      if (v == db::Violation::kUnique) return taken;
      return std::nullopt;
    });
  }
}

Result<User> UserService::Get(int64_t id) const {
  try {
    auto user = UserRepository::Find(db_->Session(), id);
    if (!user) return NotFound(id);
    return *user;
  } catch (...) {
    return db::MapCurrentException("get user");
  }
}

Result<Page<User>> UserService::List(const UserQuery& query) const {
  try {
    return UserRepository::Search(db_->Session(), query);
  } catch (...) {
    return db::MapCurrentException("list users");
  }
}

Result<User> UserService::Update(int64_t id, const UserFields& fields) {
  std::vector<FieldError> errors;
  if (fields.password) Check(errors, "password", CheckPassword(*fields.password));
  if (fields.role) Check(errors, "role", CheckRole(*fields.role));
  if (!fields.password && !fields.role) {
    errors.push_back({"password", "password or role is required"});
  }
  if (!errors.empty()) return Error::InvalidArgument("invalid user", std::move(errors));
  const std::optional<std::string> hash =
      fields.password ? std::optional(hasher_.Hash(*fields.password)) : std::nullopt;
  try {
    db::Transaction tx(*db_);
    auto user = UserRepository::Find(tx.session(), id);
    if (!user) return NotFound(id);
    const int64_t now = clock_.Now();
    const bool role_changed = fields.role && *fields.role != user->role;
    if (role_changed) {
      if (user->role == "admin" &&
          UserRepository::LockAndCountAdmins(tx.session(), db_->dialect()) <= 1) {
        return LastAdmin();
      }
      UserRepository::SetRole(tx.session(), id, *fields.role, now);
      user->role = *fields.role;
    }
    if (hash) UserRepository::SetPasswordHash(tx.session(), id, *hash, now);
    if (hash || role_changed) UserRepository::EndSignIns(tx.session(), id, now);
    user->updated_at = now;
    tx.Commit();
    return *user;
  } catch (...) {
    return db::MapCurrentException("update user");
  }
}

Status UserService::Remove(int64_t id) {
  const Error has_orders = Error::Conflict("user " + std::to_string(id) + " has orders");
  try {
    db::Transaction tx(*db_);
    auto user = UserRepository::Find(tx.session(), id);
    if (!user) return NotFound(id);
    if (user->role == "admin" &&
        UserRepository::LockAndCountAdmins(tx.session(), db_->dialect()) <= 1) {
      return LastAdmin();
    }
    if (UserRepository::HasOrders(tx.session(), id)) return has_orders;
    if (!UserRepository::Delete(tx.session(), id)) return NotFound(id);
    tx.Commit();
    return {};
  } catch (...) {
    return db::MapCurrentException("delete user", [&](db::Violation v) -> std::optional<Error> {
      if (v == db::Violation::kForeignKey) return has_orders;
      return std::nullopt;
    });
  }
}

Status UserService::ChangeOwnPassword(int64_t id, const std::string& token_id,
                                      const std::string& current, const std::string& next) {
  if (auto problem = CheckPassword(next)) {
    return Error::InvalidArgument("invalid password", {{"new_password", *problem}});
  }
  try {
    const auto stored = UserRepository::PasswordHash(db_->Session(), id);
    if (!stored) return NotFound(id);
    if (!hasher_.Verify(*stored, current)) {
      return Error::Forbidden("the current password is wrong");
    }
    const std::string hash = hasher_.Hash(next);
    db::Transaction tx(*db_);
    const int64_t now = clock_.Now();
    const std::string keep = UserRepository::FamilyOfAccessToken(tx.session(), token_id);
    UserRepository::SetPasswordHash(tx.session(), id, hash, now);
    UserRepository::EndSignIns(tx.session(), id, now, keep);
    tx.Commit();
    return {};
  } catch (...) {
    return db::MapCurrentException("change own password");
  }
}

Status UserService::RemoveOwn(int64_t id, const std::string& password) {
  try {
    const auto stored = UserRepository::PasswordHash(db_->Session(), id);
    if (!stored) return NotFound(id);
    if (!hasher_.Verify(*stored, password)) return Error::Forbidden("the password is wrong");
  } catch (...) {
    return db::MapCurrentException("delete own account");
  }
  return Remove(id);
}

}  // namespace bookstore::book
