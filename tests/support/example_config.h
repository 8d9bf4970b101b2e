#pragma once
// docs/bookstore.example.toml against a service's real options: the file
// parses, and names every long option (as "key =" or "# key =").

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <sstream>
#include <string>

namespace bookstore::test {

inline std::string ExampleConfigPath() {
  return std::string(BOOKSTORE_SOURCE_DIR) + "/docs/bookstore.example.toml";
}

// Adds a failure for each long option of `app` (and its subcommands) the
// example file does not mention.
inline void ExpectExampleConfigNamesEveryOption(const CLI::App& app) {
  std::ifstream in(ExampleConfigPath());
  std::stringstream text;
  text << in.rdbuf();
  const std::string file = text.str();
  ASSERT_FALSE(file.empty());
  for (const CLI::Option* opt : app.get_options()) {
    const std::string& name = opt->get_single_name();
    if (opt->get_lnames().empty() || !opt->get_configurable() || name == "help" ||
        name == "config") {
      continue;
    }
    const bool set = file.find("\n" + name + " = ") != std::string::npos;
    const bool shown = file.find("\n# " + name + " = ") != std::string::npos;  // no default
    EXPECT_TRUE(set || shown) << name << " is missing from " << ExampleConfigPath();
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    ExpectExampleConfigNamesEveryOption(*sub);
  }
}

}  // namespace bookstore::test
