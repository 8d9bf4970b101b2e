#pragma once
// The HTTP request and response values handlers see. Free of Boost headers:
// sockets, parsing and sessions live in common/http/server.cpp only.

#include <any>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bookstore::http {

namespace internal {
class Deferral;
}

// An ordered list of header fields with case-insensitive lookup.
class Headers {
 public:
  // First value of `name`, or nullptr.
  const std::string* Get(std::string_view name) const;
  std::string_view GetOr(std::string_view name, std::string_view fallback) const;
  // Replaces every value of `name` with `value`.
  void Set(std::string name, std::string value);
  // Appends another field (e.g. Set-Cookie).
  void Add(std::string name, std::string value);
  void Remove(std::string_view name);
  // Capacity for `count` fields (no effect on the contents).
  void Reserve(size_t count) { fields_.reserve(count); }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Identity and grants of the caller, set by the auth middleware of the book
// service (or the auth service's userinfo route) from a verified token.
struct Principal {
  int64_t user_id = 0;
  std::string username;
  std::string role;  // "admin" | "customer"
  std::string client_id;
  std::vector<std::string> scopes;
  std::string token_id;  // jti
  int64_t expires_at = 0;

  bool HasScope(std::string_view scope) const;
  bool IsAdmin() const { return role == "admin"; }
};

struct Request {
  std::string method;  // upper case, e.g. "GET"
  std::string target;  // raw request target
  std::string path;    // target without the query string (still %-encoded)
  std::string query;   // raw query string without '?', may be empty
  Headers headers;
  std::string body;
  std::string client;      // peer address, e.g. "127.0.0.1"
  std::string request_id;  // set by the request-id middleware
  std::string route;       // matched pattern, e.g. "/books/{id}"; "" when unmatched
  std::vector<std::pair<std::string, std::string>> params;  // path parameters
  std::optional<Principal> principal;
  // What a service's per-route middleware hands its handler besides the
  // principal (e.g. the auth service's authenticated client); empty unless
  // a middleware set it.
  std::any context;

  // Path parameter by name ("" when absent).
  std::string_view Param(std::string_view name) const;
  // Percent-decoded query parameter (first occurrence), or nullopt.
  std::optional<std::string> Query(std::string_view name) const;
  // All decoded query parameters in order.
  std::vector<std::pair<std::string, std::string>> QueryParams() const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When false the connection is closed after this response.
  bool keep_alive = true;
  // Set only on the placeholder of a deferred answer (common/http/deferred.h).
  std::shared_ptr<internal::Deferral> deferral;

  static Response Json(int status, std::string body);
  static Response Html(int status, std::string body);
  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response NoContent();
  static Response Redirect(std::string location, int status = 302);
};

// The most parameters a form body or a query string may carry (contract §6).
inline constexpr size_t kMaxFormParams = 1000;

// Parses application/x-www-form-urlencoded (also used for query strings):
// '+' is a space, %XX decoded. Returns nullopt on a malformed %-escape or
// more than kMaxFormParams parameters. Linear in the input.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body);
// Why a query string is refused ("" when acceptable): a malformed %-escape,
// more than kMaxFormParams parameters, or a decoded name or value with a
// control character (U+0000-U+001F, U+007F).
std::string_view QueryProblem(std::string_view query);
// True when `s` holds a C0 control character or DEL.
bool HasControlChars(std::string_view s);
// Percent-decodes `s`; nullopt when malformed. `plus_is_space` for forms.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);
// Percent-encodes for a query component (unreserved characters kept).
std::string PercentEncode(std::string_view s);

// `s` without leading and trailing spaces and tabs (HTTP's OWS).
std::string_view TrimBlanks(std::string_view s);

// The media type of a Content-Type value, lower-cased, without parameters.
std::string MediaType(std::string_view content_type);

}  // namespace bookstore::http
