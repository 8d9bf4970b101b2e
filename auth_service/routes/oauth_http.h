#pragma once
// HTTP helpers of the OAuth routes: reading parameters (query, form or JSON),
// client credentials, cookies, and the one mapping of OAuth errors to
// RFC 6749 §5.2 JSON responses. Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth_service/services/client_service.h"
#include "common/http/message.h"
#include "common/result.h"

namespace bookstore::auth {

// Decoded request parameters in order (duplicates kept).
struct Params {
  std::vector<std::pair<std::string, std::string>> values;

  std::optional<std::string> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string fallback = "") const;
  // Names that occur more than once.
  std::vector<std::string> Duplicated() const;
};

// The query string's parameters.
Params QueryParams(const http::Request& request);

// The body as application/x-www-form-urlencoded, or (for /token, /revoke,
// /introspect) an application/json object of strings. invalid_request
// OAuthError when the type or the body is not acceptable.
Result<Params> BodyParams(const http::Request& request, bool allow_json);

// Client credentials from Basic or the body. invalid_client when Basic is
// malformed, invalid_request when two methods are combined.
Result<ClientCredentials> ReadClientCredentials(const http::Request& request, const Params& params);

// {"error","error_description"} with status 400/401/429/500/503, no-store.
// A 401 carries WWW-Authenticate: Basic when the client used Basic.
http::Response OAuthErrorResponse(const Error& error, bool basic_used);

// JSON body with Cache-Control: no-store and Pragma: no-cache.
http::Response NoStoreJson(int status, std::string body);

// An HTML page with the security headers of the login UI: strict CSP (style
// only by nonce, form-action 'self' plus `form_action`), frame-ancestors
// 'none', X-Frame-Options: DENY, no-store, nosniff, same-origin referrer.
http::Response HtmlPage(int status, std::string body, std::string_view style_nonce,
                        const std::vector<std::string>& form_action = {});

// The login session cookie's name.
inline constexpr const char* kSessionCookie = "bookstore_session";

// A same-origin form post: Origin (when sent) matches the Host or the
// issuer, and Sec-Fetch-Site (when sent) is not cross-site.
bool SameOriginPost(const http::Request& request, std::string_view issuer);

// The value of cookie `name` in the Cookie header(s), or "".
std::string GetCookie(const http::Request& request, std::string_view name);

// A Set-Cookie value: HttpOnly; SameSite=Lax; Path=/; Max-Age; Secure when
// `secure`. max_age 0 clears the cookie.
std::string MakeCookie(std::string_view name, std::string_view value, long long max_age,
                       bool secure);

// issuer (without a trailing '/') + path.
std::string Endpoint(std::string_view issuer, std::string_view path);
// The path part of the issuer (no trailing '/'), e.g. "" or "/auth".
std::string IssuerPath(std::string_view issuer);

}  // namespace bookstore::auth
