#pragma once
// Per-route bearer-token middleware (RFC 6750). RequireAuth answers 401
// (WWW-Authenticate: Bearer, with error="invalid_token" when a token was
// sent) or 503 while no signing keys are loaded; RequireScopes/RequireRole
// answer 403 error="insufficient_scope"; OptionalAuth sets the principal
// when a valid token is sent and ignores anything else. Routes using them
// should be blocking (a JWKS refetch may run). The token is read by
// http::BearerToken (common/http/bearer.h).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/router.h"

namespace bookstore::book {

class TokenVerifier;

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
