#pragma once
// SQL of login_sessions (stored by SHA-256 hash only). Throws soci::soci_error on database
// failures.

#include <cstdint>
#include <optional>
#include <string>

namespace soci {
class session;
}

namespace bookstore::auth::session_repo {

void InsertSession(soci::session& s, const std::string& id_hash, int64_t user_id,
                   int64_t expires_at, int64_t now);
struct ActiveSession {
  int64_t user_id = 0;
  int64_t created_at = 0;  // the sign-in (auth_time)
};
// A session that is neither revoked nor expired at `now`.
std::optional<ActiveSession> FindActiveSession(soci::session& s, const std::string& id_hash,
                                               int64_t now);
void RevokeSession(soci::session& s, const std::string& id_hash, int64_t now);

// Removes expired sessions (and CSRF rows older versions stored; login
// forms no longer write any).
void DeleteExpired(soci::session& s, int64_t now);

}  // namespace bookstore::auth::session_repo
