#pragma once
// The one JSON parser for outside bytes (request bodies, JWT headers and
// claims): linear, depth-limited, and strict where Boost.JSON is lenient —
// an object naming a key twice is refused (Boost keeps one silently), and
// optionally a number a double cannot hold as written (money: 1.1000...01
// would otherwise become 1.1). Thread-safe (no shared state).

#include <memory>
#include <string>
#include <string_view>

namespace boost::json {
class value;
}

namespace bookstore::json {

enum class JsonProblem { kNone, kSyntax, kTooDeep, kDuplicateKey, kInexactNumber };

struct StrictOptions {
  int max_depth = 64;          // arrays and objects: 64 levels ok, 65 not
  bool exact_numbers = false;  // refuse numbers a double cannot hold exactly
};

struct StrictResult {
  std::shared_ptr<boost::json::value> value;  // null unless problem == kNone
  JsonProblem problem = JsonProblem::kNone;
  std::string detail;  // the duplicate key or the inexact number (for messages)
};

// Parses one JSON text (whitespace around it allowed, nothing else).
StrictResult ParseStrict(std::string_view text, StrictOptions options = {});

// True when the decimal number `text` (JSON syntax) and `shortest` (the
// shortest round-trip text of the double parsed from it) denote the same
// value.
bool SameDecimal(std::string_view text, std::string_view shortest);

}  // namespace bookstore::json
