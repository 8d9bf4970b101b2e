#include "common/http/json_body.h"

#include <boost/json.hpp>

#include "common/http/problem.h"

namespace bookstore::http {
namespace {

// Parses with the depth limit; `too_deep` tells the caller why it failed.
std::shared_ptr<boost::json::value> Parse(std::string_view text, bool* too_deep) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;  // counts arrays and objects: 64 ok, 65 not
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec, {}, options);
  if (ec) {
    if (too_deep) *too_deep = ec == boost::json::error::too_deep;
    return nullptr;
  }
  return std::make_shared<boost::json::value>(std::move(value));
}

}  // namespace

JsonBody ParseJsonBody(const Request& request) {
  if (MediaType(request.headers.GetOr("Content-Type", "")) != "application/json") {
    return JsonBody(nullptr, ProblemResponse(415, "Content-Type must be application/json"));
  }
  bool too_deep = false;
  auto value = Parse(request.body, &too_deep);
  if (!value) {
    return JsonBody(nullptr, ProblemResponse(400, too_deep ? "JSON nesting deeper than 64 levels"
                                                           : "malformed JSON"));
  }
  return JsonBody(std::move(value), Response{});
}

std::shared_ptr<boost::json::value> ParseJson(std::string_view text) {
  return Parse(text, nullptr);
}

}  // namespace bookstore::http
