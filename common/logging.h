#pragma once
// Logging to stderr: human lines (Info..Error, time and level prefix) and
// JSON object lines (Event, Access), one per line. Never log a password,
// hash, code or token.
//
// Output: JSON lines are appended to an in-process buffer, written with one
// write(2) when it reaches OutputOptions::flush_bytes (32 KiB), by a
// background thread at most max_delay (100 ms) after the first unwritten
// line, on Flush(), when a server stops, and at exit. A human line writes
// the buffer and itself before the call returns. When stderr is a terminal
// every line is written at once. Lines are never split or interleaved and
// keep the order of the calls (per thread; across threads, the order in
// which they reached the buffer). Every function is thread-safe.

#include <chrono>
#include <cstddef>
#include <initializer_list>
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
// Values are JSON strings (escaped) unless `raw` (numbers, booleans).
struct Field {
  std::string key;
  std::string value;
  bool raw = false;  // value is already JSON (number, bool)
};
void Event(std::string_view event, const std::vector<Field>& fields);

// A Field whose strings are borrowed for the duration of the call.
struct FieldRef {
  std::string_view key;
  std::string_view value;
  bool raw = false;  // value is already JSON (number, bool)
};
// Access-log line {"ts":..., k: v...} (see API contract §4); written when
// the level is info or lower.
void Access(std::initializer_list<FieldRef> fields);

// Escapes `s` as the contents of a JSON string (no quotes added).
std::string JsonEscape(std::string_view s);

struct OutputOptions {
  bool buffered = true;  // false: one write per line
  size_t flush_bytes = 32 * 1024;
  std::chrono::milliseconds max_delay{100};  // at most 1 hour
};
// Writes what is buffered, then applies `options`. The default is the
// defaults above, with `buffered` false when stderr is a terminal.
void SetOutput(const OutputOptions& options);

// Writes every buffered line before returning.
void Flush();

}  // namespace bookstore::logging
