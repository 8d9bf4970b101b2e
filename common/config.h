#pragma once
// Configuration shared by both services. Precedence: defaults < config file
// (--config FILE, TOML/INI) < environment < command-line flags. A bad value
// stops start-up with one line naming it (ConfigError::what()).

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/passwords.h"

namespace CLI {
class App;
class Option;
class ParseError;
}  // namespace CLI

namespace bookstore {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CommonConfig {
  std::string database_url;       // default: sqlite:<data_dir>/bookstore.db
  std::string data_dir = "data";  // BOOKSTORE_DATA_DIR
  std::string log_level = "info";
  std::vector<std::string> cors_origins{"http://localhost:3000", "http://localhost:3001",
                                        "http://127.0.0.1:3000", "http://127.0.0.1:3001"};
  std::string bind_address = "0.0.0.0";
  int io_threads = 0;
  int worker_threads = 0;
  bool sqlite_synchronous_full = true;  // BOOKSTORE_SQLITE_SYNCHRONOUS=FULL|NORMAL
  bool sqlite_pipeline = true;          // BOOKSTORE_SQLITE_PIPELINE=auto|off
  int header_timeout_ms = 30'000;
  int idle_timeout_ms = 60'000;
  bool access_log = true;
  std::vector<std::string> trusted_proxies;      // BOOKSTORE_TRUSTED_PROXIES
  int max_connections = 0;                       // BOOKSTORE_MAX_CONNECTIONS; 0: automatic
  PasswordCost password_cost;                    // PASSWORD_HASH_OPS, PASSWORD_HASH_MEM_KIB
  std::string issuer = "http://localhost:5000";  // AUTH_ISSUER
  std::string audience = "bookstore-api";        // AUTH_AUDIENCE
};

// Adds the common options (with their environment names) and --config FILE
// to `app`, binding into `config` (which must outlive app.parse()). Call on
// the root app, before adding subcommands. Installs a config-file reader that
// skips keys whose environment variable is set, so the order is
// defaults < file < environment < flags for every option that has an
// environment name (also those added with AddIntOption/AddStringOption).
// A value that does not parse (e.g. "abc" for an integer) makes app.parse()
// throw ConfigError. Empty environment variables count as unset.
void AddCommonOptions(CLI::App& app, CommonConfig& config);

// Fills derived defaults (database URL from data_dir), validates every value,
// throws ConfigError("invalid BOOKSTORE_DATABASE_URL 'x': expected ...") on the
// first bad one.
void Finalize(CommonConfig& config);

// A service option `flag` ("--auth-port") that also reads environment
// variable `env` (and the config file key without dashes). Values outside
// [min, max] or not an integer make app.parse() throw
// ConfigError("invalid AUTH_PORT 'x': expected an integer in [1, 65535]").
CLI::Option* AddIntOption(CLI::App& app, const std::string& flag, const std::string& env,
                          int& target, int min, int max, const std::string& help);
// A string option with an environment name; `validate` (optional) returns
// an empty string when the value is fine, else what was expected
// ("an absolute http(s) URL"), which becomes a ConfigError.
CLI::Option* AddStringOption(CLI::App& app, const std::string& flag, const std::string& env,
                             std::string& target, const std::string& help,
                             std::string (*validate)(const std::string&) = nullptr);

// One line describing a CLI11 parse error, naming the environment variable
// of the option when it has one.
std::string ParseErrorLine(const CLI::App& app, const CLI::ParseError& error);

// Parses the command line. Returns std::nullopt to go on, or the exit code
// to return from main: 0 after printing --help, 2 after printing one line to
// stderr for a bad flag, file or value (CLI11 error or ConfigError).
std::optional<int> ParseCommandLine(CLI::App& app, int argc, const char* const* argv);

// Building blocks of the validation, for services' own settings. Each
// returns "" when `value` is fine, else what was expected.
std::string CheckHttpUrl(const std::string& value);     // absolute http(s) URL
std::string CheckCorsOrigin(const std::string& value);  // http(s)://host[:port]

}  // namespace bookstore
