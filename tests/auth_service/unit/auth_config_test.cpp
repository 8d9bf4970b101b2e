#include "auth_service/auth_config.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <cstdlib>

#include "tests/support/example_config.h"

namespace bookstore::auth {
namespace {

AuthConfig Valid() {
  AuthConfig c;
  c.common.data_dir = "/tmp/bookstore-auth-config-test";
  return c;
}

// The example file holds every option of bookstore-auth and is accepted
// as it is (its [book] section skipped), giving the defaults.
TEST(AuthConfig, ExampleConfigFileCoversEveryOptionAndParses) {
  CLI::App app("bookstore-auth");
  AuthConfig c;
  c.port = 1;
  AddAuthOptions(app, c);
  test::ExpectExampleConfigNamesEveryOption(app);
  const std::string file = test::ExampleConfigPath();
  const char* argv[] = {"/usr/local/bin/bookstore-auth", "--config", file.c_str()};
  ASSERT_NO_THROW(app.parse(3, argv));
  EXPECT_EQ(c.port, 5000);
  EXPECT_EQ(c.session_ttl, 28800);
}

TEST(AuthConfig, DefaultsFinalize) {
  auto c = Valid();
  EXPECT_NO_THROW(FinalizeAuthConfig(c));
  EXPECT_EQ(c.signing_key_file, "/tmp/bookstore-auth-config-test/auth-signing-key.pem");
  EXPECT_EQ(c.port, 5000);
  EXPECT_EQ(c.access_token_ttl, 900);
  EXPECT_EQ(c.refresh_token_ttl, 2592000);
  EXPECT_EQ(c.auth_code_ttl, 60);
}

TEST(AuthConfig, BadValuesNameTheVariable) {
  auto c = Valid();
  c.auth_code_ttl = 61;
  try {
    FinalizeAuthConfig(c);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("AUTH_CODE_TTL"), std::string::npos);
  }
  c = Valid();
  c.access_token_ttl = 0;
  EXPECT_THROW(FinalizeAuthConfig(c), ConfigError);
  c = Valid();
  c.refresh_token_ttl = -5;
  EXPECT_THROW(FinalizeAuthConfig(c), ConfigError);
}

TEST(AuthConfig, LifetimesFromOneSecondWithAWarningBelowSixty) {  // contract §6
  auto c = Valid();
  c.access_token_ttl = 1;
  c.refresh_token_ttl = 5;
  c.auth_code_ttl = 1;
  EXPECT_NO_THROW(FinalizeAuthConfig(c));
  const auto warnings = LifetimeWarnings(c);
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_EQ(warnings[0].rfind("ACCESS_TOKEN_TTL=1 s is below 60 s", 0), 0u) << warnings[0];
  EXPECT_EQ(warnings[1].rfind("REFRESH_TOKEN_TTL=5 s", 0), 0u);
  EXPECT_TRUE(LifetimeWarnings(Valid()).empty());  // the defaults
  CLI::App app("bookstore-auth");
  AuthConfig parsed;
  AddAuthOptions(app, parsed);
  const char* argv[] = {"bookstore-auth", "--access-token-ttl", "1", "--refresh-token-ttl", "2"};
  ASSERT_NO_THROW(app.parse(5, argv));
  EXPECT_EQ(parsed.access_token_ttl, 1);
  EXPECT_EQ(parsed.refresh_token_ttl, 2);
}

TEST(AuthConfig, SigningAlgIsRs256OrEs256) {
  auto c = Valid();
  FinalizeAuthConfig(c);
  EXPECT_EQ(SigningAlg(c), jwt::Alg::kRs256);  // the default
  c = Valid();
  c.signing_alg = "ES256";
  FinalizeAuthConfig(c);
  EXPECT_EQ(SigningAlg(c), jwt::Alg::kEs256);
  for (const char* bad : {"es256", "HS256", "none", ""}) {
    c = Valid();
    c.signing_alg = bad;
    try {
      FinalizeAuthConfig(c);
      ADD_FAILURE() << bad;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("AUTH_SIGNING_ALG"), std::string::npos) << e.what();
    }
  }
  // From the environment, as an operator sets it.
  CLI::App app("bookstore-auth");
  AuthConfig parsed;
  AddAuthOptions(app, parsed);
  ::setenv("AUTH_SIGNING_ALG", "HS256", 1);
  const char* argv[] = {"bookstore-auth"};
  EXPECT_THROW(app.parse(1, argv), ConfigError);
  ::unsetenv("AUTH_SIGNING_ALG");
}

TEST(AuthConfig, KeyFileKeptWhenGiven) {
  auto c = Valid();
  c.signing_key_file = "/etc/k.pem";
  FinalizeAuthConfig(c);
  EXPECT_EQ(c.signing_key_file, "/etc/k.pem");
}

TEST(AuthConfig, SignupUrlMustBeAnAbsoluteHttpUrl) {
  for (const char* good : {"https://shop.example/register", "http://localhost:3000/sign-up?x=1"}) {
    auto c = Valid();
    c.signup_url = good;
    EXPECT_NO_THROW(FinalizeAuthConfig(c)) << good;
  }
  for (const char* bad :
       {"javascript:alert(1)", "/register", "https://a b", "https://x\"y", "ftp://files.example"}) {
    auto c = Valid();
    c.signup_url = bad;
    try {
      FinalizeAuthConfig(c);
      ADD_FAILURE() << bad;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("AUTH_SIGNUP_URL"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace bookstore::auth
