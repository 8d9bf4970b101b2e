// The outbound client (common/http/client.h) against a real local server.
#include <gtest/gtest.h>

#include <future>

#include "common/http/client.h"
#include "tests/support/test_env.h"

namespace bookstore::http {
namespace {

using namespace std::chrono_literals;

class HttpGetTest : public ::testing::Test {
 protected:
  HttpGetTest() : server_(test::TestServerOptions(), MakeRouter()) {}
  ~HttpGetTest() override { release_.set_value(); }

  Router MakeRouter() {
    Router router;
    router.Add("GET", "/jwks", [](Request& request) {
      return Response::Json(200, R"({"keys":[],"q":")" + request.query + "\"}");
    });
    router.Add("GET", "/huge",
               [](Request&) { return Response::Text(200, std::string((1 << 20) + 1, 'x')); });
    router.Add(
        "GET", "/slow",
        [released = release_.get_future().share()](Request&) {
          released.wait();
          return Response::NoContent();
        },
        RouteOptions{.blocking = true});
    return router;
  }

  std::string Url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + path;
  }

  std::promise<void> release_;
  test::RunningServer server_;
};

TEST_F(HttpGetTest, FetchesStatusTypeAndBody) {
  auto response = HttpGet(Url("/jwks?a=1"), 5s);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "application/json");
  EXPECT_EQ(response->body, R"({"keys":[],"q":"a=1"})");
  auto missing = HttpGet(Url("/nope"), 5s);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
}

TEST_F(HttpGetTest, DeadlineGivesUnavailable) {
  auto start = std::chrono::steady_clock::now();
  auto response = HttpGet(Url("/slow"), 200ms);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, Errc::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(HttpGetTest, BodyOverOneMebibyteIsRefused) {
  auto response = HttpGet(Url("/huge"), 5s);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, Errc::kUnavailable);
}

TEST_F(HttpGetTest, BadUrlsAreUnavailable) {
  for (std::string url : {"https://127.0.0.1/x", "not a url", "http:///x", "ftp://h/x"}) {
    auto response = HttpGet(url, 1s);
    ASSERT_FALSE(response.ok()) << url;
    EXPECT_EQ(response.error().code, Errc::kUnavailable);
  }
  test::RunningServer other(test::TestServerOptions(), Router());
  uint16_t closed_port = other.port();
  other.Stop();
  auto refused = HttpGet("http://127.0.0.1:" + std::to_string(closed_port) + "/", 1s);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kUnavailable);
}

}  // namespace
}  // namespace bookstore::http
