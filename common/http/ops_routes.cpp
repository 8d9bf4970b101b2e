#include "common/http/ops_routes.h"

#include "common/http/problem.h"
#include "common/logging.h"
#include "common/metrics.h"

namespace bookstore::http {

void AddOpsRoutes(Router& router, OpsOptions options, std::shared_ptr<const Metrics> metrics) {
  router.Add("GET", "/healthz", [](Request&) { return Response::Json(200, R"({"status":"ok"})"); });

  router.Add(
      "GET", "/readyz",
      [ready = std::move(options.ready)](Request&) {
        bool is_ready = true;
        if (ready) {
          try {
            is_ready = ready();
          } catch (const std::exception& e) {
            logging::Warn(std::string("readiness check failed: ") + e.what());
            is_ready = false;
          }
        }
        return is_ready ? Response::Json(200, R"({"status":"ready"})")
                        : ProblemResponse(503, "service is not ready");
      },
      RouteOptions{.blocking = true});

  router.Add("GET", "/metrics", [metrics = std::move(metrics)](Request&) {
    return Response::Text(200, metrics ? metrics->Render() : std::string(),
                          "text/plain; version=0.0.4; charset=utf-8");
  });

  router.Add("GET", "/openapi.json", [doc = std::move(options.openapi_json)](Request&) {
    return Response::Json(200, doc);
  });
}

}  // namespace bookstore::http
