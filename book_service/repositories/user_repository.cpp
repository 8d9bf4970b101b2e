#include "book_service/repositories/user_repository.h"

#include <soci/soci.h>

#include "book_service/repositories/sql_util.h"
#include "common/accounts/sign_ins.h"
#include "common/db/row_query.h"
#include "common/db/statement_cache.h"

namespace bookstore::book {
namespace {

constexpr const char* kInsert =
    "INSERT INTO users (username, password_hash, role, created_at, updated_at) "
    "VALUES (:username, :hash, :role, :now, :now) RETURNING id";
constexpr const char* kFind =
    "SELECT id, username, role, created_at, updated_at FROM users WHERE id = :id";
constexpr const char* kSetRole = "UPDATE users SET role = :role, updated_at = :now WHERE id = :id";
constexpr const char* kSetHash =
    "UPDATE users SET password_hash = :hash, updated_at = :now WHERE id = :id";
constexpr const char* kDelete = "DELETE FROM users WHERE id = :id";
constexpr const char* kTaken = "SELECT COUNT(*) FROM users WHERE lower(username) = lower(:u)";
constexpr const char* kLockAddress = "SELECT pg_advisory_xact_lock(hashtext(:key))";
constexpr const char* kDropOldRegistrations =
    "DELETE FROM registration_attempts WHERE client_addr = :a AND created_at < :since";
constexpr const char* kReserveRegistration =
    "INSERT INTO registration_attempts (client_addr, created_at) SELECT :a, :now WHERE "
    "(SELECT COUNT(*) FROM registration_attempts WHERE client_addr = :a AND created_at >= :since)"
    " < :max RETURNING id";
constexpr const char* kHash = "SELECT password_hash FROM users WHERE id = :id";
constexpr const char* kFamilyOfAccess =
    "SELECT family_id FROM access_tokens WHERE jti = :jti AND family_id IS NOT NULL";
constexpr const char* kHasOrders = "SELECT COUNT(*) FROM orders WHERE user_id = :id";
constexpr const char* kCountAdmins = "SELECT COUNT(*) FROM users WHERE role = 'admin'";
constexpr const char* kLockAdmins = "SELECT id FROM users WHERE role = 'admin' FOR UPDATE";

struct UserRow {
  User u;
  long long id = 0, created = 0, updated = 0;
  void Into(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(u.username));
    st.exchange(soci::into(u.role));
    st.exchange(soci::into(created));
    st.exchange(soci::into(updated));
  }
  User Get() const {
    User out = u;
    out.id = id;
    out.created_at = created;
    out.updated_at = updated;
    return out;
  }
};

// kFind, prepared once per connection (db::Cached).
struct FindQuery {
  long long id = 0;
  UserRow row;
  soci::statement st;
  explicit FindQuery(soci::session& sql) : st(sql) {
    db::PrepareRowQuery(st, row, kFind, soci::use(id, "id"));
  }
};

}  // namespace

int64_t UserRepository::Insert(soci::session& sql, const User& user, const std::string& hash) {
  long long id = 0, now = user.created_at;
  sql << kInsert, soci::use(user.username, "username"), soci::use(hash, "hash"),
      soci::use(user.role, "role"), soci::use(now, "now"), soci::into(id);
  return id;
}

std::optional<User> UserRepository::Find(soci::session& sql, int64_t id) {
  db::Cached<FindQuery> q(sql);
  q->id = id;
  if (!q->st.execute(true)) return std::nullopt;
  return q->row.Get();
}

