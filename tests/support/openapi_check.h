#pragma once
// Checks that an OpenAPI document describes every route of a router.

#include <string>
#include <string_view>
#include <vector>

#include "common/http/router.h"

namespace bookstore::test {

// "METHOD /pattern" of every route the router has that `openapi_json` does
// not list under paths.<pattern>.<method>; also reports a document that is
// not OpenAPI 3.x JSON. Empty when the document covers every route.
std::vector<std::string> RoutesMissingFromOpenApi(const http::Router& router,
                                                  std::string_view openapi_json);

}  // namespace bookstore::test
