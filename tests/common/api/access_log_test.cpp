// The access log over a real server: exactly one JSON object line per
// request, with the keys of API contract §4 and the route pattern.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "common/logging.h"
#include "tests/support/http_client.h"
#include "tests/support/test_env.h"

namespace bookstore::http {
namespace {

std::vector<boost::json::object> JsonLines(const std::string& text) {
  std::vector<boost::json::object> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] != '{') continue;  // human lines; a prefixed JSON line fails below
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(line, ec);
    EXPECT_FALSE(ec) << "not a JSON line: " << line;
    if (!ec && v.is_object()) lines.push_back(v.as_object());
  }
  return lines;
}

TEST(AccessLogTest, OneJsonObjectLinePerRequestWithContractKeys) {
  logging::Init("test", "info");
  Router router;
  router.Add("GET", "/things/{id}", [](Request&) { return Response::Json(200, "{}"); });
  ServerOptions options = test::TestServerOptions("catalog");
  options.access_log = true;

  ::testing::internal::CaptureStderr();
  {
    test::RunningServer server(options, std::move(router));
    test::HttpClient client(server.port());
    EXPECT_EQ(client.Get("/things/42", {{"X-Request-Id", "req-1"}}).status, 200);
    EXPECT_EQ(client.Get("/nowhere").status, 404);
    server.Stop();
  }
  std::string out = ::testing::internal::GetCapturedStderr();

  std::vector<boost::json::object> access;
  for (auto& line : JsonLines(out)) {
    if (line.contains("route")) access.push_back(line);
  }
  ASSERT_EQ(access.size(), 2u) << out;
  for (const char* key :
       {"ts", "service", "request_id", "method", "route", "status", "duration_ms", "client"}) {
    EXPECT_TRUE(access[0].contains(key)) << key;
  }
  EXPECT_EQ(access[0].at("service"), "catalog");
  EXPECT_EQ(access[0].at("request_id"), "req-1");
  EXPECT_EQ(access[0].at("route"), "/things/{id}");
  EXPECT_EQ(access[0].at("status"), 200);
  EXPECT_EQ(access[0].at("client"), "127.0.0.1");
  EXPECT_EQ(access[1].at("route"), "unmatched");
  EXPECT_EQ(access[1].at("status"), 404);
}

}  // namespace
}  // namespace bookstore::http
