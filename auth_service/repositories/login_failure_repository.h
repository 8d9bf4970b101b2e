#pragma once
// SQL of login_failures, the shared throttling counters (every auth
// instance sees the same counts). Throws soci::soci_error on failures.

#include <cstdint>
#include <optional>
#include <string>

#include "auth_service/repositories/records.h"
#include "common/db/database.h"

namespace soci {
class session;
}

namespace bookstore::auth::failure_repo {

// Atomically: when fewer than `max_per_username` failures of the username and
// fewer than `max_per_address` of the address are recorded at or after
// `since`, records one at `now` (a sign-in attempt counts as a failure until
// ForgetAttempt) and returns its id; nullopt when throttled. Concurrent
// callers cannot overrun the limits: on PostgreSQL the two keys are locked
// (advisory, until the transaction ends; call inside one), on SQLite the
// single statement holds the write lock.
std::optional<int64_t> ReserveAttempt(soci::session& s, db::Dialect dialect,
                                      const std::string& username_lower,
                                      const std::string& client_addr, int64_t now, int64_t since,
                                      int64_t max_per_username, int64_t max_per_address);
// Removes an attempt that succeeded.
void ForgetAttempt(soci::session& s, int64_t id);

void Record(soci::session& s, const std::string& username_lower, const std::string& client_addr,
            int64_t now);
// Failures for a username (lower-cased) / a client address at or after `since`.
FailureWindow ForUsername(soci::session& s, const std::string& username_lower, int64_t since);
FailureWindow ForAddress(soci::session& s, const std::string& client_addr, int64_t since);
// Removes failures older than `before`.
void DeleteOlder(soci::session& s, int64_t before);

}  // namespace bookstore::auth::failure_repo
