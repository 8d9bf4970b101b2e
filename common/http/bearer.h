#pragma once
// The bearer token of a request (RFC 6750 §2.1) and the principal of its
// verified claims, the same way in both services' bearer middleware.

#include <optional>
#include <string>

#include "common/http/message.h"

namespace bookstore::jwt {
struct AccessClaims;
}

namespace bookstore::http {

// The token of "Authorization: Bearer <token>" (scheme case-insensitive,
// blanks around the token dropped); nullopt when the header is absent or
// uses another scheme; "" when the scheme is Bearer but the token is
// missing.
std::optional<std::string> BearerToken(const Request& request);

// The principal of verified access-token claims (scopes split on spaces);
// false, leaving `out` unspecified, when `sub` is not a positive integer.
bool PrincipalFromClaims(const jwt::AccessClaims& claims, Principal& out);

}  // namespace bookstore::http
