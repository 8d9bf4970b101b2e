// Grants of the token endpoint: authorization_code and refresh_token.
#include "auth_service/services/token_service.h"

#include <soci/soci.h>

#include <algorithm>
#include <future>

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
#include "common/db/db_errors.h"
#include "common/db/writer.h"
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

TokenService::TokenService(std::shared_ptr<db::Database> db, std::shared_ptr<db::Writer> writer,
                           KeyService& keys, const Clock& clock, Random& random,
                           TokenSettings settings)
    : db_(std::move(db)),
      writer_(std::move(writer)),
      keys_(keys),
      clock_(clock),
      random_(random),
      settings_(settings) {}

struct TokenService::Minted {
  TokenResponse response;
  RefreshRecord refresh;
  AccessRecord access;
};

TokenService::Minted TokenService::Mint(const std::string& family_id, const ClientRecord& client,
                                        const UserRecord& user, const std::string& refresh_scope,
                                        const std::string& access_scope, int64_t now) {
  Minted out;
  out.response.refresh_token = random_.Token(32);
  RefreshRecord& refresh = out.refresh;
  refresh.token_hash = Sha256Hex(out.response.refresh_token);
  refresh.family_id = family_id;
  refresh.client_id = client.client_id;
  refresh.user_id = user.id;
  refresh.scope = refresh_scope;
  refresh.created_at = now;
  refresh.expires_at = now + settings_.refresh_token_ttl;

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
  out.response.access_token = keys_.signing_key().Sign(claims);
  out.access = {claims.jti, family_id, client.client_id, user.id, claims.exp, 0, now, 0};

  out.response.expires_in = settings_.access_token_ttl;
  out.response.scope = access_scope;
  out.response.role = user.role;
  return out;
}

