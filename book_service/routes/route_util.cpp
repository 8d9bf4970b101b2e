#include "book_service/routes/route_util.h"

#include "book_service/domain/validation.h"
#include "book_service/routes/routes.h"
#include "common/db/shared_read.h"
#include "common/http/problem.h"

namespace bookstore::book {

std::optional<int64_t> PathId(const http::Request& request) {
  return ParsePositiveId(request.Param("id"));
}

http::Response NoSuchResource(std::string_view what) {
  return http::ProblemResponse(Error::NotFound(std::string(what) + " not found"));
}

http::Response ErrorResponse(const Error& error) { return http::ProblemResponse(error); }

http::Response Created(const std::string& location, std::string body) {
  auto response = http::Response::Json(201, std::move(body));
  response.headers.Set("Location", location);
  return response;
}

http::RouteOptions Blocking(std::vector<http::Middleware> middleware) {
  http::RouteOptions options;
  options.blocking = true;
  options.middleware = std::move(middleware);
  return options;
}

http::RouteOptions Reading(const RouteDeps& deps, std::vector<http::Middleware> middleware) {
  if (!deps.reads_inline) return Blocking(std::move(middleware));
  if (deps.db) return db::ReadOnlyRoute(deps.db, std::move(middleware));
  http::RouteOptions options;  // inline without a snapshot (tests)
  options.middleware = std::move(middleware);
  return options;
}

}  // namespace bookstore::book
