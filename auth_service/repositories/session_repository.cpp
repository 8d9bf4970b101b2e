#include "auth_service/repositories/session_repository.h"

#include <soci/soci.h>

namespace bookstore::auth::session_repo {
namespace {

constexpr const char* kInsertSession =
    "INSERT INTO login_sessions (id_hash, user_id, expires_at, created_at) "
    "VALUES (:id_hash, :user_id, :expires_at, :created_at)";
constexpr const char* kFindSession =
    "SELECT user_id, created_at FROM login_sessions WHERE id_hash = :id_hash AND revoked_at IS "
    "NULL "
    "AND expires_at > :now";
constexpr const char* kRevokeSession =
    "UPDATE login_sessions SET revoked_at = :now WHERE id_hash = :id_hash AND revoked_at IS NULL";
constexpr const char* kDeleteSessions = "DELETE FROM login_sessions WHERE expires_at < :now";
constexpr const char* kDeleteCsrf = "DELETE FROM login_csrf_tokens WHERE expires_at < :now";

}  // namespace

void InsertSession(soci::session& s, const std::string& id_hash, int64_t user_id,
                   int64_t expires_at, int64_t now) {
  const long long uid = user_id, expires = expires_at, created = now;
  s << kInsertSession, soci::use(id_hash, "id_hash"), soci::use(uid, "user_id"),
      soci::use(expires, "expires_at"), soci::use(created, "created_at");
}

std::optional<ActiveSession> FindActiveSession(soci::session& s, const std::string& id_hash,
                                               int64_t now) {
  long long uid = 0, created = 0;
  const long long at = now;
  s << kFindSession, soci::use(id_hash, "id_hash"), soci::use(at, "now"), soci::into(uid),
      soci::into(created);
  if (!s.got_data()) return std::nullopt;
  return ActiveSession{uid, created};
}

void RevokeSession(soci::session& s, const std::string& id_hash, int64_t now) {
  const long long at = now;
  s << kRevokeSession, soci::use(at, "now"), soci::use(id_hash, "id_hash");
}

void DeleteExpired(soci::session& s, int64_t now) {
  const long long at = now;
  s << kDeleteSessions, soci::use(at, "now");
  s << kDeleteCsrf, soci::use(at, "now");
}

}  // namespace bookstore::auth::session_repo
