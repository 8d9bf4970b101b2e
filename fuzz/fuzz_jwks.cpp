// JWKS documents as the book service fetches them from the auth service.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/jwt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto set = bookstore::jwt::KeySet::FromJwks(input);
  if (set.ok()) (void)(*set)->size();
  return 0;
}
