#pragma once
// Redirect URI rules: exact string matching against registered URIs
// (RFC 9700 §4.1.3), building authorization responses, and the origin of a
// URI for the login page's CSP. Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bookstore::auth {

// The registered URI equal (byte for byte) to `requested`; when `requested`
// is empty, the only registered URI if there is exactly one. nullopt otherwise.
std::optional<std::string> ResolveRedirectUri(const std::vector<std::string>& registered,
                                              std::string_view requested);

// Acceptable for registration: absolute, a scheme, no fragment, no spaces;
// http/https need a host.
bool IsValidRedirectUriForRegistration(std::string_view uri);

// `uri` with `params` appended to its query (percent-encoded); parameters
// with an empty value are skipped.
std::string AppendQuery(std::string_view uri,
                        const std::vector<std::pair<std::string, std::string>>& params);

// "scheme://host[:port]" of an http(s) URI; "scheme:" for other schemes;
// "" when `uri` has no scheme.
std::string UriOrigin(std::string_view uri);

}  // namespace bookstore::auth
