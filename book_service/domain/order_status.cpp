#include "book_service/domain/order_status.h"

#include <algorithm>
#include <array>
#include <utility>

namespace bookstore::book {
namespace {

constexpr std::array<std::string_view, 6> kStatuses = {"new",       "processing", "shipping",
                                                       "delivered", "canceled",   "rejected"};

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kTransitions = {{
    {"new", "processing"},
    {"new", "canceled"},
    {"new", "rejected"},
    {"processing", "shipping"},
    {"processing", "rejected"},
    {"shipping", "delivered"},
}};

}  // namespace

bool IsKnownStatus(std::string_view status) {
  return std::find(kStatuses.begin(), kStatuses.end(), status) != kStatuses.end();
}

bool IsAllowedTransition(std::string_view from, std::string_view to) {
  return std::find(kTransitions.begin(), kTransitions.end(), std::pair{from, to}) !=
         kTransitions.end();
}

bool RestoresStock(std::string_view status) { return status == "canceled" || status == "rejected"; }

std::vector<std::string_view> NextStatuses(std::string_view from) {
  std::vector<std::string_view> out;
  for (const auto& [f, t] : kTransitions) {
    if (f == from) out.push_back(t);
  }
  return out;
}

}  // namespace bookstore::book
