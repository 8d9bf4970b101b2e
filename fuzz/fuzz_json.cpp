// Every JSON body and JWT part goes through ParseStrict; a document it
// accepts with exact numbers must serialize to text that parses again to the
// same text. (Without exact numbers 1e400 is accepted as infinity, which
// serializes as 1e99999; only JWT parts are parsed that way, and their
// NumericDates refuse it.)
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/json_strict.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (bool exact : {false, true}) {
    auto parsed = bookstore::json::ParseStrict(input, {.max_depth = 64, .exact_numbers = exact});
    if (!parsed.value || !exact) continue;
    const std::string text = boost::json::serialize(*parsed.value);
    auto again = bookstore::json::ParseStrict(text);
    if (!again.value || boost::json::serialize(*again.value) != text) std::abort();
  }
  return 0;
}
