#include "common/http/problem.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace bookstore::http {
namespace {

boost::json::object Body(const Response& response) {
  return boost::json::parse(response.body).as_object();
}

TEST(ProblemTest, ValidationErrorHasEveryField) {
  Response response = ProblemResponse(Error::InvalidArgument(
      "invalid book", {{"quantity", "must be an integer >= 0"}, {"title", "required"}}));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.headers.GetOr("Content-Type", ""), "application/problem+json");
  auto body = Body(response);
  EXPECT_EQ(body.at("type"), "about:blank");
  EXPECT_EQ(body.at("title"), "Bad Request");
  EXPECT_EQ(body.at("status"), 400);
  EXPECT_EQ(body.at("detail"), "invalid book");
  auto& errors = body.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("field"), "quantity");
  EXPECT_EQ(errors[0].at("message"), "must be an integer >= 0");
  EXPECT_EQ(errors[1].at("field"), "title");
}

TEST(ProblemTest, NoErrorsMemberWithoutFields) {
  Response response = ProblemResponse(Error::NotFound("no such book"));
  EXPECT_EQ(response.status, 404);
  auto body = Body(response);
  EXPECT_EQ(body.at("title"), "Not Found");
  EXPECT_FALSE(body.contains("errors"));
  EXPECT_EQ(body.size(), 4u);
}

TEST(ProblemTest, MapsEveryCode) {
  EXPECT_EQ(ProblemResponse(Error::Unauthenticated("x")).status, 401);
  EXPECT_EQ(ProblemResponse(Error::Forbidden("x")).status, 403);
  EXPECT_EQ(ProblemResponse(Error::Conflict("x")).status, 409);
  EXPECT_EQ(ProblemResponse(Error::Unprocessable("x")).status, 422);
  EXPECT_EQ(ProblemResponse(Error::TooManyRequests("x")).status, 429);
  EXPECT_EQ(ProblemResponse(Error::Unavailable("x")).status, 503);
  Response internal = ProblemResponse(Error{Errc::kInternal, "db said: secret", {}});
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(Body(internal).at("title"), "Internal Server Error");
  EXPECT_EQ(internal.body.find("secret"), std::string::npos);
}

TEST(ProblemTest, EscapesDetailAsJson) {
  Response response = ProblemResponse(409, "quote \" backslash \\ newline \n");
  EXPECT_EQ(Body(response).at("detail"), "quote \" backslash \\ newline \n");
  EXPECT_EQ(Body(response).at("title"), "Conflict");
}

TEST(ProblemTest, ReasonPhrases) {
  EXPECT_EQ(ReasonPhrase(405), "Method Not Allowed");
  EXPECT_EQ(ReasonPhrase(413), "Content Too Large");
  EXPECT_EQ(ReasonPhrase(415), "Unsupported Media Type");
  EXPECT_EQ(ReasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(ReasonPhrase(299), "Unknown");
}

}  // namespace
}  // namespace bookstore::http
