// An access token checked by an independent implementation: Debian's
// python3 with PyJWT against the served /jwks.json.
#include <cstdio>
#include <fstream>

#include "tests/auth_service/api/auth_api_fixture.h"

namespace bookstore::auth {
namespace {

int RunPython(const std::string& args, std::string& output) {
  const std::string command = "/usr/bin/python3 " BOOKSTORE_SOURCE_DIR
                              "/tests/e2e/verify_access_token.py " +
                              args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  return ::pclose(pipe);
}

TEST_F(AuthApiTest, PyJwtVerifiesAccessTokenAgainstServedJwks) {
  auto tokens = TokensFor("admin", "admin-pass-1");
  const std::string jwks_file = dir_.File("jwks.json");
  const std::string token_file = dir_.File("token.txt");
  std::ofstream(jwks_file) << client_->Get("/jwks.json").body;
  std::ofstream(token_file) << Str(tokens, "access_token");
  std::string output;
  const int status =
      RunPython(jwks_file + " " + token_file + " " + kIssuer + " bookstore-api", output);
  ASSERT_EQ(status, 0) << output;
  auto claims = JsonObject(output);
  EXPECT_EQ(Str(claims, "username"), "admin");
  EXPECT_EQ(Str(claims, "iss"), kIssuer);

  // And the same independent check fails for a wrong audience.
  std::string wrong;
  EXPECT_NE(RunPython(jwks_file + " " + token_file + " " + kIssuer + " other-api", wrong), 0);
}

}  // namespace
}  // namespace bookstore::auth
