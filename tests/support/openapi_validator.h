#pragma once
// Checks live responses against an OpenAPI 3.1 document: the status is
// documented for the operation, the Content-Type is one the document lists
// for it, and a JSON body matches the schema (the JSON Schema subset our
// documents use: $ref, type, properties, required, additionalProperties,
// items, enum, const, minimum, maximum, minLength, maxLength, pattern,
// minItems, maxItems, oneOf, anyOf, allOf). The api fixtures run every
// response of their HttpClient through it (HttpClient::SetObserver).

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "tests/support/http_client.h"

namespace bookstore::test {

class OpenApiValidator {
 public:
  // Throws std::runtime_error when `openapi_json` is not an OpenAPI object.
  explicit OpenApiValidator(const std::string& openapi_json);

  // What in `response` to `method` `target` the document does not describe;
  // empty when it conforms. Requests the document has no operation for
  // (unknown paths, methods answered 405, OPTIONS, HEAD) are not checked.
  std::vector<std::string> Check(const std::string& method, const std::string& target,
                                 const HttpResponse& response) const;

  // Problems of `value` against `schema` (resolving $ref in this document),
  // each prefixed with its JSON pointer.
  std::vector<std::string> Validate(const boost::json::value& schema,
                                    const boost::json::value& value) const;

 private:
  void ValidateAt(const boost::json::value& schema, const boost::json::value& value,
                  const std::string& at, std::vector<std::string>& out, int depth) const;
  const boost::json::value& Resolve(const boost::json::value& schema) const;

  boost::json::value doc_;
};

// Installs an observer on `client` that adds a gtest failure for every
// response `validator` finds a problem with. `validator` must outlive the
// client's requests.
void ValidateResponsesOf(HttpClient& client, const OpenApiValidator& validator);

}  // namespace bookstore::test
