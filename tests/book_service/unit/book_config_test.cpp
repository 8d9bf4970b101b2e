#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include "book_service/app.h"
#include "tests/support/example_config.h"

namespace bookstore::book {
namespace {

// The example file holds every option of bookstore-book and is accepted
// as it is (its [auth] section skipped), giving the defaults.
TEST(BookConfigTest, ExampleConfigFileCoversEveryOptionAndParses) {
  CLI::App app("bookstore-book");
  BookConfig c;
  int port = 0;
  AddCommonOptions(app, c.common);
  CLI::App* serve = app.add_subcommand("serve");
  AddBookOptions(*serve, c, port);
  test::ExpectExampleConfigNamesEveryOption(app);
  const std::string file = test::ExampleConfigPath();
  const char* argv[] = {"/usr/local/bin/bookstore-book", "--config", file.c_str(), "serve"};
  ASSERT_NO_THROW(app.parse(4, argv));
  EXPECT_EQ(port, 5001);
  EXPECT_EQ(c.common.log_level, "info");
}

TEST(BookConfigTest, JwksUrlDefaultsToTheIssuer) {
  BookConfig c;
  c.common.issuer = "http://auth.local:5000/";
  FinalizeBookConfig(c, 5001);
  EXPECT_EQ(c.jwks_url, "http://auth.local:5000/jwks.json");
  EXPECT_EQ(c.port, 5001);
}

TEST(BookConfigTest, BadValuesNameTheSetting) {
  BookConfig c;
  try {
    FinalizeBookConfig(c, 70000);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("BOOK_PORT"), std::string::npos);
  }
  c.jwks_url = "ftp://x/jwks.json";
  try {
    FinalizeBookConfig(c, 5001);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("AUTH_JWKS_URL"), std::string::npos);
  }
}

TEST(BookConfigTest, PortFlagIsParsedAndChecked) {
  CLI::App app;
  BookConfig c;
  int port = 5001;
  AddBookOptions(app, c, port);
  app.parse("--port 6001", false);
  EXPECT_EQ(port, 6001);
  CLI::App bad;
  AddBookOptions(bad, c, port);
  EXPECT_THROW(bad.parse("--port abc", false), ConfigError);
}

}  // namespace
}  // namespace bookstore::book
