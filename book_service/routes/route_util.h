#pragma once
// Small helpers shared by the route files.

#include <cstdint>
#include <optional>
#include <string>

#include "common/http/message.h"
#include "common/http/router.h"
#include "common/result.h"

namespace bookstore::book {
struct RouteDeps;
}

namespace bookstore::book {

// The {id} path parameter when it is a positive integer.
std::optional<int64_t> PathId(const http::Request& request);
// 404 problem for a path id that is not a positive integer.
http::Response NoSuchResource(std::string_view what);
http::Response ErrorResponse(const Error& error);
// 201 with Location and a JSON body.
http::Response Created(const std::string& location, std::string body);
// RouteOptions{blocking = true} with the given middleware.
http::RouteOptions Blocking(std::vector<http::Middleware> middleware = {});
// Options of a read-only route: blocking unless `deps.reads_inline`; inline
// routes share the read snapshot of their event-loop batch (common/db/shared_read.h).
http::RouteOptions Reading(const RouteDeps& deps, std::vector<http::Middleware> middleware = {});

}  // namespace bookstore::book
