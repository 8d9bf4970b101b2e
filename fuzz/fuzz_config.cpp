// Configuration files (--config FILE, TOML/INI) as both services read them:
// the input is written to a file and parsed with the common options and a
// `serve` subcommand's port, by the strict reader (sections, unknown keys,
// line numbers, suggestions).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "common/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/bookstore-fuzz-config-" + std::to_string(getpid()) + ".toml";
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  } else {
    return 0;
  }
  CLI::App app("fuzz");
  bookstore::CommonConfig config;
  bookstore::AddCommonOptions(app, config);
  int port = 0;
  bookstore::AddIntOption(*app.add_subcommand("serve"), "--port", "FUZZ_PORT", port, 0, 65535,
                          "port");
  const char* argv[] = {"/usr/bin/bookstore-book", "--config", path.c_str(), "serve"};
  if (!bookstore::ParseCommandLine(app, 4, argv)) {
    try {
      bookstore::Finalize(config);
    } catch (const bookstore::ConfigError&) {
    }
  }
  return 0;
}
