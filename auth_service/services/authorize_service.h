#pragma once
// The authorization endpoint's rules (RFC 6749 §4.1, RFC 7636, RFC 9700):
// validating an authorization request, the login (argon2id check with
// throttling), login sessions for single sign-on, CSRF tokens of the login
// form, and issuing authorization codes. Knows no HTTP. Thread-safe; every
// piece of state lives in the shared database. Login() is slow by design:
// call it from a worker thread.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth_service/repositories/records.h"
#include "common/clock.h"
#include "common/passwords.h"
#include "common/result.h"

namespace bookstore::db {
class Database;
class Writer;
}  // namespace bookstore::db

namespace bookstore::auth {

class ClientService;

struct AuthorizeSettings {
  int64_t code_ttl = 60;
  int64_t session_ttl = 8 * 3600;
  int64_t csrf_ttl = 3600;
  int64_t throttle_window = 600;
  int64_t max_failures_per_username = 10;
  int64_t max_failures_per_address = 100;
};

// The raw authorization request parameters.
struct AuthorizationRequest {
  std::string response_type;
  std::string client_id;
  std::string redirect_uri;
  std::optional<std::string> scope;  // nullopt when absent
  std::string state;
  std::string code_challenge;
  std::optional<std::string> code_challenge_method;
  std::string prompt;
  std::optional<std::string> nonce;     // OIDC; nullopt when absent
  std::optional<std::string> max_age;   // OIDC; nullopt when absent
  std::vector<std::string> duplicated;  // parameter names sent more than once
};

// Where errors may be sent: the client and its resolved redirect URI.
struct AuthorizeTarget {
  ClientRecord client;
  std::string redirect_uri;
  bool redirect_given = false;
};

struct ValidatedRequest {
  AuthorizeTarget target;
  std::optional<std::vector<std::string>> requested_scopes;
  std::string state;
  std::string code_challenge;  // "" for a confidential client without PKCE
  bool prompt_login = false;
  bool prompt_none = false;
  std::string nonce;               // "" when none was sent
  std::optional<int64_t> max_age;  // seconds; nullopt when not sent
};

// A user's sign-in as a login session records it: who, when the password
// was entered (auth_time) and the session's public id (the ID token's sid).
struct SignIn {
  UserRecord user;
  int64_t auth_time = 0;
  std::string sid;
};

// A new login session: the raw id (for the cookie) and its sign-in.
struct NewSession {
  std::string session_id;
  SignIn sign_in;
};

class AuthorizeService {
 public:
  // Writes (throttling, sessions, codes) go through `writer` and wait for
  // it: call the writing methods off io threads.
  AuthorizeService(std::shared_ptr<db::Database> db, std::shared_ptr<db::Writer> writer,
                   ClientService& clients, const PasswordHasher& hasher, const Clock& clock,
                   Random& random, AuthorizeSettings settings);

  // Step 1: the client and redirect URI. Errors here must not redirect:
  // InvalidArgument (unknown client, missing/unregistered redirect_uri,
  // duplicated client_id/redirect_uri) or Unavailable.
  Result<AuthorizeTarget> ResolveTarget(const AuthorizationRequest& request);

  // Step 2: everything else; errors are OAuthError()s to redirect with
  // (invalid_request, unsupported_response_type, invalid_scope).
  Result<ValidatedRequest> Validate(AuthorizeTarget target, const AuthorizationRequest& request);

  // The login form's CSRF token, a double-submit value bound to the browser:
  // "<expires_at>.<32 random bytes>", set both as the form's csrf_token and as
  // a cookie. Costs no database write (any instance checks it). Returns
  // `cookie` itself while it is well formed and not expired, so open tabs
  // keep working; a new token otherwise.
  std::string CsrfTokenFor(const std::string& cookie);
  // Ok when `token` is well formed, unexpired and equal (constant time) to
  // the browser's cookie; Forbidden otherwise.
  Status CheckCsrfToken(const std::string& token, const std::string& cookie);

  // Checks credentials. TooManyRequests when the username or the address is
  // throttled; Unauthenticated with one generic message on any failure
  // (unknown users cost the same as known ones).
  Result<UserRecord> Login(const std::string& username, const std::string& password,
                           const std::string& client_addr);

  // A new login session for `user` signed in now; only the id's hash is stored.
  Result<NewSession> CreateSession(const UserRecord& user);
  // The sign-in of a live session, or nullopt (unknown, expired, revoked).
  Result<std::optional<SignIn>> SessionSignIn(const std::string& session_id);
  // The public id of a session (the ID token's sid): a hash of the raw id,
  // so it reveals nothing that opens the session. Pure.
  static std::string SessionSid(const std::string& session_id);
  // True when `sign_in` is older than `max_age` seconds, and always for
  // max_age 0 (OIDC Core §3.1.2.1: as prompt=login).
  bool TooOld(const SignIn& sign_in, const std::optional<int64_t>& max_age) const;
  // Revokes the session; unknown ids are ignored.
  Status EndSession(const std::string& session_id);

  // Issues a code for the signed-in user (grant = requested ∩ client ∩
  // role; empty → OAuthError invalid_scope), remembering the nonce and the
  // sign-in for the ID token. Returns the raw code.
  Result<std::string> IssueCode(const ValidatedRequest& request, const SignIn& sign_in);

  const AuthorizeSettings& settings() const { return settings_; }

 private:
  void Housekeep();

  std::shared_ptr<db::Database> db_;
  std::shared_ptr<db::Writer> writer_;
  ClientService& clients_;
  const PasswordHasher& hasher_;
  const Clock& clock_;
  Random& random_;
  AuthorizeSettings settings_;
  std::atomic<int64_t> last_housekeeping_{0};
};

}  // namespace bookstore::auth
