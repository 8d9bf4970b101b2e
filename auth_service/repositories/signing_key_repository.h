#pragma once
// SQL of signing_keys: the public JWKs every auth instance publishes.
// Throws soci::soci_error on database failures.

#include <cstdint>
#include <string>
#include <vector>

#include "auth_service/repositories/records.h"

namespace soci {
class session;
}

namespace bookstore::auth::key_repo {

// Inserts the key (`alg`: "RS256" or "ES256"), or marks an existing one
// current again (retire_after NULL).
void Upsert(soci::session& s, const std::string& kid, const std::string& alg,
            const std::string& public_jwk, int64_t now);
// Publishes the key only until `retire_after`.
void Retire(soci::session& s, const std::string& kid, int64_t retire_after);
// Keys that are current or not yet past retire_after at `now`, oldest first.
std::vector<PublishedKey> Published(soci::session& s, int64_t now);

}  // namespace bookstore::auth::key_repo
