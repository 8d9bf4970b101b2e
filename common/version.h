#pragma once
// What `--version` prints: the program's version and the libraries that
// decide its behaviour (storage engines, crypto), as linked at run time.

#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace bookstore {

// The project version, "0.1.0".
std::string_view Version();

// "bookstore-book 0.1.0" and a second line with the libraries' versions;
// `program` may be a path (its last component is used). Thread-safe.
std::string VersionText(std::string_view program);

// Adds --version (prints VersionText of the program, exits 0) to `app`,
// which must outlive its parsing.
void AddVersionFlag(CLI::App& app);

}  // namespace bookstore
