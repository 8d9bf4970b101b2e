#pragma once
// SQL of login_failures, the shared throttling counters (every auth
// instance sees the same counts). Throws soci::soci_error on failures.

#include <cstdint>
#include <string>

#include "auth_service/repositories/records.h"

namespace soci {
class session;
}

namespace bookstore::auth::failure_repo {

void Record(soci::session& s, const std::string& username_lower, const std::string& client_addr,
            int64_t now);
// Failures for a username (lower-cased) / a client address at or after `since`.
FailureWindow ForUsername(soci::session& s, const std::string& username_lower, int64_t since);
FailureWindow ForAddress(soci::session& s, const std::string& client_addr, int64_t since);
// Removes failures older than `before`.
void DeleteOlder(soci::session& s, int64_t before);

}  // namespace bookstore::auth::failure_repo
