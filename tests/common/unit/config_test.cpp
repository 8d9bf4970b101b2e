// Configuration layers (defaults < file < environment < flags) and
// one-line errors naming the setting.

#include "common/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <map>

#include "common/config_file.h"
#include "tests/support/test_env.h"

namespace bookstore {
namespace {

const char* const kVars[] = {"BOOKSTORE_DATABASE_URL",
                             "BOOKSTORE_DATA_DIR",
                             "LOG_LEVEL",
                             "BOOKSTORE_CORS_ORIGINS",
                             "BOOKSTORE_BIND_ADDRESS",
                             "BOOKSTORE_IO_THREADS",
                             "BOOKSTORE_WORKER_THREADS",
                             "BOOKSTORE_SQLITE_SYNCHRONOUS",
                             "BOOKSTORE_SQLITE_PIPELINE",
                             "BOOKSTORE_HEADER_TIMEOUT_MS",
                             "BOOKSTORE_IDLE_TIMEOUT_MS",
                             "BOOKSTORE_ACCESS_LOG",
                             "BOOKSTORE_TRUSTED_PROXIES",
                             "BOOKSTORE_MAX_CONNECTIONS",
                             "PASSWORD_HASH_OPS",
                             "PASSWORD_HASH_MEM_KIB",
                             "AUTH_ISSUER",
                             "AUTH_AUDIENCE",
                             "TEST_PORT"};

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kVars) {
      if (const char* v = std::getenv(name)) saved_[name] = v;
      ::unsetenv(name);
    }
  }
  void TearDown() override {
    for (const char* name : kVars) ::unsetenv(name);
    for (const auto& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
  }
  void Env(const char* name, const char* value) { ::setenv(name, value, 1); }

  // Parses `args` (after the program name) into a fresh config.
  CommonConfig Parse(std::vector<std::string> args, bool finalize = true) {
    CommonConfig config;
    CLI::App app("test");
    AddCommonOptions(app, config);
    AddIntOption(app, "--port", "TEST_PORT", port_, 1, 65535, "a service port");
    std::vector<const char*> argv{"test"};
    for (const auto& a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    if (finalize) Finalize(config);
    return config;
  }
  std::string WriteFile(const std::string& text) {
    const std::string path = dir_.File("bookstore.toml");
    std::ofstream(path) << text;
    return path;
  }
  // The ConfigError message of parsing `args` and finalizing.
  std::string ErrorOf(std::vector<std::string> args) {
    try {
      Parse(std::move(args));
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no error)";
  }

  std::map<std::string, std::string> saved_;
  test::TempDir dir_;
  int port_ = 5000;
};

TEST_F(ConfigTest, Defaults) {
  const CommonConfig c = Parse({});
  EXPECT_EQ(c.data_dir, "data");
  EXPECT_EQ(c.database_url, "sqlite:data/bookstore.db");
  EXPECT_EQ(c.log_level, "info");
  EXPECT_EQ(c.cors_origins,
            (std::vector<std::string>{"http://localhost:3000", "http://localhost:3001",
                                      "http://127.0.0.1:3000", "http://127.0.0.1:3001"}));
  EXPECT_EQ(c.bind_address, "0.0.0.0");
  EXPECT_EQ(c.io_threads, 0);
  EXPECT_TRUE(c.sqlite_synchronous_full);
  EXPECT_TRUE(c.sqlite_pipeline);
  EXPECT_EQ(c.header_timeout_ms, 30'000);
  EXPECT_EQ(c.idle_timeout_ms, 60'000);
  EXPECT_TRUE(c.access_log);
  EXPECT_EQ(c.password_cost.ops, 2u);
  EXPECT_EQ(c.password_cost.mem_bytes, 19u << 20);
  EXPECT_EQ(c.issuer, "http://localhost:5000");
  EXPECT_EQ(c.audience, "bookstore-api");
  EXPECT_EQ(port_, 5000);
}

TEST_F(ConfigTest, EnvironmentOverridesDefault) {
  Env("BOOKSTORE_DATA_DIR", "/var/lib/bookstore");
  Env("LOG_LEVEL", "DEBUG");
  Env("BOOKSTORE_CORS_ORIGINS", "https://shop.example, http://localhost:8080");
  Env("BOOKSTORE_IO_THREADS", "3");
  Env("BOOKSTORE_SQLITE_SYNCHRONOUS", "normal");
  Env("BOOKSTORE_SQLITE_PIPELINE", "OFF");
  Env("BOOKSTORE_ACCESS_LOG", "false");
  Env("PASSWORD_HASH_OPS", "3");
  Env("PASSWORD_HASH_MEM_KIB", "8");
  Env("AUTH_ISSUER", "https://auth.example/");
  Env("TEST_PORT", "6000");
  Env("BOOKSTORE_TRUSTED_PROXIES", "10.0.0.0/8, fd00::1");
  Env("BOOKSTORE_MAX_CONNECTIONS", "500");
  const CommonConfig c = Parse({});
  EXPECT_EQ(c.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "fd00::1"}));
  EXPECT_EQ(c.max_connections, 500);
  EXPECT_EQ(c.database_url, "sqlite:/var/lib/bookstore/bookstore.db");
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.cors_origins,
            (std::vector<std::string>{"https://shop.example", "http://localhost:8080"}));
  EXPECT_EQ(c.io_threads, 3);
  EXPECT_FALSE(c.sqlite_synchronous_full);
  EXPECT_FALSE(c.sqlite_pipeline);
  EXPECT_FALSE(c.access_log);
  EXPECT_EQ(c.password_cost.ops, 3u);
  EXPECT_EQ(c.password_cost.mem_bytes, 8u * 1024);
  EXPECT_EQ(c.issuer, "https://auth.example/");  // kept exactly as given
  EXPECT_EQ(port_, 6000);
}