template <class T>
void TokenService::Write(const char* operation, std::function<bool(soci::session&)> unit,
                         std::shared_ptr<Result<T>> outcome, std::function<void(Result<T>)> done) {
  writer_->Submit(std::move(unit), [operation, outcome = std::move(outcome),
                                    done = std::move(done)](std::exception_ptr error) {
    if (!error) return done(std::move(*outcome));
    Result<T> failed = Error::Internal();
    try {
      std::rethrow_exception(error);
    } catch (...) {
      failed = db::MapCurrentException(operation);
    }
    done(std::move(failed));
  });
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

void TokenService::ExchangeCodeAsync(const ClientRecord& client, const std::string& code,
                                     const std::optional<std::string>& redirect_uri,
                                     const std::string& code_verifier, GrantDone done) {
  if (code.empty()) return done(OAuthError(OAuthCode::kInvalidRequest, "code is required"));
  if (code.size() > 256) return done(OAuthError(OAuthCode::kInvalidGrant, "the code is not valid"));
  const std::string code_hash = Sha256Hex(code);
  const int64_t now = clock_.Now();
  std::optional<CodeRecord> record;
  std::optional<UserRecord> user;
  try {
    auto& s = db_->Session();
    record = code_repo::Find(s, code_hash);
    if (record && record->client_id == client.client_id)
      user = user_repo::FindById(s, record->user_id);
  } catch (...) {
    return done(db::MapCurrentException("code exchange"));
  }
  if (!record || record->client_id != client.client_id) {
    return done(OAuthError(OAuthCode::kInvalidGrant, "the code is not valid"));
  }
  if (record->used_at == 0 && record->expires_at <= now) {
    return done(OAuthError(OAuthCode::kInvalidGrant, "the code has expired"));
  }
  // What the unit writes besides burning the code: nothing when a check
  // failed (a code that failed a check is burnt, so it can never be guessed
  // into use), else the family and its first tokens.
  std::optional<Error> problem;
  if (record->redirect_given ? redirect_uri != record->redirect_uri
                             : (redirect_uri && *redirect_uri != record->redirect_uri)) {
    problem = OAuthError(OAuthCode::kInvalidGrant,
                         "redirect_uri does not match the authorization request");
  } else if (!record->code_challenge.empty() &&
             !VerifyS256(code_verifier, record->code_challenge)) {
    problem = OAuthError(OAuthCode::kInvalidGrant,
                         code_verifier.empty() ? "code_verifier is required"
                                               : "code_verifier does not match the code challenge");
  } else if (record->code_challenge.empty() && !code_verifier.empty()) {
    problem =
        OAuthError(OAuthCode::kInvalidGrant,
                   "code_verifier was sent but the authorization request had no code challenge");
  } else if (!user) {
    problem = OAuthError(OAuthCode::kInvalidGrant, "the code is not valid");
  }
  std::string scope;
  if (!problem) {
    scope = JoinScopes(StillAllowed(record->scope, client, *user));
    if (scope.empty()) {
      problem =
          OAuthError(OAuthCode::kInvalidGrant, "the user may no longer have the granted scope");
    }
  }
  auto minted = std::make_shared<Minted>();
  const std::string family_id = random_.Token(16);
  if (record->used_at == 0 && !problem) {
    *minted = Mint(family_id, client, *user, scope, scope, now);
    if (HasOpenId(ParseScopes(scope).value_or(std::vector<std::string>{}))) {
      minted->response.id_token = SignIdToken(client, *user, scope, minted->response.access_token,
                                              {record->auth_time, record->nonce, record->sid}, now);
    }
  }
  auto outcome = std::make_shared<Result<TokenResponse>>(Error::Internal());
  auto unit = [minted, outcome, problem, code_hash, family_id, now, client_id = client.client_id,
               user_id = record->user_id,
               identity =
                   token_repo::FamilyIdentity{record->auth_time, record->sid}](soci::session& s) {
    // A used code, or losing the race to redeem it, is a replay: revoke
    // whatever was issued from it.
    if (!code_repo::MarkUsed(s, code_hash, now)) {
      if (auto family = token_repo::FindFamilyByCode(s, code_hash)) {
        token_repo::RevokeFamily(s, *family, now);
      }
      logging::Event("code_replayed", {Str("client_id", client_id), Num("user_id", user_id)});
      *outcome = OAuthError(OAuthCode::kInvalidGrant, "the code has already been used");
      return true;
    }
    if (problem) {
      *outcome = *problem;
      return true;
    }
    token_repo::InsertFamily(s, family_id, code_hash, client_id, user_id, now, identity);
    token_repo::InsertRefresh(s, minted->refresh);
    token_repo::InsertAccess(s, minted->access);
    *outcome = minted->response;
    return true;
  };
  Write<TokenResponse>(
      "code exchange", std::move(unit), outcome,
      [done = std::move(done), client_id = client.client_id,
       user_id = record->user_id](Result<TokenResponse> result) {
        if (result.ok()) {
          kCodeGrants.Add();
          logging::Event("code_redeemed", {Str("client_id", client_id), Num("user_id", user_id)});
        }
        done(std::move(result));
      });
}

void TokenService::RefreshAsync(const ClientRecord& client, const std::string& refresh_token,
                                const std::optional<std::string>& scope, GrantDone done) {
  if (refresh_token.empty())
    return done(OAuthError(OAuthCode::kInvalidRequest, "refresh_token is required"));
  if (refresh_token.size() > 256)
    return done(OAuthError(OAuthCode::kInvalidGrant, "the refresh token is not valid"));
  std::optional<std::vector<std::string>> requested;
  if (scope) {
    requested = ParseScopes(*scope);
    if (!requested)
      return done(OAuthError(OAuthCode::kInvalidScope, "the request names an unknown scope"));
  }
  const std::string token_hash = Sha256Hex(refresh_token);
  const int64_t now = clock_.Now();
  std::optional<RefreshRecord> record;
  std::optional<UserRecord> user;
  try {
    auto& s = db_->Session();
    record = token_repo::FindRefresh(s, token_hash);
    if (record && record->client_id == client.client_id)
      user = user_repo::FindById(s, record->user_id);
  } catch (...) {
    return done(db::MapCurrentException("refresh"));
  }
  if (!record || record->client_id != client.client_id) {
    return done(OAuthError(OAuthCode::kInvalidGrant, "the refresh token is not valid"));
  }
  if (record->revoked_at != 0 || record->family_revoked_at != 0) {
    return done(OAuthError(OAuthCode::kInvalidGrant, "the refresh token has been revoked"));
  }
  auto minted = std::make_shared<Minted>();
  if (record->used_at == 0) {  // else a reuse: the unit revokes the family
    if (record->expires_at <= now)
      return done(OAuthError(OAuthCode::kInvalidGrant, "the refresh token has expired"));
    if (!user) return done(OAuthError(OAuthCode::kInvalidGrant, "the refresh token is not valid"));
    const auto kept = StillAllowed(record->scope, client, *user);
    if (kept.empty())
      return done(OAuthError(OAuthCode::kInvalidScope, "no scope of this token is still allowed"));
    auto access_scopes = kept;
    if (requested) {
      if (IntersectScopes(*requested,
                          ParseScopes(record->scope).value_or(std::vector<std::string>{})) !=
          *requested) {
        return done(
            OAuthError(OAuthCode::kInvalidScope, "the requested scope exceeds the granted scope"));
      }
      access_scopes = IntersectScopes(kept, *requested);
      if (access_scopes.empty()) {
        return done(
            OAuthError(OAuthCode::kInvalidScope, "none of the requested scopes is available"));
      }
    }
    *minted =
        Mint(record->family_id, client, *user, JoinScopes(kept), JoinScopes(access_scopes), now);
    // The family's identity, without the nonce (OIDC Core §12.2).
    if (HasOpenId(kept)) {
      minted->response.id_token =
          SignIdToken(client, *user, JoinScopes(kept), minted->response.access_token,
                      {record->family_auth_time, "", record->family_sid}, now);
    }
  }
  auto outcome = std::make_shared<Result<TokenResponse>>(Error::Internal());
  auto unit = [minted, outcome, token_hash, now, family_id = record->family_id,
               client_id = client.client_id, user_id = record->user_id](soci::session& s) {
    // A used token, or losing the race to rotate it, is a reuse: the
    // whole family is revoked (RFC 9700 §4.14.2).
    if (!token_repo::MarkRefreshUsed(s, token_hash, now)) {
      token_repo::RevokeFamily(s, family_id, now);
      kRefreshReuse.Add();
      logging::Event("refresh_reuse_detected",
                     {Str("client_id", client_id), Num("user_id", user_id)});
      *outcome = OAuthError(OAuthCode::kInvalidGrant, "the refresh token has already been used");
      return true;
    }
    token_repo::InsertRefresh(s, minted->refresh);
    token_repo::InsertAccess(s, minted->access);
    *outcome = minted->response;
    return true;
  };
  Write<TokenResponse>(
      "refresh", std::move(unit), outcome,
      [done = std::move(done), client_id = client.client_id,
       user_id = record->user_id](Result<TokenResponse> result) {
        if (result.ok()) {
          kRefreshGrants.Add();
          logging::Event("refresh_rotated", {Str("client_id", client_id), Num("user_id", user_id)});
        }
        done(std::move(result));
      });
}

namespace {

// Runs `start(done)` and waits for the result it reports.
template <class T, class Start>
Result<T> Wait(Start&& start) {
  std::promise<Result<T>> promise;
  auto future = promise.get_future();
  start([&promise](Result<T> r) { promise.set_value(std::move(r)); });
  return future.get();
}

}  // namespace

Result<TokenResponse> TokenService::ExchangeCode(const ClientRecord& client,
                                                 const std::string& code,
                                                 const std::optional<std::string>& redirect_uri,
                                                 const std::string& code_verifier) {
  return Wait<TokenResponse>([&](GrantDone done) {
    ExchangeCodeAsync(client, code, redirect_uri, code_verifier, std::move(done));
  });
}

Result<TokenResponse> TokenService::Refresh(const ClientRecord& client,
                                            const std::string& refresh_token,
                                            const std::optional<std::string>& scope) {
  return Wait<TokenResponse>(
      [&](GrantDone done) { RefreshAsync(client, refresh_token, scope, std::move(done)); });
}

Status TokenService::Revoke(const ClientRecord& client, const std::string& token,
                            const std::string& hint) {
  return Wait<void>([&](StatusDone done) { RevokeAsync(client, token, hint, std::move(done)); });
}

template void TokenService::Write<void>(const char*, std::function<bool(soci::session&)>,
                                        std::shared_ptr<Status>, std::function<void(Status)>);

}  // namespace bookstore::auth
