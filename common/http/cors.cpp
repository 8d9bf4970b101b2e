#include <algorithm>

#include "common/http/deferred.h"
#include "common/http/middleware.h"
#include "common/logging.h"

namespace bookstore::http::internal {
namespace {

constexpr std::string_view kDefaultMethods = "GET, POST, PUT, PATCH, DELETE";
constexpr std::string_view kDefaultHeaders =
    "Authorization, Content-Type, Idempotency-Key, X-Request-Id";
constexpr std::string_view kExposed =
    "Location, WWW-Authenticate, X-Request-Id, Idempotent-Replayed";

// A requested header list worth echoing: tokens, commas and spaces only.
bool IsHeaderList(std::string_view value) {
  if (value.empty() || value.size() > 1024) return false;
  return std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ',' || c == ' ';
  });
}

void RemoveCorsHeaders(Headers& headers) {
  std::vector<std::string> names;
  for (const auto& [name, value] : headers.fields()) {
    if (name.size() >= 15 && std::equal(name.begin(), name.begin() + 15, "access-control-",
                                        [](char a, char b) { return std::tolower(a) == b; })) {
      names.push_back(name);
    }
  }
  for (const auto& name : names) headers.Remove(name);
}

void AddAllowOrigin(Headers& headers, const std::string& origin) {
  headers.Set("Access-Control-Allow-Origin", origin);
  headers.Set("Access-Control-Allow-Credentials", "true");
  headers.Add("Vary", "Origin");
}

}  // namespace

Middleware CorsMiddleware(std::vector<std::string> origins, const Router* router,
                          std::function<bool(const std::string&)> also_allowed) {
  return [origins = std::move(origins), router, also_allowed = std::move(also_allowed)](
             Request& request, const Handler& next) {
    const std::string* origin = request.headers.Get("Origin");
    bool allowed = origin && (std::find(origins.begin(), origins.end(), *origin) != origins.end() ||
                              (also_allowed && also_allowed(*origin)));

    if (allowed && request.method == "OPTIONS" &&
        request.headers.Get("Access-Control-Request-Method")) {
      Response response = Response::NoContent();
      AddAllowOrigin(response.headers, *origin);
      RouteMatch match = router->Match("OPTIONS", request.path);
      std::string methods = match.status == 405 ? match.allow : std::string(kDefaultMethods);
      response.headers.Set("Access-Control-Allow-Methods", methods);
      const std::string* asked = request.headers.Get("Access-Control-Request-Headers");
      response.headers.Set("Access-Control-Allow-Headers",
                           asked && IsHeaderList(*asked) ? *asked : std::string(kDefaultHeaders));
      response.headers.Set("Access-Control-Max-Age", "600");
      return response;
    }

    if (origin && !allowed && request.method == "OPTIONS" &&
        request.headers.Get("Access-Control-Request-Method")) {
      // A browser in development whose origin is not configured: say so
      // (one line per refused preflight, like the access log's line).
      logging::Event("cors_origin_refused",
                     {{"origin", *origin},
                      {"path", request.path},
                      {"hint", "not in BOOKSTORE_CORS_ORIGINS; the browser will block the call"}});
    }
    Response response = next(request);
    OnAnswer(response, [allowed, origin](Response& answer) {
      RemoveCorsHeaders(answer.headers);
      if (allowed) {
        AddAllowOrigin(answer.headers, *origin);
        answer.headers.Set("Access-Control-Expose-Headers", std::string(kExposed));
      } else if (origin) {
        answer.headers.Add("Vary", "Origin");
      }
    });
    return response;
  };
}

}  // namespace bookstore::http::internal