TEST_F(ConfigTest, FileOverridesDefault) {
  const std::string file = WriteFile(
      "log-level = \"warn\"\nio-threads = 5\nport = 7000\n"
      "cors-origins = [\"https://a.example\", \"https://b.example:8443\"]\n");
  const CommonConfig c = Parse({"--config", file});
  EXPECT_EQ(c.log_level, "warn");
  EXPECT_EQ(c.io_threads, 5);
  EXPECT_EQ(c.cors_origins,
            (std::vector<std::string>{"https://a.example", "https://b.example:8443"}));
  EXPECT_EQ(port_, 7000);
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  const std::string file = WriteFile("log-level = \"warn\"\nio-threads = 5\nport = 7000\n");
  Env("LOG_LEVEL", "error");
  Env("TEST_PORT", "6000");
  const CommonConfig c = Parse({"--config", file});
  EXPECT_EQ(c.log_level, "error");
  EXPECT_EQ(c.io_threads, 5);  // not in the environment: the file's
  EXPECT_EQ(port_, 6000);
}

TEST_F(ConfigTest, FlagOverridesEnvironment) {
  Env("LOG_LEVEL", "error");
  Env("TEST_PORT", "6000");
  const CommonConfig c = Parse({"--log-level", "trace", "--port", "6001"});
  EXPECT_EQ(c.log_level, "trace");
  EXPECT_EQ(port_, 6001);
}

TEST_F(ConfigTest, FlagOverridesFileAndEnvironment) {
  const std::string file = WriteFile("log-level = \"warn\"\n");
  Env("LOG_LEVEL", "error");
  EXPECT_EQ(Parse({"--config", file, "--log-level", "debug"}).log_level, "debug");
}

TEST_F(ConfigTest, EmptyEnvironmentVariableCountsAsUnset) {
  const std::string file = WriteFile("log-level = \"warn\"\n");
  Env("LOG_LEVEL", "");
  EXPECT_EQ(Parse({"--config", file}).log_level, "warn");
}

