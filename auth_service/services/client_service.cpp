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
    return OAuthError(OAuthCode::kInvalidClient, "client authentication is required");
  }
  auto client = Get(credentials.client_id);
  if (!client.ok()) {
    if (client.error().code == Errc::kNotFound) {
      return OAuthError(OAuthCode::kInvalidClient, "client authentication failed");
    }
    return std::move(client).error();
  }
  if (client->confidential) {
    if (!credentials.client_secret || credentials.client_secret->empty() ||
        !ConstantTimeEquals(Sha256Hex(*credentials.client_secret), client->secret_hash)) {
      return OAuthError(OAuthCode::kInvalidClient, "client authentication failed");
    }
  } else if (credentials.client_secret && !credentials.client_secret->empty()) {
    return OAuthError(OAuthCode::kInvalidClient, "client authentication failed");
  }
  return client;
}

namespace {

// The registration rules of redirect URIs and scopes (client add and
// update); on success sets `scopes` (nullopt for "every scope" when
// `names` is empty).
Status CheckClientFields(const std::vector<std::string>& redirect_uris,
                         const std::vector<std::string>& post_logout_redirect_uris,
                         const std::vector<std::string>& names,
                         std::optional<std::vector<std::string>>& scopes) {
  if (redirect_uris.empty()) {
    return Error::InvalidArgument("a redirect URI is required",
                                  {{"redirect_uri", "at least one is required"}});
  }
  for (const auto& uri : redirect_uris) {
    if (!IsValidRedirectUriForRegistration(uri)) {
      return Error::InvalidArgument("invalid redirect URI",
                                    {{"redirect_uri", "must be an absolute URI without fragment"}});
    }
  }
  for (const auto& uri : post_logout_redirect_uris) {
    if (!IsValidRedirectUriForRegistration(uri)) {
      return Error::InvalidArgument(
          "invalid post-logout redirect URI",
          {{"post_logout_redirect_uri", "must be an absolute URI without fragment"}});
    }
  }
  scopes.reset();
  if (!names.empty()) {
    std::string joined;
    for (const auto& name : names) joined += name + " ";
    auto parsed = ParseScopes(joined);
    if (!parsed) {
      return Error::InvalidArgument("unknown scope",
                                    {{"scope", "must be one of the known scopes"}});
    }
    scopes = *parsed;
  }
  return {};
}

}  // namespace

Result<RegisteredClient> ClientService::Register(const NewClient& input) {
  static const std::regex kClientId("[A-Za-z0-9._~-]{1,64}");
  if (!std::regex_match(input.client_id, kClientId)) {
    return Error::InvalidArgument("invalid client id",
                                  {{"client_id", "1..64 characters of [A-Za-z0-9._~-]"}});
  }
  ClientRecord record;
  if (auto checked = CheckClientFields(input.redirect_uris, input.post_logout_redirect_uris,
                                       input.scopes, record.allowed_scopes);
      !checked.ok()) {
    return std::move(checked).error();
  }
  record.client_id = input.client_id;
  record.name = input.name.empty() ? input.client_id : input.name;
  record.confidential = input.confidential;
  record.redirect_uris = input.redirect_uris;
  record.post_logout_redirect_uris = input.post_logout_redirect_uris;
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

Result<RegisteredClient> ClientService::Update(const ClientChange& change) {
  auto current = Get(change.client_id);
  if (!current.ok()) return std::move(current).error();
  ClientRecord record = *current;
  if (change.name) record.name = change.name->empty() ? record.client_id : *change.name;
  if (change.redirect_uris) record.redirect_uris = *change.redirect_uris;
  if (change.post_logout_redirect_uris) {
    record.post_logout_redirect_uris = *change.post_logout_redirect_uris;
  }
  std::vector<std::string> names;
  if (change.scopes) {
    names = *change.scopes;
  } else if (record.allowed_scopes) {
    names = *record.allowed_scopes;
  }
  if (auto checked = CheckClientFields(record.redirect_uris, record.post_logout_redirect_uris,
                                       names, record.allowed_scopes);
      !checked.ok()) {
    return std::move(checked).error();
  }
  RegisteredClient out{record.client_id, ""};
  if (change.rotate_secret) {
    if (!record.confidential) {
      return Error::InvalidArgument("a public client has no secret",
                                    {{"rotate_secret", "only for confidential clients"}});
    }
    out.client_secret = random_.Token(32);
    record.secret_hash = Sha256Hex(out.client_secret);
  }
  return GuardDb("client update", [&]() -> Result<RegisteredClient> {
    if (!client_repo::Update(db_->Session(), record)) return Error::NotFound("unknown client");
    return out;
  });
}

Status ClientService::Remove(const std::string& client_id) {
  return GuardDb("client removal", [&]() -> Status {
    if (!client_repo::Delete(db_->Session(), client_id)) return Error::NotFound("unknown client");
    return {};
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
