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
