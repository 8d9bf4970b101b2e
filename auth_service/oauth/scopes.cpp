#include "auth_service/oauth/scopes.h"

#include <algorithm>

namespace bookstore::auth {

const std::vector<std::string>& AllScopes() {
  static const std::vector<std::string> kAll{"openid",       "profile", "books:write",
                                             "users:manage", "orders",  "orders:manage"};
  return kAll;
}

bool IsIdentityScope(std::string_view scope) { return scope == "openid" || scope == "profile"; }

bool HasOpenId(const std::vector<std::string>& scopes) {
  return std::find(scopes.begin(), scopes.end(), "openid") != scopes.end();
}

std::vector<std::string> RoleScopes(std::string_view role) {
  if (role == "admin") return {"books:write", "users:manage", "orders", "orders:manage"};
  if (role == "customer") return {"orders"};
  return {};
}

namespace {

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Keeps the canonical order of AllScopes().
std::vector<std::string> Canonical(const std::vector<std::string>& set) {
  std::vector<std::string> out;
  for (const auto& s : AllScopes()) {
    if (Contains(set, s)) out.push_back(s);
  }
  return out;
}

}  // namespace

std::optional<std::vector<std::string>> ParseScopes(std::string_view text) {
  std::vector<std::string> found;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    const size_t end = std::min(text.find(' ', i), text.size());
    const std::string_view token = text.substr(i, end - i);
    if (!Contains(AllScopes(), token)) return std::nullopt;
    found.emplace_back(token);
    i = end;
  }
  return Canonical(found);
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

std::vector<std::string> IntersectScopes(const std::vector<std::string>& a,
                                         const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& s : AllScopes()) {
    if (Contains(a, s) && Contains(b, s)) out.push_back(s);
  }
  return out;
}

std::vector<std::string> GrantScopes(const std::optional<std::vector<std::string>>& requested,
                                     const std::optional<std::vector<std::string>>& client_allowed,
                                     std::string_view role) {
  std::vector<std::string> grant = RoleScopes(role);
  if (requested) grant = IntersectScopes(grant, *requested);
  if (client_allowed) grant = IntersectScopes(grant, *client_allowed);
  if (!requested) return grant;
  for (const auto& s : *requested) {
    if (IsIdentityScope(s)) grant.push_back(s);
  }
  return Canonical(grant);
}

}  // namespace bookstore::auth
