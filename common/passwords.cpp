#include "common/passwords.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <new>
#include <semaphore>
#include <stdexcept>
#include <string>
#include <thread>

namespace bookstore {
namespace {

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
  });
}

// At most one argon2id computation per core at a time: more gives no more
// throughput, only memory (each holds mem_bytes, 19 MiB by default), and the
// worker pools that call us may be sized for waiting, not for CPU.
class HashSlot {
 public:
  HashSlot() { Slots().acquire(); }
  ~HashSlot() { Slots().release(); }
  HashSlot(const HashSlot&) = delete;
  HashSlot& operator=(const HashSlot&) = delete;

 private:
  static std::counting_semaphore<1024>& Slots() {
    static std::counting_semaphore<1024> slots(
        std::clamp<std::ptrdiff_t>(std::thread::hardware_concurrency(), 1, 1024));
    return slots;
  }
};

std::string HashWith(std::string_view password, const PasswordCost& cost) {
  HashSlot slot;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::bad_alloc();
  }
  return std::string(out);
}

}  // namespace

PasswordHasher::PasswordHasher(PasswordCost cost) : cost_(cost) {
  EnsureSodium();
  if (cost_.ops < crypto_pwhash_OPSLIMIT_MIN) cost_.ops = crypto_pwhash_OPSLIMIT_MIN;
  if (cost_.mem_bytes < crypto_pwhash_MEMLIMIT_MIN) cost_.mem_bytes = crypto_pwhash_MEMLIMIT_MIN;
  // A hash of a random secret, so VerifyDummy spends the work of a real check.
  unsigned char secret[16];
  randombytes_buf(secret, sizeof secret);
  dummy_hash_ = HashWith(std::string_view(reinterpret_cast<char*>(secret), sizeof secret), cost_);
}

std::string PasswordHasher::Hash(std::string_view password) const {
  return HashWith(password, cost_);
}

bool PasswordHasher::Verify(std::string_view encoded_hash, std::string_view password) const {
  // crypto_pwhash_str_verify needs a NUL-terminated string that fits the buffer.
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES ||
      encoded_hash.find('\0') != std::string_view::npos) {
    return false;
  }
  const std::string hash(encoded_hash);
  HashSlot slot;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::VerifyDummy(std::string_view password) const {
  // The result is irrelevant; only the work matters.
  HashSlot slot;
  [[maybe_unused]] const int result =
      crypto_pwhash_str_verify(dummy_hash_.c_str(), password.data(), password.size());
}

long Utf8Length(std::string_view s) {
  long count = 0;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      ++count;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return -1;  // continuation byte, overlong lead (C0/C1) or > U+10FFFF (F5..FF)
    }
    if (n - i < len) return -1;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return -1;  // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return -1;                            // surrogate
    if (cp > 0x10FFFF) return -1;
    i += len;
    ++count;
  }
  return count;
}

std::string Sha256Hex(std::string_view s) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(s.data(), s.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0x0F]);
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Compare fixed-size digests so the time does not depend on where or
  // whether the lengths differ.
  unsigned char da[crypto_generichash_BYTES];
  unsigned char db[crypto_generichash_BYTES];
  EnsureSodium();
  crypto_generichash(da, sizeof da, reinterpret_cast<const unsigned char*>(a.data()), a.size(),
                     nullptr, 0);
  crypto_generichash(db, sizeof db, reinterpret_cast<const unsigned char*>(b.data()), b.size(),
                     nullptr, 0);
  const bool same_digest = CRYPTO_memcmp(da, db, sizeof da) == 0;
  return same_digest & (a.size() == b.size());
}

}  // namespace bookstore
