// base64url without padding: what decodes must encode back to the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/jwt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto decoded = bookstore::jwt::Base64UrlDecode(input)) {
    if (bookstore::jwt::Base64UrlEncode(*decoded) != input) std::abort();
  }
  auto encoded = bookstore::jwt::Base64UrlEncode(input);
  auto back = bookstore::jwt::Base64UrlDecode(encoded);
  if (!back || *back != input) std::abort();
  return 0;
}
