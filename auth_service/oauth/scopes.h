#pragma once
// The scope rules of the contract (§1.6): the four scopes, what each role
// may have, and the grant = requested ∩ client allowed ∩ role allowed.
// Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bookstore::auth {

// Every scope the server knows, in canonical order.
const std::vector<std::string>& AllScopes();

// Scopes a role may hold: admin → all four; customer → "orders"; other → none.
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

// The grant: `requested` (nullopt = everything) ∩ `client_allowed`
// (nullopt = every scope) ∩ RoleScopes(role). Empty means invalid_scope.
std::vector<std::string> GrantScopes(const std::optional<std::vector<std::string>>& requested,
                                     const std::optional<std::vector<std::string>>& client_allowed,
                                     std::string_view role);

}  // namespace bookstore::auth
