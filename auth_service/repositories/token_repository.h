#pragma once
// SQL of token_families, refresh_tokens (by SHA-256 hash) and access_tokens
// (by jti). Throws soci::soci_error on database failures.

#include <cstdint>
#include <optional>
#include <string>

#include "auth_service/repositories/records.h"

namespace soci {
class session;
}

namespace bookstore::auth::token_repo {

// The sign-in a family's ID tokens speak of (0 / "" when unknown).
struct FamilyIdentity {
  int64_t auth_time = 0;
  std::string sid;
};

// A family of tokens; `code_hash` "" when not issued from a code.
void InsertFamily(soci::session& s, const std::string& family_id, const std::string& code_hash,
                  const std::string& client_id, int64_t user_id, int64_t now,
                  const FamilyIdentity& identity = {});
// The family issued from a code, if any.
std::optional<std::string> FindFamilyByCode(soci::session& s, const std::string& code_hash);
// Revokes the family and every refresh and access token in it. Idempotent.
void RevokeFamily(soci::session& s, const std::string& family_id, int64_t now);

void InsertRefresh(soci::session& s, const RefreshRecord& token);
std::optional<RefreshRecord> FindRefresh(soci::session& s, const std::string& token_hash);
// Marks an unused, unrevoked refresh token used; true only for the caller
// that flipped it.
bool MarkRefreshUsed(soci::session& s, const std::string& token_hash, int64_t now);

void InsertAccess(soci::session& s, const AccessRecord& token);
std::optional<AccessRecord> FindAccess(soci::session& s, const std::string& jti);
void RevokeAccess(soci::session& s, const std::string& jti, int64_t now);

// Removes expired access-token rows and refresh tokens expired before `before`.
void DeleteExpired(soci::session& s, int64_t before);

}  // namespace bookstore::auth::token_repo
