#pragma once
// Ids of rows as outside text (paths, token subjects). Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string_view>

namespace bookstore {

// A positive decimal id of at most 18 digits (no sign, no blanks); nullopt
// otherwise.
std::optional<int64_t> ParsePositiveId(std::string_view text);

}  // namespace bookstore
