// Form bodies and query strings: ParseForm, QueryProblem, PercentDecode and
// the encode/decode round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/http/message.h"

using namespace bookstore::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto form = ParseForm(input);
  if (form && form->size() > kMaxFormParams) std::abort();
  (void)QueryProblem(input);
  if (auto decoded = PercentDecode(input, false)) {
    auto again = PercentDecode(PercentEncode(*decoded), false);
    if (!again || *again != *decoded) std::abort();  // encoding must round-trip
  }
  return 0;
}
