#pragma once
// OAuth 2.0 error codes (RFC 6749 §4.1.2.1, §5.2) carried inside the one
// bookstore::Error type: the code rides in fields[0] as {"error", code}, the
// message is the error_description. Services build them with OAuthError();
// the routes turn them into responses in one place (routes/oauth_http.h).

#include <string>
#include <string_view>

#include "common/errors.h"

namespace bookstore::auth {

// An Error for OAuth `code` ("invalid_grant", ...). The Errc follows the
// code: invalid_client → kUnauthenticated, temporarily_unavailable →
// kUnavailable, server_error → kInternal, everything else kInvalidArgument.
Error OAuthError(std::string_view code, std::string description);

// The OAuth error code of `error`: the carried one, else derived from the
// Errc (kUnauthenticated → invalid_client, kUnavailable →
// temporarily_unavailable, kInternal → server_error, else invalid_request).
std::string OAuthErrorCode(const Error& error);

}  // namespace bookstore::auth
