#pragma once
// Parsing RFC 3339 timestamps from outside (query parameters such as
// created_from): strict, linear, no locale or time-zone database.

#include <cstdint>
#include <optional>
#include <string_view>

namespace bookstore {

// Epoch seconds of `text`: a date-time "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)"
// (T and Z in either case; fractions dropped) or a full-date "YYYY-MM-DD"
// (midnight UTC). nullopt for anything else, including impossible dates
// (2026-02-30), hours past 23 and seconds past 60 (a leap second counts as
// the next second's start). Thread-safe.
std::optional<int64_t> ParseRfc3339(std::string_view text);

}  // namespace bookstore
