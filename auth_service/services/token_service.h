#pragma once
// The token endpoints' rules: authorization_code and refresh_token grants
// (RFC 6749 §4.1.3, §6; PKCE RFC 7636; rotation and reuse detection per RFC
// 9700 §4.14), revocation (RFC 7009), introspection (RFC 7662) and access
// token verification for /userinfo. Knows no HTTP. Thread-safe; code
// redemption and refresh rotation are atomic across instances (conditional
// UPDATEs inside one transaction).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "auth_service/repositories/records.h"
#include "common/clock.h"
#include "common/jwt.h"
#include "common/result.h"
#include "common/verified_token_cache.h"

namespace soci {
class session;
}

namespace bookstore::db {
class Database;
class Writer;
}  // namespace bookstore::db

namespace bookstore::auth {

class KeyService;

struct TokenSettings {
  std::string issuer;
  std::string audience;
  int64_t access_token_ttl = 900;
  int64_t refresh_token_ttl = 2592000;
};

struct TokenResponse {
  std::string access_token;
  int64_t expires_in = 0;
  std::string refresh_token;
  std::string scope;
  std::string role;
  std::string id_token;  // with scope openid (OIDC Core §3.1.3.3); "" otherwise
};

struct Introspection {
  bool active = false;
  std::string token_type;  // "access_token" | "refresh_token"
  std::string sub, username, role, scope, client_id, iss, aud, jti;
  int64_t exp = 0;
  int64_t iat = 0;
};

struct UserInfo {
  std::string sub, username, role;
};

// What an ID token says about a sign-in, besides the user.
struct IdTokenContext {
  int64_t auth_time = 0;
  std::string nonce;  // only at the code exchange
  std::string sid;
};

class TokenService {
 public:
  // `writer` writes every grant and revocation; `keys` must outlive this.
  TokenService(std::shared_ptr<db::Database> db, std::shared_ptr<db::Writer> writer,
               KeyService& keys, const Clock& clock, Random& random, TokenSettings settings);

  using GrantDone = std::function<void(Result<TokenResponse>)>;
  using StatusDone = std::function<void(Status)>;

  // authorization_code grant. `redirect_uri` nullopt when absent. Errors are
  // OAuthError()s (invalid_request, invalid_grant). Presenting a used code
  // revokes everything issued from it. Reads and signs on the calling
  // thread (call off io threads), then returns; `done` runs exactly once,
  // on a writer thread once the grant is durable, or on the calling thread
  // when nothing needs writing.
  void ExchangeCodeAsync(const ClientRecord& client, const std::string& code,
                         const std::optional<std::string>& redirect_uri,
                         const std::string& code_verifier, GrantDone done);

  // refresh_token grant with rotation. `scope` nullopt when absent (keeps
  // the token's scope); a narrower scope applies to the new access token.
  // Reuse of a rotated token revokes the whole family. Threads as above.
  void RefreshAsync(const ClientRecord& client, const std::string& refresh_token,
                    const std::optional<std::string>& scope, GrantDone done);

  // Revokes a refresh token (its family) or an access token (its jti) that
  // was issued to `client`; anything else is ignored (RFC 7009 §2.2).
  // Threads as above.
  void RevokeAsync(const ClientRecord& client, const std::string& token, const std::string& hint,
                   StatusDone done);

  // The same, waiting for `done` (worker threads and tests).
  Result<TokenResponse> ExchangeCode(const ClientRecord& client, const std::string& code,
                                     const std::optional<std::string>& redirect_uri,
                                     const std::string& code_verifier);
  Result<TokenResponse> Refresh(const ClientRecord& client, const std::string& refresh_token,
                                const std::optional<std::string>& scope);
  Status Revoke(const ClientRecord& client, const std::string& token, const std::string& hint);

  // Public clients may introspect only their own tokens.
  Result<Introspection> Introspect(const ClientRecord& client, const std::string& token,
                                   const std::string& hint);

  // Verifies an access token (signature, typ, iss, aud, exp) and that it
  // is not revoked. Unauthenticated otherwise.
  Result<jwt::AccessClaims> VerifyAccessToken(const std::string& token);

  // The user of a verified access token (VerifyAccessToken), as it is now;
  // Unauthenticated when the user no longer exists.
  Result<UserInfo> GetUserInfo(int64_t user_id);

  // An ID token of ours usable as an id_token_hint (expired ones included;
  // access tokens never). Unauthenticated otherwise.
  Result<jwt::IdClaims> VerifyIdTokenHint(const std::string& token);

  const TokenSettings& settings() const { return settings_; }

 private:
  struct Minted;  // token_service.cpp
  // The tokens of one grant, signed, and the rows that record them.
  Minted Mint(const std::string& family_id, const ClientRecord& client, const UserRecord& user,
              const std::string& refresh_scope, const std::string& access_scope, int64_t now);
  // Writes `unit` (which sets `*outcome`) and reports `*outcome`, or the
  // database error when the unit failed, to `done`.
  template <class T>
  void Write(const char* operation, std::function<bool(soci::session&)> unit,
             std::shared_ptr<Result<T>> outcome, std::function<void(Result<T>)> done);
  // Signs the ID token of `response` (whose scope holds openid) for `user`.
  std::string SignIdToken(const ClientRecord& client, const UserRecord& user,
                          const std::string& granted_scope, const std::string& access_token,
                          const IdTokenContext& context, int64_t now);
  std::optional<Introspection> IntrospectAccess(const ClientRecord& client,
                                                const std::string& token);
  std::optional<Introspection> IntrospectRefresh(const ClientRecord& client,
                                                 const std::string& token);

  std::shared_ptr<db::Database> db_;
  std::shared_ptr<db::Writer> writer_;
  KeyService& keys_;
  const Clock& clock_;
  Random& random_;
  TokenSettings settings_;
  // Signatures checked before (VerifyAccessToken); revocation is still read.
  VerifiedTokenCache<jwt::AccessClaims> verified_{10'000, 0};
};

}  // namespace bookstore::auth
