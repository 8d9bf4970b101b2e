#pragma once
// Internal to common/http: the global middleware the Server installs around
// routing (outermost first: request id, access log, metrics, CORS, query check). Each
// returned Middleware is thread-safe and may run on io or worker threads.
// Their after-steps (OnAnswer, deferred.h) refer to the middleware's own
// state: a middleware must outlive the requests it handles (the server's
// pipeline does).

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/router.h"

namespace bookstore {
class Metrics;
}

namespace bookstore::http::internal {

// True for 1..128 characters of [A-Za-z0-9._-].
bool IsSaneRequestId(std::string_view id);
// A fresh random id of 32 lower-case hex digits.
std::string NewRequestId();

// Sets Request::request_id (the client's X-Request-Id when sane, else a new
// one) and puts it on the response.
Middleware RequestIdMiddleware();

// One JSON access-log line per request (logging::Access): ts, service,
// request_id, method, route (pattern or "unmatched"), status, duration_ms,
// client.
Middleware AccessLogMiddleware(std::string service);

// Metrics::Observe(method, route pattern or "unmatched", status, seconds).
Middleware MetricsMiddleware(std::shared_ptr<Metrics> metrics);

// CORS for an allowlist of origins. An allowed Origin gets
// Access-Control-Allow-Origin (+ Vary, Expose-Headers, Allow-Credentials);
// a preflight from it is answered 204 here, with the path's methods from
// `router` (which must outlive the middleware). Other origins get no
// Access-Control-* header at all.
// `also_allowed` (when set) is asked about an origin not in `origins`; it
// must be thread-safe and non-blocking.
Middleware CorsMiddleware(std::vector<std::string> origins, const Router* router,
                          std::function<bool(const std::string&)> also_allowed = {});

// Answers 400 (problem+json) when QueryProblem (message.h) refuses the query
// string: a malformed %-escape, more than 1,000 parameters or a control
// character, on every route.
Middleware QueryCheckMiddleware();

}  // namespace bookstore::http::internal
