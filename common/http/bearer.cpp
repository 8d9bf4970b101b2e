#include "common/http/bearer.h"

#include <cctype>
#include <string_view>

#include "common/ids.h"
#include "common/jwt.h"

namespace bookstore::http {
namespace {

bool IEqualsPrefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> BearerToken(const Request& request) {
  const std::string* header = request.headers.Get("Authorization");
  if (!header) return std::nullopt;
  std::string_view value = *header;
  if (!IEqualsPrefix(value, "bearer")) return std::nullopt;
  value.remove_prefix(6);
  if (!value.empty() && value.front() != ' ') return std::nullopt;  // e.g. "Bearerx"
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return std::string(value);
}

bool PrincipalFromClaims(const jwt::AccessClaims& claims, Principal& out) {
  const auto id = ParsePositiveId(claims.sub);
  if (!id) return false;
  out.user_id = *id;
  out.username = claims.username;
  out.role = claims.role;
  out.client_id = claims.client_id;
  out.token_id = claims.jti;
  out.expires_at = claims.exp;
  out.scopes.clear();
  std::string_view rest = claims.scope;
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    const auto part = rest.substr(0, space);
    if (!part.empty()) out.scopes.emplace_back(part);
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return true;
}

}  // namespace bookstore::http
