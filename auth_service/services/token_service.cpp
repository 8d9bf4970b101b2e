// Grants of the token endpoint: authorization_code and refresh_token.
#include "auth_service/services/token_service.h"

#include <soci/soci.h>

#include <algorithm>

#include "auth_service/oauth/oauth_error.h"
#include "auth_service/oauth/pkce.h"
#include "auth_service/oauth/scopes.h"
#include "auth_service/repositories/code_repository.h"
#include "auth_service/repositories/token_repository.h"
#include "auth_service/repositories/user_repository.h"
#include "auth_service/services/db_guard.h"
#include "auth_service/services/key_service.h"
#include "common/counters.h"
#include "common/db/database.h"
#include "common/logging.h"
#include "common/passwords.h"

namespace bookstore::auth {
namespace {

constexpr const char* kGrantsHelp = "Tokens issued at /token by grant type.";
Counter& kCodeGrants =
    GetCounter("bookstore_grants_total", kGrantsHelp, "grant_type=\"authorization_code\"");
Counter& kRefreshGrants =
    GetCounter("bookstore_grants_total", kGrantsHelp, "grant_type=\"refresh_token\"");
Counter& kRefreshReuse = GetCounter("bookstore_refresh_token_reuse_total",
                                    "Refresh tokens presented again after rotation (the family "
                                    "is revoked each time).");

}  // namespace
namespace {

logging::Field Num(std::string key, int64_t v) { return {std::move(key), std::to_string(v), true}; }
logging::Field Str(std::string key, std::string v) { return {std::move(key), std::move(v), false}; }

// The scope a user may still have of `scope` (role or client may have changed).
std::vector<std::string> StillAllowed(const std::string& scope, const ClientRecord& client,
                                      const UserRecord& user) {
  return GrantScopes(ParseScopes(scope).value_or(std::vector<std::string>{}), client.allowed_scopes,
                     user.role);
}

}  // namespace

TokenService::TokenService(std::shared_ptr<db::Database> db, KeyService& keys, const Clock& clock,
                           Random& random, TokenSettings settings)
    : db_(std::move(db)), keys_(keys), clock_(clock), random_(random), settings_(settings) {}

TokenResponse TokenService::Issue(soci::session& s, const std::string& family_id,
                                  const ClientRecord& client, const UserRecord& user,
                                  const std::string& refresh_scope, const std::string& access_scope,
                                  int64_t now) {
  TokenResponse out;
  out.refresh_token = random_.Token(32);
  RefreshRecord refresh;
  refresh.token_hash = Sha256Hex(out.refresh_token);
  refresh.family_id = family_id;
  refresh.client_id = client.client_id;
  refresh.user_id = user.id;
  refresh.scope = refresh_scope;
  refresh.created_at = now;
  refresh.expires_at = now + settings_.refresh_token_ttl;
  token_repo::InsertRefresh(s, refresh);

  jwt::AccessClaims claims;
  claims.iss = settings_.issuer;
  claims.sub = std::to_string(user.id);
  claims.aud = settings_.audience;
  claims.iat = now;
  claims.exp = now + settings_.access_token_ttl;
  claims.jti = random_.Token(16);
  claims.client_id = client.client_id;
  claims.scope = access_scope;
  claims.role = user.role;
  claims.username = user.username;
  out.access_token = keys_.signing_key().Sign(claims);
  AccessRecord access{claims.jti, family_id, client.client_id, user.id, claims.exp, 0, now, 0};
  token_repo::InsertAccess(s, access);

  out.expires_in = settings_.access_token_ttl;
  out.scope = access_scope;
  out.role = user.role;
  return out;
}

std::string TokenService::SignIdToken(const ClientRecord& client, const UserRecord& user,
                                      const std::string& granted_scope,
                                      const std::string& access_token,
                                      const IdTokenContext& context, int64_t now) {
  const auto scopes = ParseScopes(granted_scope).value_or(std::vector<std::string>{});
  jwt::IdClaims claims;
  claims.iss = settings_.issuer;
  claims.sub = std::to_string(user.id);
  claims.aud = client.client_id;
  claims.azp = client.client_id;
  claims.iat = now;
  claims.exp = now + settings_.access_token_ttl;
  claims.auth_time = context.auth_time;
  claims.nonce = context.nonce;
  claims.sid = context.sid;
  claims.at_hash = jwt::LeftHalfHash(access_token);
  if (std::find(scopes.begin(), scopes.end(), "profile") != scopes.end()) {
    claims.preferred_username = user.username;
    claims.role = user.role;
  }
  return keys_.signing_key().SignIdToken(claims);
}

Result<TokenResponse> TokenService::ExchangeCode(const ClientRecord& client,
                                                 const std::string& code,
                                                 const std::optional<std::string>& redirect_uri,
                                                 const std::string& code_verifier) {
  if (code.empty()) return OAuthError(OAuthCode::kInvalidRequest, "code is required");
  if (code.size() > 256) return OAuthError(OAuthCode::kInvalidGrant, "the code is not valid");
  const std::string code_hash = Sha256Hex(code);
  return GuardDb("code exchange", [&]() -> Result<TokenResponse> {
    db::Transaction tx(*db_);
    auto& s = tx.session();
    const int64_t now = clock_.Now();
    auto record = code_repo::Find(s, code_hash);
    if (!record || record->client_id != client.client_id) {
      return OAuthError(OAuthCode::kInvalidGrant, "the code is not valid");
    }
    // A used code (or losing the race to redeem it) is a replay: revoke
    // whatever was issued from it.
    const auto replay = [&]() -> Result<TokenResponse> {
      if (auto family = token_repo::FindFamilyByCode(s, code_hash)) {
        token_repo::RevokeFamily(s, *family, now);
      }
      tx.Commit();
      logging::Event("code_replayed",
                     {Str("client_id", client.client_id), Num("user_id", record->user_id)});
      return OAuthError(OAuthCode::kInvalidGrant, "the code has already been used");
    };
    if (record->used_at != 0) return replay();
    if (record->expires_at <= now)
      return OAuthError(OAuthCode::kInvalidGrant, "the code has expired");
    std::string problem;
    if (record->redirect_given ? redirect_uri != record->redirect_uri
                               : (redirect_uri && *redirect_uri != record->redirect_uri)) {
      problem = "redirect_uri does not match the authorization request";
    } else if (!record->code_challenge.empty() &&
               !VerifyS256(code_verifier, record->code_challenge)) {
      problem = code_verifier.empty() ? "code_verifier is required"
                                      : "code_verifier does not match the code challenge";
    } else if (record->code_challenge.empty() && !code_verifier.empty()) {
      problem = "code_verifier was sent but the authorization request had no code challenge";
    }
    // A code that failed a check is burnt: it can never be guessed into use.
    if (!code_repo::MarkUsed(s, code_hash, now)) return replay();
    if (!problem.empty()) {
      tx.Commit();
      return OAuthError(OAuthCode::kInvalidGrant, problem);
    }
    auto user = user_repo::FindById(s, record->user_id);
    if (!user) {
      tx.Commit();
      return OAuthError(OAuthCode::kInvalidGrant, "the code is not valid");
    }
    const std::string scope = JoinScopes(StillAllowed(record->scope, client, *user));
    if (scope.empty()) {
      tx.Commit();
      return OAuthError(OAuthCode::kInvalidGrant, "the user may no longer have the granted scope");
    }
    const std::string family_id = random_.Token(16);
    token_repo::InsertFamily(s, family_id, code_hash, client.client_id, user->id, now,
                             {record->auth_time, record->sid});
    auto response = Issue(s, family_id, client, *user, scope, scope, now);
    tx.Commit();
    // Signed after the commit: the transaction holds no second signature.
    if (HasOpenId(ParseScopes(scope).value_or(std::vector<std::string>{}))) {
      response.id_token = SignIdToken(client, *user, scope, response.access_token,
                                      {record->auth_time, record->nonce, record->sid}, now);
    }
    kCodeGrants.Add();
    logging::Event("code_redeemed", {Str("client_id", client.client_id), Num("user_id", user->id)});
    return response;
  });
}

Result<TokenResponse> TokenService::Refresh(const ClientRecord& client,
                                            const std::string& refresh_token,
                                            const std::optional<std::string>& scope) {
  if (refresh_token.empty())
    return OAuthError(OAuthCode::kInvalidRequest, "refresh_token is required");
  if (refresh_token.size() > 256)
    return OAuthError(OAuthCode::kInvalidGrant, "the refresh token is not valid");
  std::optional<std::vector<std::string>> requested;
  if (scope) {
    requested = ParseScopes(*scope);
    if (!requested)
      return OAuthError(OAuthCode::kInvalidScope, "the request names an unknown scope");
  }
  const std::string token_hash = Sha256Hex(refresh_token);
  return GuardDb("refresh", [&]() -> Result<TokenResponse> {
    db::Transaction tx(*db_);
    auto& s = tx.session();
    const int64_t now = clock_.Now();
    auto record = token_repo::FindRefresh(s, token_hash);
    if (!record || record->client_id != client.client_id) {
      return OAuthError(OAuthCode::kInvalidGrant, "the refresh token is not valid");
    }
    if (record->revoked_at != 0 || record->family_revoked_at != 0) {
      return OAuthError(OAuthCode::kInvalidGrant, "the refresh token has been revoked");
    }
    const auto reuse = [&]() -> Result<TokenResponse> {
      token_repo::RevokeFamily(s, record->family_id, now);
      tx.Commit();
      kRefreshReuse.Add();
      logging::Event("refresh_reuse_detected",
                     {Str("client_id", client.client_id), Num("user_id", record->user_id)});
      return OAuthError(OAuthCode::kInvalidGrant, "the refresh token has already been used");
    };
    if (record->used_at != 0) return reuse();
    if (record->expires_at <= now)
      return OAuthError(OAuthCode::kInvalidGrant, "the refresh token has expired");
    auto user = user_repo::FindById(s, record->user_id);
    if (!user) return OAuthError(OAuthCode::kInvalidGrant, "the refresh token is not valid");
    const auto kept = StillAllowed(record->scope, client, *user);
    if (kept.empty())
      return OAuthError(OAuthCode::kInvalidScope, "no scope of this token is still allowed");
    auto access_scopes = kept;
    if (requested) {
      if (IntersectScopes(*requested,
                          ParseScopes(record->scope).value_or(std::vector<std::string>{})) !=
          *requested) {
        return OAuthError(OAuthCode::kInvalidScope,
                          "the requested scope exceeds the granted scope");
      }
      access_scopes = IntersectScopes(kept, *requested);
      if (access_scopes.empty()) {
        return OAuthError(OAuthCode::kInvalidScope, "none of the requested scopes is available");
      }
    }
    if (!token_repo::MarkRefreshUsed(s, token_hash, now)) return reuse();
    auto response = Issue(s, record->family_id, client, *user, JoinScopes(kept),
                          JoinScopes(access_scopes), now);
    tx.Commit();
    // The family's identity, without the nonce (OIDC Core §12.2).
    if (HasOpenId(kept)) {
      response.id_token = SignIdToken(client, *user, JoinScopes(kept), response.access_token,
                                      {record->family_auth_time, "", record->family_sid}, now);
    }
    kRefreshGrants.Add();
    logging::Event("refresh_rotated",
                   {Str("client_id", client.client_id), Num("user_id", user->id)});
    return response;
  });
}

}  // namespace bookstore::auth
