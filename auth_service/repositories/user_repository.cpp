#include "auth_service/repositories/user_repository.h"

#include <soci/soci.h>

#include "common/db/row_query.h"
#include "common/db/statement_cache.h"

namespace bookstore::auth::user_repo {
namespace {

constexpr const char* kByUsername =
    "SELECT id, username, password_hash, role FROM users "
    "WHERE lower(username) = lower(:username)";
constexpr const char* kById = "SELECT id, username, password_hash, role FROM users WHERE id = :id";
constexpr const char* kInsert =
    "INSERT INTO users (username, password_hash, role, created_at, updated_at) "
    "VALUES (:username, :password_hash, :role, :created_at, :updated_at) RETURNING id";

// A user row; bound into the lookups below.
struct UserRow {
  long long id = 0;
  UserRecord u;
  void Into(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(u.username));
    st.exchange(soci::into(u.password_hash));
    st.exchange(soci::into(u.role));
  }
  UserRecord Get() const {
    UserRecord out = u;
    out.id = id;
    return out;
  }
};

// kByUsername and kById, prepared once per connection (db::Cached).
struct ByUsernameQuery {
  std::string username;
  UserRow row;
  soci::statement st;
  explicit ByUsernameQuery(soci::session& s) : st(s) {
    db::PrepareRowQuery(st, row, kByUsername, soci::use(username, "username"));
  }
};

struct ByIdQuery {
  long long id = 0;
  UserRow row;
  soci::statement st;
  explicit ByIdQuery(soci::session& s) : st(s) {
    db::PrepareRowQuery(st, row, kById, soci::use(id, "id"));
  }
};

}  // namespace

std::optional<UserRecord> FindByUsername(soci::session& s, const std::string& username) {
  db::Cached<ByUsernameQuery> q(s);
  q->username = username;
  if (!q->st.execute(true)) return std::nullopt;
  return q->row.Get();
}

std::optional<UserRecord> FindById(soci::session& s, int64_t id) {
  db::Cached<ByIdQuery> q(s);
  q->id = id;
  if (!q->st.execute(true)) return std::nullopt;
  return q->row.Get();
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

void SetPasswordHash(soci::session& s, int64_t id, const std::string& password_hash, int64_t now) {
  long long key = id, at = now;
  s << "UPDATE users SET password_hash = :h, updated_at = :now WHERE id = :id",
      soci::use(password_hash, "h"), soci::use(at, "now"), soci::use(key, "id");
}

}  // namespace bookstore::auth::user_repo
