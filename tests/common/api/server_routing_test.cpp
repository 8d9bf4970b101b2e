// The server over real sockets: ops routes, routing, JSON bodies, errors,
// request ids and CORS.
#include "tests/common/api/server_fixture.h"

namespace bookstore::http {
namespace {

TEST_F(ServerTest, HealthzIsOk) {
  HttpResponse response = client_.Get("/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"status":"ok"})");
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
}

TEST_F(ServerTest, ReadyzFollowsTheCheck) {
  HttpResponse ready = client_.Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, R"({"status":"ready"})");
  ready_ = false;
  HttpResponse not_ready = client_.Get("/readyz");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(not_ready.Header("Content-Type"), "application/problem+json");
}

TEST_F(ServerTest, OpenApiServedVerbatim) {
  HttpResponse response = client_.Get("/openapi.json");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"openapi":"3.0.3"})");
}

TEST_F(ServerTest, MetricsUseRoutePatternNotRawPath) {
  EXPECT_EQ(client_.Get("/items/42").status, 200);
  EXPECT_EQ(client_.Get("/nope/42").status, 404);
  HttpResponse response = client_.Get("/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(response.body.find("http_requests_total{service=\"test\",method=\"GET\",route=\"/items/"
                               "{id}\",status=\"200\"} 1\n"),
            std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find("route=\"unmatched\",status=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(response.body.find("http_request_duration_seconds_bucket{service=\"test\",method="
                               "\"GET\",route=\"/items/{id}\",le=\"+Inf\"} 1\n"),
            std::string::npos);
  EXPECT_EQ(response.body.find("/items/42"), std::string::npos);
  EXPECT_EQ(response.body.find("/nope"), std::string::npos);
}

TEST_F(ServerTest, PathParamsAndRoutePatternReachTheHandler) {
  HttpResponse response = client_.Get("/items/a%20b?x=1");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"id":"a b","route":"/items/{id}"})");
}

TEST_F(ServerTest, UnknownRouteIs404Problem) {
  for (std::string target : {"/nope", "/items/1/", "/items", "/items/%zz"}) {
    HttpResponse response = client_.Get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.Header("Content-Type"), "application/problem+json");
    EXPECT_NE(response.body.find("\"status\":404"), std::string::npos);
  }
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  HttpResponse response = client_.Delete("/items/1");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("Allow"), "GET, HEAD, PUT");
  EXPECT_EQ(response.Header("Content-Type"), "application/problem+json");
}

TEST_F(ServerTest, JsonBodyChecks) {
  EXPECT_EQ(client_.PostJson("/echo", R"({"a":[1,2]})").body, R"({"a":[1,2]})");
  HttpResponse malformed = client_.PostJson("/echo", R"({"a":)");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(client_.Send("POST", "/echo", "{}", {{"Content-Type", "text/plain"}}).status, 415);
  std::string deep64 = std::string(64, '[') + std::string(64, ']');
  std::string deep65 = std::string(65, '[') + std::string(65, ']');
  EXPECT_EQ(client_.PostJson("/echo", deep64).status, 200);
  EXPECT_EQ(client_.PostJson("/echo", deep65).status, 400);
}

TEST_F(ServerTest, RequestIdEchoedWhenSane) {
  EXPECT_EQ(client_.Get("/healthz", {{"X-Request-Id", "abc-123_x.y"}}).Header("X-Request-Id"),
            "abc-123_x.y");
  std::string max(128, 'r');
  EXPECT_EQ(client_.Get("/healthz", {{"X-Request-Id", max}}).Header("X-Request-Id"), max);
}

TEST_F(ServerTest, RequestIdReplacedWhenNotSane) {
  for (std::string sent : {std::string(129, 'r'), std::string("has space"), std::string("a/b")}) {
    std::string got = client_.Get("/healthz", {{"X-Request-Id", sent}}).Header("X-Request-Id");
    EXPECT_NE(got, sent);
    EXPECT_GE(got.size(), 16u);
  }
  std::string generated = client_.Get("/nope").Header("X-Request-Id");
  EXPECT_GE(generated.size(), 16u);
  EXPECT_NE(generated, client_.Get("/nope").Header("X-Request-Id"));
}

TEST_F(ServerTest, CorsAllowedOrigin) {
  HttpResponse response = client_.Get("/items/1", {{"Origin", "http://localhost:3000"}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("Access-Control-Allow-Origin"), "http://localhost:3000");
  EXPECT_EQ(response.Header("Vary"), "Origin");
  EXPECT_NE(response.Header("Access-Control-Expose-Headers").find("Location"), std::string::npos);
}

TEST_F(ServerTest, CorsPreflight) {
  HttpResponse response = client_.Send("OPTIONS", "/items/1", "",
                                       {{"Origin", "http://localhost:3001"},
                                        {"Access-Control-Request-Method", "PUT"},
                                        {"Access-Control-Request-Headers", "content-type"}});
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.Header("Access-Control-Allow-Origin"), "http://localhost:3001");
  EXPECT_EQ(response.Header("Access-Control-Allow-Methods"), "GET, HEAD, PUT");
  EXPECT_EQ(response.Header("Access-Control-Allow-Headers"), "content-type");
  EXPECT_EQ(response.Header("Access-Control-Max-Age"), "600");
  EXPECT_FALSE(response.Header("X-Request-Id").empty());
}

TEST_F(ServerTest, CorsForeignOriginGetsNoCorsHeaders) {
  HttpResponse simple = client_.Get("/items/1", {{"Origin", "http://evil.example"}});
  EXPECT_EQ(simple.status, 200);
  EXPECT_FALSE(HasCorsHeader(simple));
  HttpResponse preflight =
      client_.Send("OPTIONS", "/items/1", "",
                   {{"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "PUT"}});
  EXPECT_NE(preflight.status, 204);
  EXPECT_FALSE(HasCorsHeader(preflight));
}

TEST_F(ServerTest, HandlerExceptionIs500WithoutDetails) {
  HttpResponse response = client_.Get("/boom");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
  EXPECT_EQ(response.body.find("/var/lib"), std::string::npos);
  EXPECT_FALSE(response.Header("X-Request-Id").empty());
  EXPECT_EQ(client_.Get("/healthz").status, 200);  // the server lives on
}

}  // namespace
}  // namespace bookstore::http
