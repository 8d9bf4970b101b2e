#pragma once
// Client credentials from an HTTP Basic Authorization header (RFC 6749
// §2.3.1: both halves are form-urlencoded before base64). Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace bookstore::auth {

struct BasicCredentials {
  std::string client_id;
  std::string client_secret;
};

// True when `header` uses the Basic scheme (case-insensitive).
bool IsBasicAuthorization(std::string_view header);

// Decodes "Basic base64(urlencode(id):urlencode(secret))". Returns nullopt
// when the scheme is not Basic, the base64 or %-escapes are malformed, there
// is no ':' or the client id is empty.
std::optional<BasicCredentials> ParseBasicAuthorization(std::string_view header);

// Standard base64 (RFC 4648 §4, padding optional); nullopt when malformed.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace bookstore::auth
