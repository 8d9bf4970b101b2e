#pragma once
// SQL of login_sessions and login_csrf_tokens (both stored by SHA-256 hash
// only). Throws soci::soci_error on database failures.

#include <cstdint>
#include <optional>
#include <string>

namespace soci {
class session;
}

namespace bookstore::auth::session_repo {

void InsertSession(soci::session& s, const std::string& id_hash, int64_t user_id,
                   int64_t expires_at, int64_t now);
// The user id of a session that is neither revoked nor expired at `now`.
std::optional<int64_t> FindActiveSession(soci::session& s, const std::string& id_hash, int64_t now);
void RevokeSession(soci::session& s, const std::string& id_hash, int64_t now);

void InsertCsrf(soci::session& s, const std::string& token_hash, int64_t expires_at, int64_t now);
// True when the token exists and has not expired at `now`.
bool CsrfValid(soci::session& s, const std::string& token_hash, int64_t now);

// Removes expired sessions and CSRF tokens.
void DeleteExpired(soci::session& s, int64_t now);

}  // namespace bookstore::auth::session_repo
