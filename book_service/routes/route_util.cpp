#include "book_service/routes/route_util.h"

#include "book_service/domain/validation.h"
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

http::RouteOptions Reading(bool reads_inline, std::vector<http::Middleware> middleware) {
  http::RouteOptions options = Blocking(std::move(middleware));
  options.blocking = !reads_inline;
  return options;
}

}  // namespace bookstore::book
