#include "common/http/router.h"

#include <gtest/gtest.h>

namespace bookstore::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return Response::Text(200, name); };
}

std::string Call(const RouteMatch& match) {
  Request request;
  return match.route->handler(request).body;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add("GET", "/books", Named("list"))
        .Add("POST", "/books", Named("create"))
        .Add("GET", "/books/{id}", Named("get"))
        .Add("PUT", "/books/{id}", Named("put"))
        .Add("GET", "/books/search", Named("search"))
        .Add("GET", "/orders/{order_id}/items/{item}", Named("item"))
        .Add("GET", "/", Named("root"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralRoute) {
  RouteMatch match = router_.Match("GET", "/books");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/books");
  EXPECT_EQ(Call(match), "list");
  EXPECT_EQ(Call(router_.Match("POST", "/books")), "create");
  EXPECT_EQ(Call(router_.Match("GET", "/")), "root");
}

TEST_F(RouterTest, ExtractsParams) {
  RouteMatch match = router_.Match("GET", "/orders/7/items/abc");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/orders/{order_id}/items/{item}");
  ASSERT_EQ(match.params.size(), 2u);
  EXPECT_EQ(match.params[0], (std::pair<std::string, std::string>("order_id", "7")));
  EXPECT_EQ(match.params[1], (std::pair<std::string, std::string>("item", "abc")));
}

TEST_F(RouterTest, LiteralWinsOverParam) {
  EXPECT_EQ(Call(router_.Match("GET", "/books/search")), "search");
  RouteMatch match = router_.Match("GET", "/books/42");
  EXPECT_EQ(Call(match), "get");
  EXPECT_EQ(match.params.at(0).second, "42");
}

TEST_F(RouterTest, FallsBackToParamWhenLiteralBranchHasNoMethod) {
  // PUT /books/search is not registered literally, but /books/{id} has PUT.
  RouteMatch match = router_.Match("PUT", "/books/search");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/books/{id}");
  EXPECT_EQ(match.params.at(0).second, "search");
}

TEST_F(RouterTest, UnknownPathIs404) {
  RouteMatch match = router_.Match("GET", "/authors");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.status, 404);
  EXPECT_EQ(router_.Match("GET", "/books/1/extra").status, 404);
  EXPECT_EQ(router_.Match("GET", "").status, 404);
  EXPECT_EQ(router_.Match("GET", "books").status, 404);
}

TEST_F(RouterTest, HeadMatchesTheGetRoute) {
  RouteMatch match = router_.Match("HEAD", "/books/5");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->pattern, "/books/{id}");
  EXPECT_EQ(match.route->method, "GET");
  EXPECT_EQ(match.params[0].second, "5");
}

TEST_F(RouterTest, WrongMethodIs405WithSortedAllow) {
  RouteMatch match = router_.Match("DELETE", "/books/1");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.status, 405);
  EXPECT_EQ(match.allow, "GET, HEAD, PUT");
  EXPECT_EQ(router_.Match("PATCH", "/books").allow, "GET, HEAD, POST");
}

TEST_F(RouterTest, TrailingSlashIsADifferentPath) {
  EXPECT_EQ(router_.Match("GET", "/books/").status, 404);
  EXPECT_EQ(router_.Match("GET", "//books").status, 404);
}

TEST_F(RouterTest, DecodesPercentEncodedSegments) {
  RouteMatch match = router_.Match("GET", "/books/a%20b%2Fc");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.params.at(0).second, "a b/c");
  EXPECT_EQ(Call(router_.Match("GET", "/%62ooks")), "list");
  EXPECT_EQ(router_.Match("GET", "/books/%zz").status, 404);
  EXPECT_EQ(router_.Match("GET", "/books/%4").status, 404);
}

TEST(RouterAddTest, RejectsDuplicatesAndBadPatterns) {
  Router router;
  router.Add("GET", "/a/{id}", Named("a"));
  EXPECT_THROW(router.Add("GET", "/a/{id}", Named("b")), std::invalid_argument);
  EXPECT_NO_THROW(router.Add("POST", "/a/{id}", Named("c")));
  EXPECT_THROW(router.Add("GET", "no-slash", Named("d")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/x{id}", Named("e")), std::invalid_argument);
  EXPECT_EQ(router.routes().size(), 2u);
}

TEST(RouterAddTest, SameSlotDifferentParamNamesPerMethod) {
  Router router;
  router.Add("GET", "/x/{id}", Named("get")).Add("PUT", "/x/{key}", Named("put"));
  EXPECT_EQ(router.Match("GET", "/x/1").params.at(0).first, "id");
  EXPECT_EQ(router.Match("PUT", "/x/1").params.at(0).first, "key");
}

TEST(ComposeTest, FirstMiddlewareIsOutermost) {
  std::string trace;
  auto tag = [&trace](std::string name) -> Middleware {
    return [&trace, name](Request& request, const Handler& next) {
      trace += name + "<";
      Response response = next(request);
      trace += ">" + name;
      return response;
    };
  };
  Handler handler = Compose({tag("a"), tag("b")}, [&trace](Request&) {
    trace += "h";
    return Response::NoContent();
  });
  Request request;
  EXPECT_EQ(handler(request).status, 204);
  EXPECT_EQ(trace, "a<b<h>b>a");
}

TEST(ComposeTest, RouteMiddlewareCanAnswer) {
  Router router;
  Middleware deny = [](Request&, const Handler&) { return Response::Text(403, "no"); };
  router.Add("GET", "/secret", Named("secret"),
             RouteOptions{.blocking = true, .middleware = {deny}});
  RouteMatch match = router.Match("GET", "/secret");
  ASSERT_NE(match.route, nullptr);
  EXPECT_TRUE(match.route->blocking);
  Request request;
  EXPECT_EQ(match.route->handler(request).status, 403);
}

}  // namespace
}  // namespace bookstore::http
