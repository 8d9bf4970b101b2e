#pragma once
// Exact money: integer cents. Parsing from JSON numbers and query strings,
// formatting as a JSON number with at most two decimals, and the derived
// sell price (imported x 1.10, half-up to the cent). Pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace boost::json {
class value;
}

namespace bookstore::book {

// The largest accepted price: 1,000,000.00.
constexpr int64_t kMaxPriceCents = 100'000'000;

// Parses a plain decimal "12", "12.5", "12.50" (no sign, no exponent, at most
// two decimals) into cents in [0, kMaxPriceCents]; nullopt otherwise.
std::optional<int64_t> ParseMoneyText(std::string_view text);

// Parses a JSON number into cents with the same rules. Doubles are converted
// through their shortest round-trip decimal text, so 10.55 is exactly 1055
// and 10.555 is rejected. Non-numbers (strings, bools, null) give nullopt.
std::optional<int64_t> ParseMoneyJson(const boost::json::value& value);

// "11.95", "10.5", "10", "0": a JSON number text with at most two decimals.
std::string FormatMoney(int64_t cents);

// imported x 1.10 rounded half-up to the cent, in integer arithmetic
// (1055 -> 1161). Requires cents >= 0.
int64_t DeriveSellPrice(int64_t imported_cents);

}  // namespace bookstore::book