Page<User> UserRepository::Search(soci::session& sql, const UserQuery& query) {
  ParamList params;
  std::string where;
  if (query.role) AddCondition(where, "role = " + params.Add(*query.role));
  if (query.q) {
    AddCondition(where, "lower(username) LIKE lower(" + params.Add(ContainsPattern(*query.q)) +
                            ") ESCAPE '!'");
  }
  Page<User> page;
  page.page = query.page.page;
  page.page_size = query.page.page_size;
  page.total = params.Count(sql, "SELECT COUNT(*) FROM users" + where);
  const std::string limit = " LIMIT " + params.Add(static_cast<long long>(query.page.page_size)) +
                            " OFFSET " + params.Add(static_cast<long long>(query.page.offset()));
  UserRow row;
  soci::statement st(sql);
  params.BindTo(st);
  db::PrepareRowQuery(st, row,
                      "SELECT id, username, role, created_at, updated_at FROM users" + where +
                          " ORDER BY id" + limit);
  st.execute(false);
  while (st.fetch()) page.items.push_back(row.Get());
  return page;
}

void UserRepository::SetRole(soci::session& sql, int64_t id, const std::string& role, int64_t now) {
  long long key = id, ts = now;
  sql << kSetRole, soci::use(role, "role"), soci::use(ts, "now"), soci::use(key, "id");
}

void UserRepository::SetPasswordHash(soci::session& sql, int64_t id, const std::string& hash,
                                     int64_t now) {
  long long key = id, ts = now;
  sql << kSetHash, soci::use(hash, "hash"), soci::use(ts, "now"), soci::use(key, "id");
}

bool UserRepository::Delete(soci::session& sql, int64_t id) {
  long long key = id;
  soci::statement st = (sql.prepare << kDelete, soci::use(key, "id"));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool UserRepository::HasOrders(soci::session& sql, int64_t id) {
  long long key = id, count = 0;
  sql << kHasOrders, soci::use(key, "id"), soci::into(count);
  return count > 0;
}

int64_t UserRepository::LockAndCountAdmins(soci::session& sql, db::Dialect dialect) {
  long long count = 0;
  if (dialect == db::Dialect::kPostgres) {
    long long id = 0;
    soci::statement st = (sql.prepare << kLockAdmins, soci::into(id));
    st.execute(false);
    while (st.fetch()) ++count;
    return count;
  }
  sql << kCountAdmins, soci::into(count);
  return count;
}

bool UserRepository::UsernameTaken(soci::session& sql, const std::string& username) {
  long long n = 0;
  sql << kTaken, soci::use(username, "u"), soci::into(n);
  return n > 0;
}

bool UserRepository::ReserveRegistration(soci::session& sql, db::Dialect dialect,
                                         const std::string& client_addr, int64_t now, int64_t since,
                                         int64_t max) {
  if (dialect == db::Dialect::kPostgres) {
    const std::string key = "register-addr:" + client_addr;
    std::string ignored;
    sql << kLockAddress, soci::use(key, "key"), soci::into(ignored);
  }
  const long long at = now, from = since, limit = max;
  sql << kDropOldRegistrations, soci::use(client_addr, "a"), soci::use(from, "since");
  long long id = 0;
  sql << kReserveRegistration, soci::use(client_addr, "a"), soci::use(at, "now"),
      soci::use(from, "since"), soci::use(limit, "max"), soci::into(id);
  return sql.got_data();
}

std::optional<std::string> UserRepository::PasswordHash(soci::session& sql, int64_t id) {
  long long key = id;
  std::string hash;
  soci::indicator ind = soci::i_null;
  sql << kHash, soci::use(key, "id"), soci::into(hash, ind);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  return hash;
}

void UserRepository::EndSignIns(soci::session& sql, int64_t id, int64_t now,
                                const std::string& keep_family) {
  accounts::EndSignIns(sql, id, now, keep_family);
}

std::string UserRepository::FamilyOfAccessToken(soci::session& sql, const std::string& jti) {
  std::string family;
  soci::indicator ind = soci::i_null;
  sql << kFamilyOfAccess, soci::use(jti, "jti"), soci::into(family, ind);
  if (!sql.got_data() || ind != soci::i_ok) return "";
  return family;
}

}  // namespace bookstore::book
