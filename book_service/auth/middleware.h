#pragma once
// Per-route bearer-token middleware (RFC 6750). RequireAuth answers 401
// (WWW-Authenticate: Bearer, with error="invalid_token" when a token was
// sent) or 503 while no signing keys are loaded; RequireScopes/RequireRole
// answer 403 error="insufficient_scope"; OptionalAuth sets the principal
// when a valid token is sent and ignores anything else. Routes using them
// should be blocking (a JWKS refetch may run).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/router.h"

namespace bookstore::book {

class TokenVerifier;

// The token of "Authorization: Bearer <token>"; nullopt when the header is
// absent or uses another scheme; "" when the scheme is Bearer but the token
// is missing.
std::optional<std::string> BearerToken(const http::Request& request);

http::Middleware RequireAuth(std::shared_ptr<TokenVerifier> verifier);
http::Middleware OptionalAuth(std::shared_ptr<TokenVerifier> verifier);
// Every scope in `all_of` is required.
http::Middleware RequireScopes(std::vector<std::string> all_of);
// At least one scope of `any_of` is required.
http::Middleware RequireAnyScope(std::vector<std::string> any_of);
http::Middleware RequireRole(std::string role);

// 403 problem with WWW-Authenticate: Bearer error="insufficient_scope".
http::Response InsufficientScope(std::string_view detail, std::string_view scope);

}  // namespace bookstore::book
