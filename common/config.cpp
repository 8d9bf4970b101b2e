// Command-line, config-file and environment options (CLI11). The
// configuration file is read by config_file.cpp's strict reader.

#include "common/config.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <iostream>

#include "common/config_file.h"

namespace bookstore {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

[[noreturn]] void Invalid(const std::string& env, const std::string& value,
                          const std::string& expected) {
  throw ConfigError("invalid " + env + " '" + value + "': expected " + expected);
}

int ParseInt(const std::string& env, const std::string& value, long long min, long long max) {
  long long v = 0;
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, v);
  if (value.empty() || ec != std::errc() || ptr != end || v < min || v > max) {
    Invalid(env, value, "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return static_cast<int>(v);
}

bool ParseBool(const std::string& env, const std::string& value) {
  const std::string v = Lower(value);
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  Invalid(env, value, "true or false");
}

// Splits comma separated entries (environment form) and drops blanks.
std::vector<std::string> SplitList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& value : values) {
    size_t start = 0;
    while (start <= value.size()) {
      size_t end = value.find(',', start);
      if (end == std::string::npos) end = value.size();
      std::string item = value.substr(start, end - start);
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (!item.empty()) out.push_back(std::move(item));
      start = end + 1;
    }
  }
  return out;
}

using StringSetter = std::function<void(const std::string&)>;

CLI::Option* AddSetting(CLI::App& app, const std::string& flag, const std::string& env,
                        const std::string& help, const std::string& default_text,
                        StringSetter set) {
  return app.add_option_function<std::string>(flag, std::move(set), help)
      ->envname(env)
      ->default_str(default_text);
}

}  // namespace

void AddCommonOptions(CLI::App& app, CommonConfig& c) {
  app.config_formatter(StrictConfigReader(&app));
  app.set_config("--config", "",
                 "Read settings from a TOML/INI file: keys are the long options, [auth] and "
                 "[book] sections for one service; docs/bookstore.example.toml lists them all")
      ->type_name("FILE");

  AddSetting(app, "--database-url", "BOOKSTORE_DATABASE_URL",
             "sqlite:PATH or postgresql://... (default sqlite:<data-dir>/bookstore.db)", "",
             [&c](const std::string& v) { c.database_url = v; });
  AddSetting(app, "--data-dir", "BOOKSTORE_DATA_DIR", "Folder for the SQLite file and keys",
             c.data_dir, [&c](const std::string& v) { c.data_dir = v; });
  AddSetting(app, "--log-level", "LOG_LEVEL", "trace|debug|info|warn|error|off", c.log_level,
             [&c](const std::string& v) { c.log_level = Lower(v); });
  app.add_option_function<std::vector<std::string>>(
         "--cors-origins",
         [&c](const std::vector<std::string>& v) { c.cors_origins = SplitList(v); },
         "Allowed CORS origins (comma separated)")
      ->envname("BOOKSTORE_CORS_ORIGINS")
      ->default_str(
          "http://localhost:3000,http://localhost:3001,http://127.0.0.1:3000,http://"
          "127.0.0.1:3001");
  app.add_option_function<std::vector<std::string>>(
         "--trusted-proxies",
         [&c](const std::vector<std::string>& v) { c.trusted_proxies = SplitList(v); },
         "Peers (addresses or CIDR ranges, comma separated) whose X-Forwarded-For names the "
         "client")
      ->envname("BOOKSTORE_TRUSTED_PROXIES");
  AddIntOption(app, "--max-connections", "BOOKSTORE_MAX_CONNECTIONS", c.max_connections, 0,
               10'000'000,
               "Open connections at most (0: 10,000 or what the file-descriptor limit allows)");
  AddSetting(app, "--bind", "BOOKSTORE_BIND_ADDRESS", "Listen address", c.bind_address,
             [&c](const std::string& v) { c.bind_address = v; });
  AddIntOption(app, "--io-threads", "BOOKSTORE_IO_THREADS", c.io_threads, 0, 1024,
               "I/O threads, each with its own event loop (0: cores - 1, at least 1; one core "
               "is left to the worker pool and the OS)");
  AddIntOption(app, "--worker-threads", "BOOKSTORE_WORKER_THREADS", c.worker_threads, 0, 1024,
               "Worker threads for blocking work (0: automatic)");
  AddSetting(app, "--sqlite-synchronous", "BOOKSTORE_SQLITE_SYNCHRONOUS", "FULL or NORMAL", "FULL",
             [&c](const std::string& v) {
               const std::string mode = Lower(v);
               if (mode != "full" && mode != "normal") {
                 Invalid("BOOKSTORE_SQLITE_SYNCHRONOUS", v, "FULL or NORMAL");
               }
               c.sqlite_synchronous_full = mode == "full";
             });
  AddSetting(app, "--sqlite-pipeline", "BOOKSTORE_SQLITE_PIPELINE",
             "auto (pipelined group commits on a crash-tested SQLite) or off (plain "
             "synchronous=FULL commits)",
             "auto", [&c](const std::string& v) {
               const std::string mode = Lower(v);
               if (mode != "auto" && mode != "off") {
                 Invalid("BOOKSTORE_SQLITE_PIPELINE", v, "auto or off");
               }
               c.sqlite_pipeline = mode == "auto";
             });
  AddIntOption(app, "--header-timeout-ms", "BOOKSTORE_HEADER_TIMEOUT_MS", c.header_timeout_ms, 1,
               3'600'000, "Time allowed for a complete request header");
  AddIntOption(app, "--idle-timeout-ms", "BOOKSTORE_IDLE_TIMEOUT_MS", c.idle_timeout_ms, 1,
               3'600'000, "Idle keep-alive connection limit");
  AddSetting(app, "--access-log", "BOOKSTORE_ACCESS_LOG", "true or false", "true",
             [&c](const std::string& v) { c.access_log = ParseBool("BOOKSTORE_ACCESS_LOG", v); });
  AddSetting(app, "--password-hash-ops", "PASSWORD_HASH_OPS", "argon2id passes (>= 1)",
             std::to_string(c.password_cost.ops), [&c](const std::string& v) {
               c.password_cost.ops =
                   static_cast<unsigned long long>(ParseInt("PASSWORD_HASH_OPS", v, 1, 100));
             });
  AddSetting(app, "--password-hash-mem-kib", "PASSWORD_HASH_MEM_KIB", "argon2id memory (>= 8 KiB)",
             std::to_string(c.password_cost.mem_bytes / 1024), [&c](const std::string& v) {
               c.password_cost.mem_bytes =
                   static_cast<size_t>(ParseInt("PASSWORD_HASH_MEM_KIB", v, 8, 4 << 20)) * 1024;
             });
  AddStringOption(app, "--issuer", "AUTH_ISSUER", c.issuer, "Token issuer URL", &CheckHttpUrl);
  AddSetting(app, "--audience", "AUTH_AUDIENCE", "Access token audience", c.audience,
             [&c](const std::string& v) { c.audience = v; });
  // What --help shows instead of CLI11's TEXT for every string option.
  const std::pair<const char*, const char*> kinds[] = {{"--database-url", "URL"},
                                                       {"--data-dir", "DIR"},
                                                       {"--log-level", "LEVEL"},
                                                       {"--cors-origins", "ORIGIN"},
                                                       {"--trusted-proxies", "CIDR"},
                                                       {"--bind", "ADDRESS"},
                                                       {"--sqlite-synchronous", "MODE"},
                                                       {"--sqlite-pipeline", "MODE"},
                                                       {"--access-log", "BOOL"},
                                                       {"--password-hash-ops", "INT"},
                                                       {"--password-hash-mem-kib", "INT"},
                                                       {"--issuer", "URL"},
                                                       {"--audience", "TEXT"}};
  for (const auto& [flag, kind] : kinds) app.get_option(flag)->type_name(kind);
}

