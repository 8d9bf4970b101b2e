#pragma once
// SQL of oauth_clients. Functions run on the given session (inside the
// caller's transaction when there is one) and throw soci::soci_error on
// database failures.

#include <optional>
#include <string>
#include <vector>

#include "auth_service/repositories/records.h"

namespace soci {
class session;
}

namespace bookstore::auth::client_repo {

std::optional<ClientRecord> Find(soci::session& s, const std::string& client_id);
// Inserts `client`; false (and nothing changed) when the client id exists.
bool Insert(soci::session& s, const ClientRecord& client);
// Every client ordered by client_id.
std::vector<ClientRecord> List(soci::session& s);
// Stores every field of `client` but its id and creation time; false when
// there is no such client.
bool Update(soci::session& s, const ClientRecord& client);
// Deletes the client with its codes and refresh-token families (cascade);
// false when there is no such client.
bool Delete(soci::session& s, const std::string& client_id);

}  // namespace bookstore::auth::client_repo
