// HTTP Basic client credentials (RFC 6749 §2.3.1: form-encoded id and secret).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth_service/oauth/client_credentials.h"

using namespace bookstore::auth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)IsBasicAuthorization(input);
  (void)ParseBasicAuthorization(input);
  (void)ParseBasicAuthorization("Basic " + std::string(input));
  (void)Base64Decode(input);
  return 0;
}