CLI::Option* AddIntOption(CLI::App& app, const std::string& flag, const std::string& env,
                          int& target, int min, int max, const std::string& help) {
  return AddSetting(app, flag, env, help, std::to_string(target),
                    [&target, env, min, max](const std::string& v) {
                      target = ParseInt(env, v, min, max);
                    })
      ->type_name("INT");
}

CLI::Option* AddStringOption(CLI::App& app, const std::string& flag, const std::string& env,
                             std::string& target, const std::string& help,
                             std::string (*validate)(const std::string&)) {
  return AddSetting(app, flag, env, help, target, [&target, env, validate](const std::string& v) {
    if (validate != nullptr) {
      if (const std::string expected = validate(v); !expected.empty()) Invalid(env, v, expected);
    }
    target = v;
  });
}

namespace {

// The option called `name` ("--port") in `app` or any of its subcommands.
const CLI::Option* FindOption(const CLI::App& app, const std::string& name) {
  if (const CLI::Option* opt = app.get_option_no_throw(name)) return opt;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (const CLI::Option* opt = FindOption(*sub, name)) return opt;
  }
  return nullptr;
}

std::string EnvOf(const CLI::App& app, const std::string& name) {
  const CLI::Option* opt = FindOption(app, name);
  return opt == nullptr ? "" : opt->get_envname();
}

}  // namespace

std::string ParseErrorLine(const CLI::App& app, const CLI::ParseError& error) {
  std::string text = error.what();
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text == "A subcommand is required") {
    // The deepest command given ("client" in `bookstore-auth client`) lacks one.
    const CLI::App* at = &app;
    for (bool deeper = true; deeper;) {
      deeper = false;
      for (const CLI::App* sub : at->get_subcommands()) {
        at = sub;
        deeper = true;
        break;
      }
    }
    std::string names;
    for (const CLI::App* sub : at->get_subcommands([](const CLI::App*) { return true; })) {
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    return "a command is required: " + names + " (--help describes them)";
  }
  // CLI11's conversion failure: "Could not convert: --port = abc".
  static const std::string kConvert = "Could not convert: ";
  if (text.rfind(kConvert, 0) == 0) {
    const size_t eq = text.find(" = ", kConvert.size());
    if (eq != std::string::npos) {
      const std::string name = text.substr(kConvert.size(), eq - kConvert.size());
      const std::string value = text.substr(eq + 3);
      const std::string env = EnvOf(app, name);
      return "invalid " + (env.empty() ? name : env) + " '" + value + "': not a valid value for " +
             name;
    }
  }
  // Validation failures: "--name: message".
  if (const size_t colon = text.find(": ");
      text.rfind("--", 0) == 0 && colon != std::string::npos) {
    const std::string name = text.substr(0, colon);
    const std::string env = EnvOf(app, name);
    if (!env.empty()) return "invalid " + env + " (" + name + "): " + text.substr(colon + 2);
  }
  return text;
}

std::optional<int> ParseCommandLine(CLI::App& app, int argc, const char* const* argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << app.get_name() << ": " << LocateInConfigFile(app, ParseErrorLine(app, e))
              << std::endl;
    return 2;
  } catch (const ConfigError& e) {
    std::cerr << app.get_name() << ": " << LocateInConfigFile(app, e.what()) << std::endl;
    return 2;
  }
  return std::nullopt;
}

}  // namespace bookstore
