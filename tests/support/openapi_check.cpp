#include "tests/support/openapi_check.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

namespace bookstore::test {

std::vector<std::string> RoutesMissingFromOpenApi(const http::Router& router,
                                                  std::string_view openapi_json) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(openapi_json, ec);
  if (ec || !doc.is_object()) return {"document is not JSON"};
  const auto* version = doc.as_object().if_contains("openapi");
  if (!version || !version->is_string() || !version->as_string().starts_with("3.")) {
    return {"document is not OpenAPI 3.x"};
  }
  const auto* paths = doc.as_object().if_contains("paths");
  if (!paths || !paths->is_object()) return {"document has no paths"};

  std::vector<std::string> missing;
  for (const http::Route* route : router.routes()) {
    std::string method = route->method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto* item = paths->as_object().if_contains(route->pattern);
    if (!item || !item->is_object() || !item->as_object().contains(method)) {
      missing.push_back(route->method + " " + route->pattern);
    }
  }
  return missing;
}

}  // namespace bookstore::test
