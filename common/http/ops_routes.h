#pragma once
// Operations endpoints every service has: /healthz, /readyz, /metrics,
// /openapi.json.

#include <functional>
#include <memory>
#include <string>

#include "common/http/router.h"

namespace bookstore {
class Metrics;
}

namespace bookstore::http {

struct OpsOptions {
  // Returns true when the service is ready (database answers, keys loaded).
  // Called on a worker thread; may block briefly.
  std::function<bool()> ready;
  // The service's OpenAPI document (JSON text), served verbatim.
  std::string openapi_json;
};

// Registers the four routes; /metrics renders `metrics`.
void AddOpsRoutes(Router& router, OpsOptions options, std::shared_ptr<const Metrics> metrics);

}  // namespace bookstore::http
