#pragma once
// Per-route authentication middleware of the auth service: client
// authentication (RFC 6749 §2.3) for /token, /revoke and /introspect, and
// the bearer access token (RFC 6750) for /userinfo. Handlers behind them
// read what was authenticated; they never authenticate themselves.

#include "auth_service/routes/oauth_http.h"
#include "auth_service/services/client_service.h"
#include "common/http/router.h"

namespace bookstore::auth {

class AuthApp;

// What ClientAuthentication hands the handler.
struct AuthenticatedClient {
  ClientRecord client;
  Params params;       // the body's parameters (form or JSON), each at most once
  bool basic = false;  // the client used HTTP Basic (its 401s carry that challenge)
};

// Middleware: parses the body (form, or a JSON object of strings), reads
// the client's credentials (HTTP Basic or client_id/client_secret in the
// body, never both), authenticates the client and refuses a parameter sent
// twice; answers the OAuth error itself (401 invalid_client, with
// WWW-Authenticate: Basic when Basic was used), else sets the request's
// context to an AuthenticatedClient and calls the handler.
http::Middleware ClientAuthentication(AuthApp& app);

// The request's AuthenticatedClient. Requires: the route runs
// ClientAuthentication.
const AuthenticatedClient& ClientOf(const http::Request& request);

// Middleware: verifies the bearer access token (signature, typ at+jwt,
// issuer, audience, expiry, not revoked) and sets request.principal; else
// answers 401 with WWW-Authenticate: Bearer realm="bookstore-auth" (with
// error="invalid_token" when a token was sent), or 503 when the database
// cannot be reached.
http::Middleware BearerAccessToken(AuthApp& app);

// An OAuth bearer error (RFC 6750 §3) of the auth service: JSON
// {"error", "error_description"}, no-store, and on 401 the Bearer challenge
// (with `error` when not empty).
http::Response BearerError(int status, std::string_view error, std::string_view description);

}  // namespace bookstore::auth
