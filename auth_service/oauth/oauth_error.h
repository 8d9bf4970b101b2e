#pragma once
// OAuth 2.0 / OpenID Connect error codes (RFC 6749 §4.1.2.1, §5.2; OIDC
// Core §3.1.2.6) as a type, carried inside the one bookstore::Error (in
// Error::detail); the message is the error_description. Services build them
// with OAuthError(); the routes render them in one place
// (routes/oauth_http.h: JSON; routes/authorize_routes.cpp: the redirect).

#include <string>
#include <string_view>

#include "common/errors.h"

namespace bookstore::auth {

enum class OAuthCode {
  kInvalidRequest = 1,
  kInvalidClient,
  kInvalidGrant,
  kInvalidScope,
  kUnsupportedGrantType,
  kUnsupportedResponseType,
  kLoginRequired,
  kTemporarilyUnavailable,
  kServerError,
};

// The wire name ("invalid_grant", ...).
std::string_view OAuthCodeName(OAuthCode code);

// An Error for `code`. Its Errc follows the code: invalid_client →
// kUnauthenticated, temporarily_unavailable → kUnavailable, server_error →
// kInternal, everything else kInvalidArgument.
Error OAuthError(OAuthCode code, std::string description);

// The OAuth code of `error`: the carried one, else derived from the Errc
// (kUnauthenticated → invalid_client, kUnavailable and kTooManyRequests →
// temporarily_unavailable, kInternal → server_error, else invalid_request).
OAuthCode OAuthCodeOf(const Error& error);

// The status of the RFC 6749 §5.2 JSON answer: 400, invalid_client 401,
// temporarily_unavailable 503 (429 when throttled), server_error 500.
int OAuthHttpStatus(const Error& error);

// OAuthCodeName(OAuthCodeOf(error)).
std::string OAuthErrorCode(const Error& error);

}  // namespace bookstore::auth
