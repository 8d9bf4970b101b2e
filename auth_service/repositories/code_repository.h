#pragma once
// SQL of authorization_codes (stored by SHA-256 hash only). Throws
// soci::soci_error on database failures.

#include <cstdint>
#include <optional>
#include <string>

#include "auth_service/repositories/records.h"

namespace soci {
class session;
}

namespace bookstore::auth::code_repo {

void Insert(soci::session& s, const CodeRecord& code);
std::optional<CodeRecord> Find(soci::session& s, const std::string& code_hash);
// Marks the code used when it was not yet; true only for the caller that
// flipped it (safe under concurrency: conditional UPDATE).
bool MarkUsed(soci::session& s, const std::string& code_hash, int64_t now);
// Deletes codes expired before `before` that can no longer matter.
void DeleteExpired(soci::session& s, int64_t before);

}  // namespace bookstore::auth::code_repo
