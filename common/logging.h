#pragma once
// Logging on spdlog: one process-wide logger writing to stderr. Access and
// audit lines are JSON objects, one per line. Never log a password, hash,
// code or token.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bookstore::logging {

// Sets up the logger; `level` is trace|debug|info|warn|error|off (throws
// std::invalid_argument otherwise).
void Init(std::string_view service, std::string_view level);

void Info(std::string_view message);
void Warn(std::string_view message);
void Error(std::string_view message);
void Debug(std::string_view message);

// Writes one JSON object line: {"ts":..., "service":..., "event": event, k: v...}.
// Values are strings (escaped); numbers pass as strings of digits via JsonNumber.
struct Field {
  std::string key;
  std::string value;
  bool raw = false;  // value is already JSON (number, bool)
};
void Event(std::string_view event, const std::vector<Field>& fields);
// Access-log line (see API contract §4); written when access logging is on.
void Access(const std::vector<Field>& fields);

// Escapes `s` as the contents of a JSON string (no quotes added).
std::string JsonEscape(std::string_view s);

}  // namespace bookstore::logging
