// The test support's OpenAPI response validator: it must catch what it is
// there to catch, or the api layer's "every response as documented" check
// could pass on anything.
#include "tests/support/openapi_validator.h"

#include <gtest/gtest.h>

namespace bookstore::test {
namespace {

const char* kDoc = R"({
  "openapi": "3.1.0",
  "paths": {
    "/books/{id}": {"get": {"responses": {
      "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Book"}}}},
      "404": {"description": "absent", "content": {"application/problem+json": {"schema": {"type": "object", "required": ["status"]}}}}
    }}},
    "/books/me": {"get": {"responses": {"204": {"description": "none"}}}},
    "/healthz": {"get": {"responses": {"2XX": {"description": "ok", "content": {"text/plain": {}}}}}}
  },
  "components": {"schemas": {
    "Book": {"type": "object", "required": ["id", "code"], "additionalProperties": false,
             "properties": {"id": {"type": "integer", "minimum": 1},
                            "code": {"type": "string", "pattern": "^[A-Z]+-[0-9]+$", "maxLength": 8},
                            "publisher": {"type": ["string", "null"]},
                            "tags": {"type": "array", "items": {"enum": ["new", "sale"]}},
                            "status": {"oneOf": [{"const": "a"}, {"const": "b"}]}}}
  }}
})";

HttpResponse Json(int status, const std::string& body,
                  const std::string& type = "application/json") {
  return HttpResponse{status, {{"Content-Type", type}}, body};
}

TEST(OpenApiValidatorTest, AcceptsWhatTheDocumentDescribes) {
  OpenApiValidator v(kDoc);
  EXPECT_TRUE(
      v.Check("GET", "/books/7?x=1",
              Json(200, R"({"id":7,"code":"AB-1","publisher":null,"tags":["sale"],"status":"b"})"))
          .empty());
  EXPECT_TRUE(v.Check("GET", "/books/7", Json(404, R"({"status":404})", "application/problem+json"))
                  .empty());
  EXPECT_TRUE(v.Check("GET", "/books/me", HttpResponse{204, {}, ""}).empty());  // literal path wins
  EXPECT_TRUE(v.Check("GET", "/healthz", Json(200, "ok", "text/plain; charset=utf-8")).empty());
  // Not operations of the document: not checked.
  EXPECT_TRUE(v.Check("GET", "/nowhere", Json(404, "x")).empty());
  EXPECT_TRUE(v.Check("DELETE", "/books/7", Json(405, "x")).empty());
}

TEST(OpenApiValidatorTest, FindsEveryKindOfDeviation) {
  OpenApiValidator v(kDoc);
  // The single problem found in a GET /books/7 answer, or how many there were.
  const auto one = [&](int status, const std::string& body,
                       const std::string& type = "application/json") {
    const auto problems = v.Check("GET", "/books/7", Json(status, body, type));
    return problems.size() == 1 ? problems[0] : "found " + std::to_string(problems.size());
  };
  const auto has = [](const std::string& problem, const std::string& part) {
    return problem.find(part) != std::string::npos;
  };
  EXPECT_PRED2(has, one(500, "{}"), "status not documented");
  EXPECT_PRED2(has, one(200, R"({"id":1,"code":"A-1"})", "text/html"), "Content-Type");
  EXPECT_PRED2(has, one(200, "not json"), "not JSON");
  EXPECT_PRED2(has, one(200, R"({"id":1})"), "required property 'code'");
  EXPECT_PRED2(has, one(200, R"({"id":"1","code":"A-1"})"), "/id: \"1\" is not of type");
  EXPECT_PRED2(has, one(200, R"({"id":1.5,"code":"A-1"})"), "is not of type");
  EXPECT_PRED2(has, one(200, R"({"id":0,"code":"A-1"})"), "< minimum");
  EXPECT_PRED2(has, one(200, R"({"id":1,"code":"a-1"})"), "does not match");
  EXPECT_PRED2(has, one(200, R"({"id":1,"code":"ABCDEFG-1"})"), "longer than maxLength");
  EXPECT_PRED2(has, one(200, R"({"id":1,"code":"A-1","extra":1})"), "/extra: property not allowed");
  EXPECT_PRED2(has, one(200, R"({"id":1,"code":"A-1","publisher":5})"), "is not of type");
  EXPECT_PRED2(has, one(200, R"({"id":1,"code":"A-1","tags":["old"]})"), "/tags/0");
  EXPECT_PRED2(has, one(200, R"({"id":1,"code":"A-1","status":"c"})"), "oneOf");
  EXPECT_PRED2(has, v.Check("GET", "/books/me", Json(204, "{}")).at(0), "describes none");
}

}  // namespace
}  // namespace bookstore::test
