#pragma once
// Fixture for the server API tests: a RunningServer on an ephemeral port
// with small test routes and the ops routes, and an HttpClient to it.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <memory>
#include <string>

#include "common/http/json_body.h"
#include "common/http/ops_routes.h"
#include "common/metrics.h"
#include "tests/support/http_client.h"
#include "tests/support/test_env.h"

namespace bookstore::http {

using test::HttpClient;
using test::HttpResponse;

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() : server_(Options(), MakeRouter()), client_(server_.port()) {}

  ServerOptions Options() {
    ServerOptions options = test::TestServerOptions("test");
    options.metrics = metrics_;
    return options;
  }

  Router MakeRouter() {
    Router router;
    router.Add("GET", "/items/{id}", [](Request& request) {
      return Response::Json(200, boost::json::serialize(boost::json::object{
                                     {"id", request.Param("id")}, {"route", request.route}}));
    });
    router.Add("PUT", "/items/{id}", [](Request&) { return Response::NoContent(); });
    router.Add("POST", "/echo", [](Request& request) {
      JsonBody body = ParseJsonBody(request);
      if (!body.ok()) return body.response();
      return Response::Json(200, boost::json::serialize(body.value()));
    });
    router.Add("GET", "/boom", [](Request&) -> Response {
      throw std::runtime_error("secret detail from /var/lib/db");
    });
    router.Add("GET", "/bye", [](Request&) {
      Response response = Response::Text(200, "bye");
      response.keep_alive = false;
      return response;
    });
    AddOpsRoutes(router,
                 OpsOptions{.ready = [this] { return ready_.load(); },
                            .openapi_json = R"({"openapi":"3.0.3"})"},
                 metrics_);
    return router;
  }

  static bool HasCorsHeader(const HttpResponse& response) {
    for (const auto& [name, value] : response.headers) {
      if (name.rfind("Access-Control-", 0) == 0 || name.rfind("access-control-", 0) == 0) {
        return true;
      }
    }
    return false;
  }

  std::atomic<bool> ready_{true};
  std::shared_ptr<Metrics> metrics_ = std::make_shared<Metrics>("test");
  test::RunningServer server_;
  HttpClient client_;
};

}  // namespace bookstore::http
