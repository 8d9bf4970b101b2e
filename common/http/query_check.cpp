// The global query-string check: malformed %-escapes, too many parameters and
// control characters are the client's mistake (400), whatever route follows.
#include "common/http/middleware.h"
#include "common/http/problem.h"

namespace bookstore::http::internal {

Middleware QueryCheckMiddleware() {
  return [](Request& request, const Handler& next) {
    if (!request.query.empty()) {
      std::string_view problem = QueryProblem(request.query);
      if (!problem.empty()) return ProblemResponse(400, std::string(problem));
    }
    return next(request);
  };
}

}  // namespace bookstore::http::internal
