#pragma once
// OAuth clients: lookup, authentication at the token endpoints, and
// registration (CLI). Knows no HTTP. Thread-safe (state lives in the DB).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth_service/repositories/records.h"
#include "common/clock.h"
#include "common/result.h"

namespace bookstore::db {
class Database;
}

namespace bookstore::auth {

// How the client presented itself at /token, /revoke, /introspect.
enum class ClientAuthMethod { kNone, kBasic, kPost };

struct ClientCredentials {
  std::string client_id;
  std::optional<std::string> client_secret;
  ClientAuthMethod method = ClientAuthMethod::kNone;
};

struct NewClient {
  std::string client_id;
  std::string name;  // defaults to client_id
  bool confidential = false;
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  std::vector<std::string> scopes;  // empty: every scope
};

// `client update`: the fields given replace the client's (lists whole);
// scopes: an empty list means every scope.
struct ClientChange {
  std::string client_id;
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> redirect_uris;
  std::optional<std::vector<std::string>> post_logout_redirect_uris;
  std::optional<std::vector<std::string>> scopes;
  bool rotate_secret = false;  // confidential clients: a new secret, the old one stops working
};

struct RegisteredClient {
  std::string client_id;
  std::string client_secret;  // only for confidential clients, shown once
};

class ClientService {
 public:
  ClientService(std::shared_ptr<db::Database> db, const Clock& clock, Random& random);

  // The client, or NotFound.
  Result<ClientRecord> Get(const std::string& client_id);

  // Confidential clients need their secret (SHA-256 compared in constant
  // time); public clients must not send one. Failure: OAuthError
  // invalid_client.
  Result<ClientRecord> Authenticate(const ClientCredentials& credentials);

  // Validates and stores a client. InvalidArgument naming the bad field;
  // Conflict when the id is taken.
  Result<RegisteredClient> Register(const NewClient& client);

  // Applies `change` under the rules of Register. NotFound for an unknown
  // client; the secret is set in the result only when rotated.
  Result<RegisteredClient> Update(const ClientChange& change);

  // Deletes the client, its authorization codes and refresh-token families
  // (their access tokens stop introspecting as active; JWTs already issued
  // verify at the book service until they expire). NotFound when absent.
  Status Remove(const std::string& client_id);

  Result<std::vector<ClientRecord>> List();

  // The default public clients of the contract (§1.2); existing ones are
  // left as they are. Returns how many were created.
  Result<int> EnsureDefaults();

 private:
  std::shared_ptr<db::Database> db_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace bookstore::auth
