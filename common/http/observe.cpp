// Access log and metrics middleware.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>
#include <string_view>

#include "common/http/deferred.h"
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

// A number's text held inline, so an access-log line allocates nothing.
struct NumberText {
  char data[32];
  size_t size = 0;
  std::string_view view() const { return {data, size}; }
};

NumberText Integer(int value) {
  NumberText text;
  text.size =
      static_cast<size_t>(std::to_chars(text.data, std::end(text.data), value).ptr - text.data);
  return text;
}

// Seconds as milliseconds with three decimals.
NumberText Millis(double seconds) {
  NumberText text;
  text.size =
      std::min(sizeof(text.data),
               fmt::format_to_n(text.data, sizeof(text.data), "{:.3f}", seconds * 1000).size);
  return text;
}

}  // namespace

Middleware AccessLogMiddleware(std::string service) {
  return [service = std::move(service)](Request& request, const Handler& next) {
    auto start = std::chrono::steady_clock::now();
    Response response = next(request);
    OnAnswer(response, [&service, &request, start](Response& answer) {
      logging::Access({
          {"service", service},
          {"request_id", request.request_id},
          {"method", MethodLabel(request.method)},
          {"route", RouteLabel(request)},
          {"status", Integer(answer.status).view(), true},
          {"duration_ms", Millis(SecondsSince(start)).view(), true},
          {"client", request.client},
      });
    });
    return response;
  };
}

Middleware MetricsMiddleware(std::shared_ptr<Metrics> metrics) {
  return [metrics = std::move(metrics)](Request& request, const Handler& next) {
    auto start = std::chrono::steady_clock::now();
    Response response = next(request);
    OnAnswer(response, [&metrics, &request, start](Response& answer) {
      metrics->Observe(MethodLabel(request.method), RouteLabel(request), answer.status,
                       SecondsSince(start));
    });
    return response;
  };
}

}  // namespace bookstore::http::internal
