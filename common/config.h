#pragma once
// Configuration shared by both services. Precedence: defaults < config file
// (--config FILE, TOML/INI) < environment < command-line flags. A bad value
// stops start-up with one line naming it (ConfigError::what()).

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/passwords.h"

namespace CLI {
class App;
}

namespace bookstore {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CommonConfig {
  std::string database_url;  // default: sqlite:<data_dir>/bookstore.db
  std::string data_dir = "data";  // BOOKSTORE_DATA_DIR
  std::string log_level = "info";
  std::vector<std::string> cors_origins{"http://localhost:3000", "http://localhost:3001"};
  std::string bind_address = "0.0.0.0";
  int io_threads = 0;
  int worker_threads = 0;
  bool sqlite_synchronous_full = true;  // BOOKSTORE_SQLITE_SYNCHRONOUS=FULL|NORMAL
  int header_timeout_ms = 30'000;
  int idle_timeout_ms = 60'000;
  bool access_log = true;
  PasswordCost password_cost;  // PASSWORD_HASH_OPS, PASSWORD_HASH_MEM_KIB
  std::string issuer = "http://localhost:5000";  // AUTH_ISSUER
  std::string audience = "bookstore-api";        // AUTH_AUDIENCE
};

// Adds the common options (with their environment names) to `app`, binding
// into `config`. Call Finalize after app.parse().
void AddCommonOptions(CLI::App& app, CommonConfig& config);

// Fills derived defaults (database URL from data_dir), validates every value,
// throws ConfigError("invalid BOOKSTORE_DATABASE_URL: ...") on the first bad one.
void Finalize(CommonConfig& config);

}  // namespace bookstore
