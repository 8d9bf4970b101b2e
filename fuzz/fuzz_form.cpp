// Form bodies and query strings: ParseForm, QueryProblem, PercentDecode and
// the encode/decode round trip, and FoldCase of the decoded bytes (what a
// search q or publisher becomes): idempotent, at most 3 bytes out per byte
// in (ß -> ss, U+0390 -> 3 code points).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/case_fold.h"
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
    const std::string folded = bookstore::FoldCase(*decoded);
    if (bookstore::FoldCase(folded) != folded) std::abort();
    if (folded.size() > 3 * decoded->size()) std::abort();
  }
  return 0;
}
