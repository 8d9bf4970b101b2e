#include "common/http/json_body.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace bookstore::http {
namespace {

Request JsonRequest(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = "POST";
  request.headers.Set("Content-Type", std::move(content_type));
  request.body = std::move(body);
  return request;
}

std::string Nested(int depth, bool objects) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += objects ? "{\"a\":" : "[";
  text += "1";
  for (int i = 0; i < depth; ++i) text += objects ? "}" : "]";
  return text;
}

TEST(JsonBodyTest, ParsesValidJson) {
  JsonBody body = ParseJsonBody(JsonRequest(R"({"title":"Dune","quantity":3})"));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body.value().at("quantity").as_int64(), 3);
}

TEST(JsonBodyTest, AcceptsContentTypeParameters) {
  EXPECT_TRUE(ParseJsonBody(JsonRequest("{}", "Application/JSON; charset=utf-8")).ok());
}

TEST(JsonBodyTest, WrongOrMissingContentTypeIs415) {
  JsonBody body = ParseJsonBody(JsonRequest("{}", "text/plain"));
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.response().status, 415);
  EXPECT_EQ(body.response().headers.GetOr("Content-Type", ""), "application/problem+json");
  Request no_type;
  no_type.body = "{}";
  EXPECT_EQ(ParseJsonBody(no_type).response().status, 415);
  EXPECT_EQ(ParseJsonBody(JsonRequest("{}", "application/jsonx")).response().status, 415);
}

TEST(JsonBodyTest, MalformedJsonIs400) {
  for (std::string text : {"", "{", "{\"a\":}", "[1,]", "{} {}", "nul"}) {
    JsonBody body = ParseJsonBody(JsonRequest(text));
    ASSERT_FALSE(body.ok()) << text;
    EXPECT_EQ(body.response().status, 400) << text;
    EXPECT_NE(body.response().body.find("malformed JSON"), std::string::npos);
  }
}

TEST(JsonBodyTest, Depth64IsAcceptedAnd65Rejected) {
  for (bool objects : {false, true}) {
    EXPECT_TRUE(ParseJsonBody(JsonRequest(Nested(64, objects))).ok());
    JsonBody deep = ParseJsonBody(JsonRequest(Nested(65, objects)));
    ASSERT_FALSE(deep.ok());
    EXPECT_EQ(deep.response().status, 400);
  }
  // Mixed arrays and objects count alike.
  EXPECT_TRUE(ParseJson("[" + Nested(63, true) + "]") != nullptr);
  EXPECT_TRUE(ParseJson("[" + Nested(64, true) + "]") == nullptr);
}

TEST(JsonBodyTest, ParseJsonText) {
  auto value = ParseJson(R"(["a", 1])");
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->as_array().size(), 2u);
  EXPECT_EQ(ParseJson("{"), nullptr);
  EXPECT_EQ(ParseJson(Nested(65, false)), nullptr);
}

}  // namespace
}  // namespace bookstore::http
