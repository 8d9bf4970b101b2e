// Prices from query strings and JSON bodies: whatever parses is in range and
// formats back to the same cents.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "book_service/domain/money.h"
#include "common/json_strict.h"

using namespace bookstore::book;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto check = [](std::optional<int64_t> cents) {
    if (!cents) return;
    if (*cents < 0 || *cents > kMaxPriceCents) std::abort();
    if (ParseMoneyText(FormatMoney(*cents)) != cents) std::abort();
    if (DeriveSellPrice(*cents) < *cents) std::abort();
  };
  check(ParseMoneyText(input));
  auto parsed = bookstore::json::ParseStrict(input, {.max_depth = 4, .exact_numbers = true});
  if (parsed.value) check(ParseMoneyJson(*parsed.value));
  return 0;
}
