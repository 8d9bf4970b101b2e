#pragma once
// The configuration-file reader of both services (--config FILE, TOML/INI):
// strict, so a typo stops start-up instead of being ignored.
//
// Keys are the long options without dashes (`port`, `log-level`). Top-level
// keys and the keys of the section named after the service (`[auth]` in
// bookstore-auth, `[book]` in bookstore-book) apply; the other service's
// section is skipped, so one file can configure both; a section naming a
// subcommand (`[serve]`) applies to it. Any other key or section is an error
// naming the file and line (with the closest known key). Keys whose
// environment variable is set are dropped, so the order stays defaults <
// file < environment < flags.

#include <memory>
#include <string>

namespace CLI {
class App;
class Config;
}  // namespace CLI

namespace bookstore {

// The reader for `root` (the program's App, named "bookstore-<service>"),
// which must outlive it. Install with root.config_formatter(...).
std::shared_ptr<CLI::Config> StrictConfigReader(const CLI::App* root);

// `message` (a ConfigError or parse error about the option with environment
// variable ENV, "invalid ENV ...") prefixed with "FILE:LINE: key: " when
// that option's value came from the configuration file that `root`'s reader
// read; otherwise `message` unchanged.
std::string LocateInConfigFile(const CLI::App& root, const std::string& message);

}  // namespace bookstore
