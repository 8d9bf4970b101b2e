#include "book_service/domain/money.h"

#include <boost/json/value.hpp>
#include <charconv>
#include <cmath>
#include <system_error>

namespace bookstore::book {

std::optional<int64_t> ParseMoneyText(std::string_view text) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac =
      dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 9) return std::nullopt;
  if (dot != std::string_view::npos && (frac.empty() || frac.size() > 2)) return std::nullopt;
  int64_t cents = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    cents = cents * 10 + (c - '0');
  }
  cents *= 100;
  int64_t scale = 10;
  for (char c : frac) {
    if (c < '0' || c > '9') return std::nullopt;
    cents += (c - '0') * scale;
    scale /= 10;
  }
  if (cents > kMaxPriceCents) return std::nullopt;
  return cents;
}

std::optional<int64_t> ParseMoneyJson(const boost::json::value& value) {
  if (value.is_int64()) {
    const int64_t v = value.get_int64();
    if (v < 0 || v > kMaxPriceCents / 100) return std::nullopt;
    return v * 100;
  }
  if (value.is_uint64()) return std::nullopt;  // beyond int64: far above the maximum
  if (!value.is_double()) return std::nullopt;
  const double d = value.get_double();
  if (!std::isfinite(d) || d < 0 || d > static_cast<double>(kMaxPriceCents / 100)) {
    return std::nullopt;
  }
  // Shortest text that reads back as the same double: the number the client wrote
  // (up to trailing zeros), so the decimal rules apply to it exactly.
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  if (ec != std::errc{}) return std::nullopt;
  return ParseMoneyText(std::string_view(buf, static_cast<size_t>(end - buf)));
}

std::string FormatMoney(int64_t cents) {
  const bool negative = cents < 0;
  const uint64_t abs =
      negative ? static_cast<uint64_t>(-(cents + 1)) + 1 : static_cast<uint64_t>(cents);
  char buf[32];  // "-" + 18 digits + ".nn"
  char* p = buf;
  if (negative) *p++ = '-';
  p = std::to_chars(p, buf + sizeof buf, abs / 100).ptr;
  const uint64_t frac = abs % 100;
  if (frac != 0) {
    *p++ = '.';
    *p++ = static_cast<char>('0' + frac / 10);
    if (frac % 10 != 0) *p++ = static_cast<char>('0' + frac % 10);
  }
  return std::string(buf, p);
}

int64_t DeriveSellPrice(int64_t imported_cents) {
  // cents * 1.10 = cents * 110 / 100; half-up: add 50 before the division.
  return (imported_cents * 110 + 50) / 100;
}

}  // namespace bookstore::book
