#pragma once
// The order state machine of §2.3 as data.

#include <string_view>
#include <vector>

namespace bookstore::book {

// True for the six statuses the contract names.
bool IsKnownStatus(std::string_view status);
// True when `from -> to` is in the transition table.
bool IsAllowedTransition(std::string_view from, std::string_view to);
// Statuses that put the ordered stock back (canceled, rejected).
bool RestoresStock(std::string_view status);
// The statuses reachable from `from` (for messages and docs).
std::vector<std::string_view> NextStatuses(std::string_view from);

}  // namespace bookstore::book
