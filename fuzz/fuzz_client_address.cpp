// BOOKSTORE_TRUSTED_PROXIES entries and X-Forwarded-For values.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/http/client_address.h"

using namespace bookstore::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string entry(input.substr(0, newline));
  (void)AddressSet::Check(entry);
  try {
    (void)AddressSet::Parse({entry});
  } catch (const std::invalid_argument&) {
  }
  static const AddressSet trusted = AddressSet::Parse({"10.0.0.0/8", "::1", "fd00::/8"});
  (void)ClientAddress("10.0.0.1", newline == std::string_view::npos ? "" : input.substr(newline + 1),
                      trusted);
  return 0;
}
