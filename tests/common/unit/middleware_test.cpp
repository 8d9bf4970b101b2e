// Global middleware of the server, exercised without sockets.
#include "common/http/middleware.h"

#include <gtest/gtest.h>

#include "common/logging.h"
#include "common/metrics.h"

namespace bookstore::http::internal {
namespace {

Handler Ok() {
  return [](Request&) { return Response::Text(200, "ok"); };
}

TEST(RequestIdTest, SaneIds) {
  EXPECT_TRUE(IsSaneRequestId("a"));
  EXPECT_TRUE(IsSaneRequestId("abc-DEF_12.3"));
  EXPECT_TRUE(IsSaneRequestId(std::string(128, 'x')));
  EXPECT_FALSE(IsSaneRequestId(std::string(129, 'x')));
  EXPECT_FALSE(IsSaneRequestId(""));
  EXPECT_FALSE(IsSaneRequestId("a b"));
  EXPECT_FALSE(IsSaneRequestId("a/b"));
  EXPECT_FALSE(IsSaneRequestId("a\nb"));
}

TEST(RequestIdTest, NewIdsAreHexAndDistinct) {
  std::string a = NewRequestId();
  std::string b = NewRequestId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(RequestIdTest, EchoesSaneAndReplacesOthers) {
  Handler handler = Compose({RequestIdMiddleware()}, Ok());
  Request sane;
  sane.headers.Set("X-Request-Id", "abc.123");
  EXPECT_EQ(handler(sane).headers.GetOr("X-Request-Id", ""), "abc.123");
  EXPECT_EQ(sane.request_id, "abc.123");
  Request bad;
  bad.headers.Set("X-Request-Id", "has space");
  std::string replaced(handler(bad).headers.GetOr("X-Request-Id", ""));
  EXPECT_EQ(replaced.size(), 32u);
  EXPECT_EQ(bad.request_id, replaced);
}

TEST(MetricsMiddlewareTest, UsesPatternOrUnmatched) {
  auto metrics = std::make_shared<Metrics>("t");
  Handler handler = Compose({MetricsMiddleware(metrics)}, Ok());
  Request matched;
  matched.method = "GET";
  matched.route = "/items/{id}";
  handler(matched);
  Request unmatched;
  unmatched.method = "BREW";
  handler(unmatched);
  std::string text = metrics->Render();
  EXPECT_NE(text.find("method=\"GET\",route=\"/items/{id}\",status=\"200\"} 1"), std::string::npos);
  EXPECT_NE(text.find("method=\"OTHER\",route=\"unmatched\",status=\"200\"} 1"), std::string::npos);
}

class CorsTest : public ::testing::Test {
 protected:
  CorsTest() {
    router_.Add("GET", "/books/{id}", Ok()).Add("PUT", "/books/{id}", Ok());
    handler_ = Compose({CorsMiddleware({"http://localhost:3000"}, &router_)}, [](Request&) {
      Response response = Response::Text(200, "ok");
      response.headers.Set("Access-Control-Allow-Origin", "*");  // a stray one
      return response;
    });
  }
  Router router_;
  Handler handler_;
};

TEST_F(CorsTest, AllowedOriginGetsHeaders) {
  Request request;
  request.method = "GET";
  request.path = "/books/1";
  request.headers.Set("Origin", "http://localhost:3000");
  Response response = handler_(request);
  EXPECT_EQ(response.headers.GetOr("Access-Control-Allow-Origin", ""), "http://localhost:3000");
  EXPECT_EQ(response.headers.GetOr("Vary", ""), "Origin");
  const std::string exposed(response.headers.GetOr("Access-Control-Expose-Headers", ""));
  for (const char* name : {"Location", "WWW-Authenticate", "X-Request-Id", "Idempotent-Replayed"}) {
    EXPECT_NE(exposed.find(name), std::string::npos) << name;
  }
}

TEST_F(CorsTest, PreflightAnswered204WithRouteMethods) {
  Request request;
  request.method = "OPTIONS";
  request.path = "/books/1";
  request.headers.Set("Origin", "http://localhost:3000");
  request.headers.Set("Access-Control-Request-Method", "PUT");
  request.headers.Set("Access-Control-Request-Headers", "authorization, content-type");
  Response response = handler_(request);
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.headers.GetOr("Access-Control-Allow-Methods", ""), "GET, HEAD, PUT");
  EXPECT_EQ(response.headers.GetOr("Access-Control-Allow-Headers", ""),
            "authorization, content-type");
  EXPECT_EQ(response.headers.GetOr("Access-Control-Max-Age", ""), "600");
}

TEST_F(CorsTest, RefusedPreflightIsLoggedWithItsOrigin) {
  logging::Init("test", "info");
  logging::SetOutput({.buffered = false});
  Request request;
  request.method = "OPTIONS";
  request.path = "/books/1";
  request.headers.Set("Origin", "http://localhost:5173");
  request.headers.Set("Access-Control-Request-Method", "PUT");
  ::testing::internal::CaptureStderr();
  handler_(request);
  request.headers.Set("Origin", "http://localhost:3000");  // allowed: no line
  handler_(request);
  const std::string log = ::testing::internal::GetCapturedStderr();
  logging::SetOutput({});
  EXPECT_NE(log.find("\"event\":\"cors_origin_refused\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"origin\":\"http://localhost:5173\""), std::string::npos) << log;
  EXPECT_NE(log.find("BOOKSTORE_CORS_ORIGINS"), std::string::npos) << log;
  EXPECT_EQ(log.find("localhost:3000"), std::string::npos) << log;
}

TEST_F(CorsTest, ForeignOriginGetsNoCorsHeaders) {
  for (std::string method : {"GET", "OPTIONS"}) {
    Request request;
    request.method = method;
    request.path = "/books/1";
    request.headers.Set("Origin", "http://evil.example");
    request.headers.Set("Access-Control-Request-Method", "PUT");
    Response response = handler_(request);
    EXPECT_EQ(response.status, 200);  // passed on to the handler
    for (const auto& [name, value] : response.headers.fields()) {
      EXPECT_NE(name.rfind("Access-Control-", 0), 0u) << name;
    }
  }
}

TEST(LoggingTest, JsonEscape) {
  EXPECT_EQ(logging::JsonEscape("a\"b\\c\nd\x01"), "a\\\"b\\\\c\\nd\\u0001");
  EXPECT_THROW(logging::Init("t", "verbose"), std::invalid_argument);
  EXPECT_NO_THROW(logging::Init("t", "info"));
}

}  // namespace
}  // namespace bookstore::http::internal
