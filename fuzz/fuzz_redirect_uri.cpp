// Redirect URIs: registration checks, exact matching, origins and building
// the redirect (the input is split into a registered and a requested URI).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "auth_service/oauth/redirect_uri.h"

using namespace bookstore::auth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string registered(input.substr(0, newline));
  const std::string requested(newline == std::string_view::npos ? "" : input.substr(newline + 1));
  (void)IsValidRedirectUriForRegistration(registered);
  auto resolved = ResolveRedirectUri({registered, "http://localhost:3000/callback"}, requested);
  if (resolved && !requested.empty() && *resolved != requested) std::abort();  // byte for byte
  (void)UriOrigin(requested);
  (void)AppendQuery(registered, {{"code", requested}, {"state", "s"}});
  return 0;
}
