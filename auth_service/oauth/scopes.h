#pragma once
// The scope rules of the contract (§1.6, §5): the four API scopes, what each
// role may have, and the grant = requested ∩ client allowed ∩ role allowed,
// plus the identity scopes `openid` and `profile`, which every client and
// role may have when asked. Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bookstore::auth {

// Every scope the server knows, in canonical order: openid, profile, then
// the API scopes.
const std::vector<std::string>& AllScopes();

// True for "openid" and "profile" (identity, not API access).
bool IsIdentityScope(std::string_view scope);
// True when `scopes` (canonical or not) holds "openid".
bool HasOpenId(const std::vector<std::string>& scopes);

// API scopes a role may hold: admin → all four; customer → "orders"; other → none.
std::vector<std::string> RoleScopes(std::string_view role);

// Parses a space-separated scope string (runs of spaces tolerated).
// Returns nullopt when a scope is unknown; duplicates are dropped; the
// result is in canonical order.
std::optional<std::vector<std::string>> ParseScopes(std::string_view text);

// Space-separated, canonical order.
std::string JoinScopes(const std::vector<std::string>& scopes);

// Scopes present in both (canonical order).
std::vector<std::string> IntersectScopes(const std::vector<std::string>& a,
                                         const std::vector<std::string>& b);

// The grant: `requested` (nullopt = the role's API scopes) ∩
// `client_allowed` (nullopt = every scope) ∩ RoleScopes(role), plus the
// identity scopes in `requested`. Empty means invalid_scope.
std::vector<std::string> GrantScopes(const std::optional<std::vector<std::string>>& requested,
                                     const std::optional<std::vector<std::string>>& client_allowed,
                                     std::string_view role);

}  // namespace bookstore::auth
