// Revocation, introspection and verification of issued tokens.
#include <soci/soci.h>

#include <algorithm>
#include <functional>
#include <memory>

#include "auth_service/repositories/token_repository.h"
#include "auth_service/repositories/user_repository.h"
#include "auth_service/services/db_guard.h"
#include "auth_service/services/key_service.h"
#include "auth_service/services/token_service.h"
#include "common/db/database.h"
#include "common/logging.h"
#include "common/passwords.h"

namespace bookstore::auth {
namespace {

bool LooksLikeJwt(const std::string& token) {
  return std::count(token.begin(), token.end(), '.') == 2;
}

}  // namespace

Result<jwt::AccessClaims> TokenService::VerifyAccessToken(const std::string& token) {
  if (token.empty() || token.size() > 8192 || !LooksLikeJwt(token)) {
    return Error::Unauthenticated("the access token is not valid");
  }
  const int64_t now = clock_.Now();
  Result<jwt::AccessClaims> claims = Error::NotFound("not cached");
  if (auto cached = verified_.Find(token, now)) {
    claims = std::move(*cached);
  } else {
    auto keys = keys_.Keys();
    if (!keys.ok()) return std::move(keys).error();
    const jwt::VerifyOptions options{settings_.issuer, settings_.audience, 0};
    claims = (*keys)->Verify(token, options, now);
    if (!claims.ok() && claims.error().code == Errc::kNotFound) {  // a kid we lack
      keys = keys_.KeysAfterUnknownKid();
      if (!keys.ok()) return std::move(keys).error();
      claims = (*keys)->Verify(token, options, now);
    }
    if (!claims.ok()) return Error::Unauthenticated("the access token is not valid");
    verified_.Put(token, *claims, claims->exp, now);
  }
  return GuardDb("access token lookup", [&]() -> Result<jwt::AccessClaims> {
    auto record = token_repo::FindAccess(db_->Session(), claims->jti);
    if (!record || record->revoked_at != 0 || record->family_revoked_at != 0) {
      return Error::Unauthenticated("the access token has been revoked");
    }
    return std::move(*claims);
  });
}

Result<UserInfo> TokenService::GetUserInfo(int64_t user_id) {
  return GuardDb("userinfo", [&]() -> Result<UserInfo> {
    auto user = user_repo::FindById(db_->Session(), user_id);
    if (!user) return Error::Unauthenticated("the user no longer exists");
    return UserInfo{std::to_string(user->id), user->username, user->role};
  });
}

Result<jwt::IdClaims> TokenService::VerifyIdTokenHint(const std::string& token) {
  if (token.empty() || token.size() > 8192 || !LooksLikeJwt(token)) {
    return Error::Unauthenticated("the id_token_hint is not valid");
  }
  auto keys = keys_.Keys();
  if (!keys.ok()) return std::move(keys).error();
  auto claims = (*keys)->VerifyIdTokenHint(token, settings_.issuer);
  if (!claims.ok()) return Error::Unauthenticated("the id_token_hint is not valid");
  return std::move(*claims);
}

void TokenService::RevokeAsync(const ClientRecord& client, const std::string& token,
                               const std::string& /*hint: both kinds are tried*/, StatusDone done) {
  if (token.empty() || token.size() > 8192) return done({});
  const int64_t now = clock_.Now();
  auto outcome = std::make_shared<Status>();
  std::function<bool(soci::session&)> unit;
  if (LooksLikeJwt(token)) {
    auto claims = VerifyAccessToken(token);
    if (!claims.ok()) {
      return done(claims.error().code == Errc::kUnavailable ? Status(std::move(claims).error())
                                                            : Status());
    }
    if (claims->client_id != client.client_id) return done({});
    unit = [jti = claims->jti, now, client_id = client.client_id](soci::session& s) {
      token_repo::RevokeAccess(s, jti, now);
      logging::Event("token_revoked",
                     {{"client_id", client_id, false}, {"token_type", "access_token", false}});
      return true;
    };
  } else {
    unit = [hash = Sha256Hex(token), now, client_id = client.client_id](soci::session& s) {
      auto record = token_repo::FindRefresh(s, hash);
      if (!record || record->client_id != client_id) return false;
      token_repo::RevokeFamily(s, record->family_id, now);
      logging::Event("token_revoked",
                     {{"client_id", client_id, false}, {"token_type", "refresh_token", false}});
      return true;
    };
  }
  Write<void>("revoke", std::move(unit), std::move(outcome), std::move(done));
}

std::optional<Introspection> TokenService::IntrospectAccess(const ClientRecord& client,
                                                            const std::string& token) {
  auto claims = VerifyAccessToken(token);
  if (!claims.ok()) {
    if (claims.error().code == Errc::kUnavailable) throw std::runtime_error("unavailable");
    return std::nullopt;
  }
  if (!client.confidential && claims->client_id != client.client_id) return std::nullopt;
  Introspection out;
  out.active = true;
  out.token_type = "access_token";
  out.sub = claims->sub;
  out.username = claims->username;
  out.role = claims->role;
  out.scope = claims->scope;
  out.client_id = claims->client_id;
  out.iss = claims->iss;
  out.aud = claims->aud;
  out.jti = claims->jti;
  out.exp = claims->exp;
  out.iat = claims->iat;
  return out;
}

std::optional<Introspection> TokenService::IntrospectRefresh(const ClientRecord& client,
                                                             const std::string& token) {
  auto& s = db_->Session();
  auto record = token_repo::FindRefresh(s, Sha256Hex(token));
  const int64_t now = clock_.Now();
  if (!record || record->used_at != 0 || record->revoked_at != 0 ||
      record->family_revoked_at != 0 || record->expires_at <= now) {
    return std::nullopt;
  }
  if (!client.confidential && record->client_id != client.client_id) return std::nullopt;
  auto user = user_repo::FindById(s, record->user_id);
  if (!user) return std::nullopt;
  Introspection out;
  out.active = true;
  out.token_type = "refresh_token";
  out.sub = std::to_string(user->id);
  out.username = user->username;
  out.role = user->role;
  out.scope = record->scope;
  out.client_id = record->client_id;
  out.iss = settings_.issuer;
  out.exp = record->expires_at;
  out.iat = record->created_at;
  return out;
}

Result<Introspection> TokenService::Introspect(const ClientRecord& client, const std::string& token,
                                               const std::string& /*hint: both kinds are tried*/) {
  if (token.empty() || token.size() > 8192) return Introspection{};
  return GuardDb("introspection", [&]() -> Result<Introspection> {
    auto found =
        LooksLikeJwt(token) ? IntrospectAccess(client, token) : IntrospectRefresh(client, token);
    return found ? std::move(*found) : Introspection{};
  });
}

}  // namespace bookstore::auth
