// JWT parsing and verification against two fixed keys (RS256 and ES256), as
// an access token and as an id_token_hint: the input is either a whole token
// or, split at its first byte, a header and claims signed with one of the
// keys (the first byte's high bit picks it), so the fuzzer reaches the claim
// checks behind the signature and the per-key algorithm pinning.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/jwt.h"

using namespace bookstore::jwt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto rsa = SigningKey::Generate(Alg::kRs256);
  static const auto ec = SigningKey::Generate(Alg::kEs256);
  static const auto keys = KeySet::FromKeys({rsa, ec});
  const VerifyOptions options{"http://localhost:5000", "bookstore-api", 60};
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)keys->Verify(input, options, 1'800'000'000);
  (void)keys->VerifyIdTokenHint(input, options.issuer);
  if (size > 1) {
    const size_t split = 1 + data[0] % (size - 1);
    const std::string header(input.substr(1, split - 1));
    const std::string claims(input.substr(split));
    const auto& key = (data[0] & 0x80) != 0 ? ec : rsa;
    const std::string signed_token = key->SignRaw(header, claims);
    (void)keys->Verify(signed_token, options, 1'800'000'000);
    (void)keys->VerifyIdTokenHint(signed_token, options.issuer);
  }
  return 0;
}
