#pragma once
// The bookstore-auth subcommands as functions of a finalized configuration,
// writing their result to `out` and one-line errors to `err`. Each returns
// the process exit code (0 ok, 1 failure).

#include <iosfwd>
#include <optional>
#include <string>

#include "auth_service/auth_config.h"
#include "auth_service/services/client_service.h"

namespace bookstore::auth {

// Serves until SIGTERM/SIGINT, then drains. Refuses to start (one line)
// when the schema is not migrated.
int RunServe(const AuthConfig& config, std::ostream& err);
// Migrates the schema and creates the default clients. Idempotent.
int RunInitDb(const AuthConfig& config, std::ostream& out, std::ostream& err);
// Creates the admin (password generated and printed once when not given);
// with `reset_password`, an existing admin gets that password instead and
// their sign-ins end.
int RunInitAdmin(const AuthConfig& config, const std::string& username,
                 const std::optional<std::string>& password, bool reset_password, std::ostream& out,
                 std::ostream& err);
// Prints {"client_id": ..., "client_secret": ...} (secret only when confidential).
int RunClientAdd(const AuthConfig& config, const NewClient& client, std::ostream& out,
                 std::ostream& err);
// Prints a JSON array of clients (no secrets).
int RunClientList(const AuthConfig& config, std::ostream& out, std::ostream& err);
// Changes a client (prints {"client_id"} and a new "client_secret" when rotated).
int RunClientUpdate(const AuthConfig& config, const ClientChange& change, std::ostream& out,
                    std::ostream& err);
// Deletes a client with its codes and refresh tokens.
int RunClientDelete(const AuthConfig& config, const std::string& client_id, std::ostream& out,
                    std::ostream& err);
// Rotates the signing key (see KeyService::Rotate); prints a JSON summary.
int RunKeysRotate(const AuthConfig& config, std::ostream& out, std::ostream& err);

}  // namespace bookstore::auth
