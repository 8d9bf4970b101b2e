#include "auth_service/repositories/user_repository.h"

#include <soci/soci.h>

namespace bookstore::auth::user_repo {
namespace {

constexpr const char* kByUsername =
    "SELECT id, username, password_hash, role FROM users "
    "WHERE lower(username) = lower(:username)";
constexpr const char* kById = "SELECT id, username, password_hash, role FROM users WHERE id = :id";
constexpr const char* kInsert =
    "INSERT INTO users (username, password_hash, role, created_at, updated_at) "
    "VALUES (:username, :password_hash, :role, :created_at, :updated_at) RETURNING id";

}  // namespace

std::optional<UserRecord> FindByUsername(soci::session& s, const std::string& username) {
  UserRecord u;
  long long id = 0;
  s << kByUsername, soci::use(username, "username"), soci::into(id), soci::into(u.username),
      soci::into(u.password_hash), soci::into(u.role);
  if (!s.got_data()) return std::nullopt;
  u.id = id;
  return u;
}

std::optional<UserRecord> FindById(soci::session& s, int64_t id) {
  UserRecord u;
  long long got = 0;
  const long long key = id;
  s << kById, soci::use(key, "id"), soci::into(got), soci::into(u.username),
      soci::into(u.password_hash), soci::into(u.role);
  if (!s.got_data()) return std::nullopt;
  u.id = got;
  return u;
}

int64_t Insert(soci::session& s, const std::string& username, const std::string& password_hash,
               const std::string& role, int64_t now) {
  long long id = 0;
  const long long created = now, updated = now;
  s << kInsert, soci::use(username, "username"), soci::use(password_hash, "password_hash"),
      soci::use(role, "role"), soci::use(created, "created_at"), soci::use(updated, "updated_at"),
      soci::into(id);
  return id;
}

}  // namespace bookstore::auth::user_repo