TEST_F(ConfigTest, BadValuesNameTheSettingOnOneLine) {
  const std::map<std::string, std::vector<std::string>> cases = {
      {"invalid BOOKSTORE_DATABASE_URL 'mysql://x': expected sqlite:PATH or postgresql://...",
       {"--database-url", "mysql://x"}},
      {"invalid BOOKSTORE_DATABASE_URL 'mysql://u:***@h/db'",
       {"--database-url", "mysql://u:pw@h/db"}},
      {"invalid BOOKSTORE_IO_THREADS 'abc': expected an integer in [0, 1024]",
       {"--io-threads", "abc"}},
      {"invalid BOOKSTORE_WORKER_THREADS '-1'", {"--worker-threads", "-1"}},
      {"invalid LOG_LEVEL 'loud'", {"--log-level", "loud"}},
      {"invalid BOOKSTORE_CORS_ORIGINS 'http://a.example/path'",
       {"--cors-origins", "http://a.example/path"}},
      {"invalid BOOKSTORE_CORS_ORIGINS '*'", {"--cors-origins", "*"}},
      {"invalid BOOKSTORE_SQLITE_SYNCHRONOUS 'OFF'", {"--sqlite-synchronous", "OFF"}},
      {"invalid BOOKSTORE_SQLITE_PIPELINE 'on': expected auto or off", {"--sqlite-pipeline", "on"}},
      {"invalid BOOKSTORE_HEADER_TIMEOUT_MS '0'", {"--header-timeout-ms", "0"}},
      {"invalid BOOKSTORE_IDLE_TIMEOUT_MS '1x'", {"--idle-timeout-ms", "1x"}},
      {"invalid BOOKSTORE_ACCESS_LOG 'maybe': expected true or false", {"--access-log", "maybe"}},
      {"invalid PASSWORD_HASH_OPS '0'", {"--password-hash-ops", "0"}},
      {"invalid PASSWORD_HASH_MEM_KIB '4'", {"--password-hash-mem-kib", "4"}},
      {"invalid AUTH_ISSUER 'localhost:5000'", {"--issuer", "localhost:5000"}},
      {"invalid AUTH_ISSUER 'http://x/?a=1'", {"--issuer", "http://x/?a=1"}},
      {"invalid AUTH_AUDIENCE 'a b'", {"--audience", "a b"}},
      {"invalid BOOKSTORE_BIND_ADDRESS 'a b'", {"--bind", "a b"}},
      {"invalid BOOKSTORE_TRUSTED_PROXIES 'gateway': expected an IP address or CIDR range",
       {"--trusted-proxies", "gateway"}},
      {"invalid BOOKSTORE_MAX_CONNECTIONS '-1'", {"--max-connections", "-1"}},
      {"invalid TEST_PORT '0': expected an integer in [1, 65535]", {"--port", "0"}},
  };
  for (const auto& [expected, args] : cases) {
    const std::string message = ErrorOf(args);
    EXPECT_EQ(message.rfind(expected, 0), 0u) << "got: " << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST_F(ConfigTest, BadEnvironmentValueNamesTheVariable) {
  Env("BOOKSTORE_IO_THREADS", "many");
  EXPECT_EQ(ErrorOf({}), "invalid BOOKSTORE_IO_THREADS 'many': expected an integer in [0, 1024]");
}

TEST_F(ConfigTest, AcceptsValidVariants) {
  const CommonConfig c = Parse({"--database-url", "postgresql://u:p@db:5432/bookstore", "--bind",
                                "::1", "--cors-origins", "http://[::1]:3000,https://shop.example",
                                "--issuer", "https://auth.example:8443/realm"});
  EXPECT_EQ(c.database_url, "postgresql://u:p@db:5432/bookstore");
  EXPECT_EQ(c.bind_address, "::1");
  EXPECT_EQ(c.cors_origins.size(), 2u);
  EXPECT_EQ(c.issuer, "https://auth.example:8443/realm");
  EXPECT_EQ(Parse({"--database-url", "sqlite:///tmp/x.db"}).database_url, "sqlite:///tmp/x.db");
}

TEST_F(ConfigTest, ParseCommandLineReturnsExitCodeOnBadInput) {
  CommonConfig config;
  CLI::App app("test");
  AddCommonOptions(app, config);
  const char* bad[] = {"test", "--io-threads", "x"};
  EXPECT_EQ(ParseCommandLine(app, 3, bad), 2);
  CommonConfig config2;
  CLI::App app2("test");
  AddCommonOptions(app2, config2);
  const char* unknown[] = {"test", "--no-such-flag"};
  EXPECT_EQ(ParseCommandLine(app2, 2, unknown), 2);
  CommonConfig config3;
  CLI::App app3("test");
  AddCommonOptions(app3, config3);
  const char* good[] = {"test", "--io-threads", "2"};
  EXPECT_EQ(ParseCommandLine(app3, 3, good), std::nullopt);
  EXPECT_EQ(config3.io_threads, 2);
}

TEST_F(ConfigTest, ParseErrorLineNamesTheEnvironmentVariable) {
  // A plain CLI11 option of a subcommand with a typed target.
  CLI::App app("test");
  CommonConfig config;
  AddCommonOptions(app, config);
  int ttl = 0;
  app.add_subcommand("serve")->add_option("--ttl", ttl)->envname("TEST_PORT");
  Env("TEST_PORT", "soon");
  const char* argv[] = {"test", "serve"};
  try {
    app.parse(2, argv);
    FAIL() << "parse accepted a non-integer";
  } catch (const CLI::ParseError& e) {
    EXPECT_EQ(ParseErrorLine(app, e), "invalid TEST_PORT 'soon': not a valid value for --ttl");
  }
}

// A service-shaped program: "bookstore-<service>" with its port on the
// `serve` subcommand, as bookstore-book has it.
struct ServiceParse {
  std::string error;  // the located message, "" when parsing succeeded
  CommonConfig config;
  int port = 0;
};

ServiceParse ParseService(const std::string& service, const std::string& file,
                          std::vector<std::string> args) {
  ServiceParse out;
  CLI::App app("a service");
  AddCommonOptions(app, out.config);
  CLI::App* serve = app.add_subcommand("serve");
  AddIntOption(*serve, "--port", "TEST_PORT", out.port, 1, 65535, "a service port");
  app.add_subcommand("init-db");
  const std::string program = "/usr/bin/bookstore-" + service;
  std::vector<const char*> argv{program.c_str()};
  argv.push_back("--config");
  argv.push_back(file.c_str());
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const ConfigError& e) {
    out.error = LocateInConfigFile(app, e.what());
  } catch (const CLI::ParseError& e) {
    out.error = LocateInConfigFile(app, ParseErrorLine(app, e));
  }
  return out;
}

TEST_F(ConfigTest, FileKeysOfASubcommandApplyAtTopLevel) {
  // `port` lives on `serve`; written at the top of the file it still applies.
  const auto r = ParseService("book", WriteFile("log-level = \"warn\"\nport = 5055\n"), {"serve"});
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.port, 5055);
  EXPECT_EQ(r.config.log_level, "warn");
}

