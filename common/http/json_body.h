#pragma once
// Request-body checks shared by every JSON route: Content-Type must be
// application/json (415), the body must parse (400) with nesting depth <= 64,
// no object naming a key twice, and no number a double cannot hold exactly
// as written (all 400; common/json_strict.h). Boost.JSON is exposed here only as a forward
// declaration.

#include <memory>

#include "common/http/message.h"
#include "common/result.h"

namespace boost::json {
class value;
}

namespace bookstore::http {

// Returns the parsed body, or an HTTP error response to send as is.
// Usage: auto body = ParseJsonBody(req); if (!body.ok()) return body.response();
class JsonBody {
 public:
  bool ok() const { return value_ != nullptr; }
  const boost::json::value& value() const { return *value_; }
  Response& response() { return response_; }

  JsonBody(std::shared_ptr<boost::json::value> v, Response r)
      : value_(std::move(v)), response_(std::move(r)) {}

 private:
  std::shared_ptr<boost::json::value> value_;
  Response response_;
};

JsonBody ParseJsonBody(const Request& request);

// Parses JSON text with the same rules; nullptr when refused.
std::shared_ptr<boost::json::value> ParseJson(std::string_view text);

constexpr int kMaxJsonDepth = 64;

}  // namespace bookstore::http
