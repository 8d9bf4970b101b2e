#include "auth_service/services/client_service.h"

#include <regex>

#include "auth_service/oauth/oauth_error.h"
#include "auth_service/oauth/redirect_uri.h"
#include "auth_service/oauth/scopes.h"
#include "auth_service/repositories/client_repository.h"
#include "auth_service/services/db_guard.h"
#include "common/db/database.h"
#include "common/passwords.h"

namespace bookstore::auth {

ClientService::ClientService(std::shared_ptr<db::Database> db, const Clock& clock, Random& random)
    : db_(std::move(db)), clock_(clock), random_(random) {}

Result<ClientRecord> ClientService::Get(const std::string& client_id) {
  return GuardDb("client lookup", [&]() -> Result<ClientRecord> {
    auto client = client_repo::Find(db_->Session(), client_id);
    if (!client) return Error::NotFound("unknown client");
    return *client;
  });
}

Result<ClientRecord> ClientService::Authenticate(const ClientCredentials& credentials) {
  if (credentials.client_id.empty()) {
    return OAuthError("invalid_client", "client authentication is required");
  }
  auto client = Get(credentials.client_id);
  if (!client.ok()) {
    if (client.error().code == Errc::kNotFound) {
      return OAuthError("invalid_client", "client authentication failed");
    }
    return std::move(client).error();
  }
  if (client->confidential) {
    if (!credentials.client_secret || credentials.client_secret->empty() ||
        !ConstantTimeEquals(Sha256Hex(*credentials.client_secret), client->secret_hash)) {
      return OAuthError("invalid_client", "client authentication failed");
    }
  } else if (credentials.client_secret && !credentials.client_secret->empty()) {
    return OAuthError("invalid_client", "client authentication failed");
  }
  return client;
}

Result<RegisteredClient> ClientService::Register(const NewClient& input) {
  static const std::regex kClientId("[A-Za-z0-9._~-]{1,64}");
  if (!std::regex_match(input.client_id, kClientId)) {
    return Error::InvalidArgument("invalid client id",
                                  {{"client_id", "1..64 characters of [A-Za-z0-9._~-]"}});
  }
  if (input.redirect_uris.empty()) {
    return Error::InvalidArgument("a redirect URI is required",
                                  {{"redirect_uri", "at least one is required"}});
  }
  for (const auto& uri : input.redirect_uris) {
    if (!IsValidRedirectUriForRegistration(uri)) {
      return Error::InvalidArgument("invalid redirect URI",
                                    {{"redirect_uri", "must be an absolute URI without fragment"}});
    }
  }
  for (const auto& uri : input.post_logout_redirect_uris) {
    if (!IsValidRedirectUriForRegistration(uri)) {
      return Error::InvalidArgument(
          "invalid post-logout redirect URI",
          {{"post_logout_redirect_uri", "must be an absolute URI without fragment"}});
    }
  }
  ClientRecord record;
  record.client_id = input.client_id;
  record.name = input.name.empty() ? input.client_id : input.name;
  record.confidential = input.confidential;
  record.redirect_uris = input.redirect_uris;
  record.post_logout_redirect_uris = input.post_logout_redirect_uris;
  if (!input.scopes.empty()) {
    std::string joined;
    for (const auto& s : input.scopes) joined += s + " ";
    auto scopes = ParseScopes(joined);
    if (!scopes) {
      return Error::InvalidArgument("unknown scope",
                                    {{"scope", "must be one of the known scopes"}});
    }
    record.allowed_scopes = *scopes;
  }
  record.created_at = clock_.Now();
  RegisteredClient out{record.client_id, ""};
  if (input.confidential) {
    out.client_secret = random_.Token(32);  // 256 bits
    record.secret_hash = Sha256Hex(out.client_secret);
  }
  return GuardDb("client registration", [&]() -> Result<RegisteredClient> {
    if (!client_repo::Insert(db_->Session(), record)) {
      return Error::Conflict("a client with this id already exists");
    }
    return out;
  });
}

Result<std::vector<ClientRecord>> ClientService::List() {
  return GuardDb("client list", [&]() -> Result<std::vector<ClientRecord>> {
    return client_repo::List(db_->Session());
  });
}

Result<int> ClientService::EnsureDefaults() {
  const int64_t now = clock_.Now();
  std::vector<ClientRecord> defaults(2);
  defaults[0].client_id = "bookstore-web";
  defaults[0].name = "Bookstore";
  defaults[0].redirect_uris = {"http://localhost:3000/callback", "http://127.0.0.1:3000/callback"};
  defaults[0].post_logout_redirect_uris = {"http://localhost:3000/", "http://127.0.0.1:3000/"};
  defaults[1].client_id = "bookstore-admin";
  defaults[1].name = "Bookstore Admin";
  defaults[1].redirect_uris = {"http://localhost:3001/callback"};
  defaults[1].post_logout_redirect_uris = {"http://localhost:3001/"};
  return GuardDb("default clients", [&]() -> Result<int> {
    int created = 0;
    for (auto& c : defaults) {
      c.created_at = now;
      if (client_repo::Insert(db_->Session(), c)) ++created;
    }
    return created;
  });
}

}  // namespace bookstore::auth
