// Access log and metrics middleware.
#include <fmt/format.h>

#include <chrono>

#include "common/http/middleware.h"
#include "common/logging.h"
#include "common/metrics.h"

namespace bookstore::http::internal {
namespace {

std::string_view RouteLabel(const Request& request) {
  return request.route.empty() ? std::string_view("unmatched") : std::string_view(request.route);
}

// Bounded label values: unknown methods are one series, not one per spelling.
std::string_view MethodLabel(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "OTHER";
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Middleware AccessLogMiddleware(std::string service) {
  return [service = std::move(service)](Request& request, const Handler& next) {
    auto start = std::chrono::steady_clock::now();
    Response response = next(request);
    logging::Access({
        {"service", service},
        {"request_id", request.request_id},
        {"method", std::string(MethodLabel(request.method))},
        {"route", std::string(RouteLabel(request))},
        {"status", std::to_string(response.status), true},
        {"duration_ms", fmt::format("{:.3f}", SecondsSince(start) * 1000), true},
        {"client", request.client},
    });
    return response;
  };
}

Middleware MetricsMiddleware(std::shared_ptr<Metrics> metrics) {
  return [metrics = std::move(metrics)](Request& request, const Handler& next) {
    auto start = std::chrono::steady_clock::now();
    Response response = next(request);
    metrics->Observe(MethodLabel(request.method), RouteLabel(request), response.status,
                     SecondsSince(start));
    return response;
  };
}

}  // namespace bookstore::http::internal
