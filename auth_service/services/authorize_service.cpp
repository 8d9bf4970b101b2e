#include "auth_service/services/authorize_service.h"

#include <algorithm>

#include "auth_service/oauth/oauth_error.h"
#include "auth_service/oauth/pkce.h"
#include "auth_service/oauth/redirect_uri.h"
#include "auth_service/oauth/scopes.h"
#include "auth_service/repositories/code_repository.h"
#include "auth_service/repositories/login_failure_repository.h"
#include "auth_service/repositories/session_repository.h"
#include "auth_service/repositories/token_repository.h"
#include "auth_service/services/client_service.h"
#include "auth_service/services/db_guard.h"
#include "common/db/database.h"
#include "common/db/writer.h"
#include "common/logging.h"

namespace bookstore::auth {
namespace {

bool Duplicated(const AuthorizationRequest& r, std::string_view name) {
  return std::find(r.duplicated.begin(), r.duplicated.end(), name) != r.duplicated.end();
}

logging::Field Num(std::string key, int64_t v) { return {std::move(key), std::to_string(v), true}; }

// OIDC nonce: 1..255 printable ASCII characters.
bool IsValidNonce(std::string_view nonce) {
  if (nonce.empty() || nonce.size() > 255) return false;
  return std::all_of(nonce.begin(), nonce.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// OIDC max_age: a whole number of seconds (at most 10 digits).
std::optional<int64_t> ParseMaxAge(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

AuthorizeService::AuthorizeService(std::shared_ptr<db::Database> db,
                                   std::shared_ptr<db::Writer> writer, ClientService& clients,
                                   const PasswordHasher& hasher, const Clock& clock, Random& random,
                                   AuthorizeSettings settings)
    : db_(std::move(db)),
      writer_(std::move(writer)),
      clients_(clients),
      hasher_(hasher),
      clock_(clock),
      random_(random),
      settings_(settings) {}

Result<AuthorizeTarget> AuthorizeService::ResolveTarget(const AuthorizationRequest& request) {
  if (request.client_id.empty() || Duplicated(request, "client_id")) {
    return Error::InvalidArgument("The request names no valid client (client_id).");
  }
  auto client = clients_.Get(request.client_id);
  if (!client.ok()) {
    if (client.error().code == Errc::kNotFound) {
      return Error::InvalidArgument("The client is not registered (client_id).");
    }
    return std::move(client).error();
  }
  if (Duplicated(request, "redirect_uri")) {
    return Error::InvalidArgument("The redirect_uri parameter was sent more than once.");
  }
  auto uri = ResolveRedirectUri(client->redirect_uris, request.redirect_uri);
  if (!uri) {
    return Error::InvalidArgument(request.redirect_uri.empty()
                                      ? "The redirect_uri parameter is required for this client."
                                      : "The redirect_uri is not registered for this client.");
  }
  return AuthorizeTarget{std::move(*client), std::move(*uri), !request.redirect_uri.empty()};
}

Result<ValidatedRequest> AuthorizeService::Validate(AuthorizeTarget target,
                                                    const AuthorizationRequest& request) {
  if (!request.duplicated.empty()) {
    return OAuthError(OAuthCode::kInvalidRequest,
                      "parameter " + request.duplicated.front() + " was sent more than once");
  }
  if (request.response_type.empty()) {
    return OAuthError(OAuthCode::kInvalidRequest, "response_type is required");
  }
  if (request.response_type != "code") {
    return OAuthError(OAuthCode::kUnsupportedResponseType, "only response_type=code is supported");
  }
  ValidatedRequest out;
  if (request.code_challenge_method && *request.code_challenge_method != "S256") {
    return OAuthError(OAuthCode::kInvalidRequest, "code_challenge_method must be S256");
  }
  if (request.code_challenge.empty()) {
    if (!target.client.confidential) {
      return OAuthError(OAuthCode::kInvalidRequest, "code_challenge (PKCE S256) is required");
    }
    if (request.code_challenge_method) {
      return OAuthError(OAuthCode::kInvalidRequest,
                        "code_challenge is required with code_challenge_method");
    }
  } else {
    if (!request.code_challenge_method) {
      return OAuthError(OAuthCode::kInvalidRequest, "code_challenge_method=S256 is required");
    }
    if (!IsValidCodeChallenge(request.code_challenge)) {
      return OAuthError(OAuthCode::kInvalidRequest,
                        "code_challenge must be 43 characters of base64url");
    }
    out.code_challenge = request.code_challenge;
  }
  if (request.scope) {
    auto scopes = ParseScopes(*request.scope);
    if (!scopes) return OAuthError(OAuthCode::kInvalidScope, "the request names an unknown scope");
    if (!scopes->empty()) out.requested_scopes = std::move(*scopes);
  }
  // Nothing the client may have → invalid_scope before anyone logs in.
  if (GrantScopes(out.requested_scopes, target.client.allowed_scopes, "admin").empty()) {
    return OAuthError(OAuthCode::kInvalidScope,
                      "the requested scope is not available to this client");
  }
  for (size_t i = 0; i < request.prompt.size();) {
    const size_t end = std::min(request.prompt.find(' ', i), request.prompt.size());
    const std::string_view p = std::string_view(request.prompt).substr(i, end - i);
    if (p == "login") out.prompt_login = true;
    if (p == "none") out.prompt_none = true;
    i = end + 1;
  }
  if (out.prompt_login && out.prompt_none) {
    return OAuthError(OAuthCode::kInvalidRequest,
                      "prompt=none cannot be combined with other values");
  }
  if (request.nonce) {
    if (!IsValidNonce(*request.nonce)) {
      return OAuthError(OAuthCode::kInvalidRequest,
                        "nonce must be 1 to 255 printable ASCII characters");
    }
    out.nonce = *request.nonce;
  }
  if (request.max_age) {
    out.max_age = ParseMaxAge(*request.max_age);
    if (!out.max_age) {
      return OAuthError(OAuthCode::kInvalidRequest, "max_age must be a whole number of seconds");
    }
  }
  out.state = request.state;
  out.target = std::move(target);
  return out;
}

Result<std::string> AuthorizeService::IssueCode(const ValidatedRequest& request,
                                                const SignIn& sign_in) {
  const UserRecord& user = sign_in.user;
  const auto grant =
      GrantScopes(request.requested_scopes, request.target.client.allowed_scopes, user.role);
  if (grant.empty()) {
    return OAuthError(OAuthCode::kInvalidScope,
                      "none of the requested scopes is available to this user");
  }
  std::string code = random_.Token(32);
  CodeRecord record;
  record.code_hash = Sha256Hex(code);
  record.client_id = request.target.client.client_id;
  record.user_id = user.id;
  record.redirect_uri = request.target.redirect_uri;
  record.redirect_given = request.target.redirect_given;
  record.scope = JoinScopes(grant);
  record.code_challenge = request.code_challenge;
  record.created_at = clock_.Now();
  record.expires_at = record.created_at + settings_.code_ttl;
  record.nonce = request.nonce;
  record.auth_time = sign_in.auth_time;
  record.sid = sign_in.sid;
  return GuardDb("issuing a code", [&]() -> Result<std::string> {
    writer_->Run([&](soci::session& s) {
      code_repo::Insert(s, record);
      return true;
    });
    logging::Event("code_issued", {{"client_id", record.client_id, false},
                                   Num("user_id", user.id),
                                   {"scope", record.scope, false}});
    return code;
  });
}

void AuthorizeService::Housekeep() {
  const int64_t now = clock_.Now();
  int64_t last = last_housekeeping_.load();
  if (now - last < 60 || !last_housekeeping_.compare_exchange_strong(last, now)) return;
  (void)GuardDb("housekeeping", [&]() -> Status {
    auto& s = db_->Session();
    session_repo::DeleteExpired(s, now);
    failure_repo::DeleteOlder(s, now - settings_.throttle_window);
    code_repo::DeleteExpired(s, now - 3600);
    token_repo::DeleteExpired(s, now - 3600);
    return {};
  });
}

}  // namespace bookstore::auth