TEST_F(ConfigTest, UnknownFileKeyIsAnErrorNamingFileLineAndTheClosestKey) {
  const std::string file = WriteFile("# settings\nlog-level = \"warn\"\n\nprot = 5001\n");
  EXPECT_EQ(ParseService("book", file, {"serve"}).error,
            file +
                ":4: unknown setting 'prot'; did you mean 'port'? (keys are the long options "
                "without dashes: see --help)");
  EXPECT_NE(ParseService("book", WriteFile("colour = 1\n"), {"serve"})
                .error.find(":1: unknown setting 'colour' (keys"),
            std::string::npos);
}

TEST_F(ConfigTest, UnknownSectionIsAnError) {
  const std::string file = WriteFile("log-level = \"warn\"\n[database]\nurl = 1\n");
  const std::string error = ParseService("book", file, {"serve"}).error;
  EXPECT_EQ(error.rfind(file + ":2: unknown section [database]", 0), 0u) << error;
}

TEST_F(ConfigTest, ServiceSectionsLetOneFileConfigureBothServices) {
  const std::string file = WriteFile(
      "log-level = \"warn\"\n[auth]\nport = 6000\nlog-level = \"debug\"\n"
      "[book]\nport = 6001\n");
  const auto book = ParseService("book", file, {"serve"});
  EXPECT_EQ(book.error, "");
  EXPECT_EQ(book.port, 6001);
  EXPECT_EQ(book.config.log_level, "warn");
  const auto auth = ParseService("auth", file, {"serve"});
  EXPECT_EQ(auth.error, "");
  EXPECT_EQ(auth.port, 6000);
  EXPECT_EQ(auth.config.log_level, "debug");
  // A typo in the other service's section is that service's to report.
  const std::string typo = WriteFile("[auth]\nprot = 6000\n");
  EXPECT_EQ(ParseService("book", typo, {"serve"}).error, "");
  EXPECT_NE(ParseService("auth", typo, {"serve"}).error.find(":2: unknown setting 'prot'"),
            std::string::npos);
}

TEST_F(ConfigTest, BadFileValueNamesTheFileLineAndKey) {
  const std::string file = WriteFile("log-level = \"warn\"\nport = 99999\n");
  EXPECT_EQ(ParseService("book", file, {"serve"}).error,
            file + ":2: port: invalid TEST_PORT '99999': expected an integer in [1, 65535]");
  // From the environment, the same value names only the variable.
  Env("TEST_PORT", "99999");
  EXPECT_EQ(ParseService("book", WriteFile("log-level = \"warn\"\n"), {"serve"}).error,
            "invalid TEST_PORT '99999': expected an integer in [1, 65535]");
}

TEST_F(ConfigTest, HelpShowsTheKindOfEveryValue) {
  CommonConfig config;
  int port = 0;
  CLI::App app("test");
  AddCommonOptions(app, config);
  AddIntOption(app, "--port", "TEST_PORT", port, 1, 65535, "a service port");
  const std::string help = app.help();
  EXPECT_NE(help.find("--port INT=0"), std::string::npos) << help;
  EXPECT_NE(help.find("--io-threads INT=0"), std::string::npos) << help;
  EXPECT_NE(help.find("--access-log BOOL=true"), std::string::npos) << help;
  EXPECT_NE(help.find("--config FILE"), std::string::npos) << help;
  // Only the audience is free text.
  size_t texts = 0;
  for (size_t at = help.find(" TEXT"); at != std::string::npos; at = help.find(" TEXT", at + 1)) {
    ++texts;
  }
  EXPECT_EQ(texts, 1u) << help;
}

TEST_F(ConfigTest, MissingConfigFileIsAnError) {
  EXPECT_THROW(Parse({"--config", dir_.File("absent.toml")}), CLI::ParseError);
}

}  // namespace
}  // namespace bookstore
