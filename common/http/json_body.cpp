#include "common/http/json_body.h"

#include <boost/json.hpp>

#include "common/http/problem.h"
#include "common/json_strict.h"

namespace bookstore::http {
namespace {

json::StrictResult Parse(std::string_view text) {
  return json::ParseStrict(text, {.max_depth = kMaxJsonDepth, .exact_numbers = true});
}

std::string ProblemText(const json::StrictResult& parsed) {
  switch (parsed.problem) {
    case json::JsonProblem::kTooDeep:
      return "JSON nesting deeper than 64 levels";
    case json::JsonProblem::kDuplicateKey:
      return "JSON object has the key \"" + parsed.detail + "\" more than once";
    case json::JsonProblem::kInexactNumber:
      return "JSON number " + parsed.detail + " has more digits than can be represented exactly";
    default:
      return "malformed JSON";
  }
}

}  // namespace

JsonBody ParseJsonBody(const Request& request) {
  if (MediaType(request.headers.GetOr("Content-Type", "")) != "application/json") {
    return JsonBody(nullptr, ProblemResponse(415, "Content-Type must be application/json"));
  }
  auto parsed = Parse(request.body);
  if (!parsed.value) return JsonBody(nullptr, ProblemResponse(400, ProblemText(parsed)));
  return JsonBody(std::move(parsed.value), Response{});
}

std::shared_ptr<boost::json::value> ParseJson(std::string_view text) { return Parse(text).value; }

}  // namespace bookstore::http
