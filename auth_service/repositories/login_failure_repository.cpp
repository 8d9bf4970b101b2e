#include "auth_service/repositories/login_failure_repository.h"

#include <soci/soci.h>

namespace bookstore::auth::failure_repo {
namespace {

constexpr const char* kInsert =
    "INSERT INTO login_failures (username_lower, client_addr, failed_at) "
    "VALUES (:username_lower, :client_addr, :failed_at)";
constexpr const char* kByUsername =
    "SELECT COUNT(*), MIN(failed_at) FROM login_failures "
    "WHERE username_lower = :username_lower AND failed_at >= :since";
constexpr const char* kByAddress =
    "SELECT COUNT(*), MIN(failed_at) FROM login_failures "
    "WHERE client_addr = :client_addr AND failed_at >= :since";
constexpr const char* kReserve =
    "INSERT INTO login_failures (username_lower, client_addr, failed_at) "
    "SELECT :username_lower, :client_addr, :now WHERE "
    "(SELECT COUNT(*) FROM login_failures WHERE username_lower = :username_lower "
    "AND failed_at >= :since) < :max_user AND "
    "(SELECT COUNT(*) FROM login_failures WHERE client_addr = :client_addr "
    "AND failed_at >= :since) < :max_addr RETURNING id";
constexpr const char* kLock = "SELECT pg_advisory_xact_lock(hashtext(:key))";
constexpr const char* kForget = "DELETE FROM login_failures WHERE id = :id";
constexpr const char* kDeleteOlder = "DELETE FROM login_failures WHERE failed_at < :before";

FailureWindow Query(soci::session& s, const char* sql, const char* name, const std::string& key,
                    int64_t since) {
  long long count = 0, oldest = 0;
  soci::indicator oldest_ind = soci::i_ok;
  const long long from = since;
  s << sql, soci::use(key, name), soci::use(from, "since"), soci::into(count),
      soci::into(oldest, oldest_ind);
  return FailureWindow{count, oldest_ind == soci::i_ok ? oldest : 0};
}

}  // namespace

std::optional<int64_t> ReserveAttempt(soci::session& s, db::Dialect dialect,
                                      const std::string& username_lower,
                                      const std::string& client_addr, int64_t now, int64_t since,
                                      int64_t max_per_username, int64_t max_per_address) {
  if (dialect == db::Dialect::kPostgres) {
    // Always the username first, then the address: no lock cycle.
    for (const std::string& key : {"login-user:" + username_lower, "login-addr:" + client_addr}) {
      std::string ignored;
      s << kLock, soci::use(key, "key"), soci::into(ignored);
    }
  }
  long long id = 0;
  const long long at = now, from = since, max_user = max_per_username, max_addr = max_per_address;
  s << kReserve, soci::use(username_lower, "username_lower"), soci::use(client_addr, "client_addr"),
      soci::use(at, "now"), soci::use(from, "since"), soci::use(max_user, "max_user"),
      soci::use(max_addr, "max_addr"), soci::into(id);
  if (!s.got_data()) return std::nullopt;
  return id;
}

void ForgetAttempt(soci::session& s, int64_t id) {
  const long long key = id;
  s << kForget, soci::use(key, "id");
}

void Record(soci::session& s, const std::string& username_lower, const std::string& client_addr,
            int64_t now) {
  const long long at = now;
  s << kInsert, soci::use(username_lower, "username_lower"), soci::use(client_addr, "client_addr"),
      soci::use(at, "failed_at");
}

FailureWindow ForUsername(soci::session& s, const std::string& username_lower, int64_t since) {
  return Query(s, kByUsername, "username_lower", username_lower, since);
}

FailureWindow ForAddress(soci::session& s, const std::string& client_addr, int64_t since) {
  return Query(s, kByAddress, "client_addr", client_addr, since);
}

void DeleteOlder(soci::session& s, int64_t before) {
  const long long b = before;
  s << kDeleteOlder, soci::use(b, "before");
}

}  // namespace bookstore::auth::failure_repo
