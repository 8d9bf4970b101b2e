#include "common/clock.h"

#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace bookstore {

int64_t SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

const SystemClock& SystemClock::Instance() {
  static const SystemClock clock;
  return clock;
}

std::string FormatRfc3339(int64_t epoch_seconds) {
  const time_t t = static_cast<time_t>(epoch_seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) {
    throw std::out_of_range("timestamp out of range");
  }
  const int year = tm.tm_year + 1900;
  char buf[64];
  if (year < 0 || year > 9999) {  // rare: let printf widen the year
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
  }
  // "YYYY-MM-DDTHH:MM:SSZ" without printf: order JSON shows two of these.
  std::string out = "0000-00-00T00:00:00Z";
  auto put = [&out](size_t at, int value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10)
      out[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, year, 4);
  put(5, tm.tm_mon + 1, 2);
  put(8, tm.tm_mday, 2);
  put(11, tm.tm_hour, 2);
  put(14, tm.tm_min, 2);
  put(17, tm.tm_sec, 2);
  return out;
}

namespace {

void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
  });
}

}  // namespace

std::string SodiumRandom::Token(size_t bytes) {
  EnsureSodium();
  std::vector<unsigned char> raw(bytes);
  if (bytes > 0) randombytes_buf(raw.data(), bytes);
  const size_t max_len = sodium_base64_encoded_len(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string out(max_len, '\0');
  sodium_bin2base64(out.data(), max_len, raw.data(), bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  sodium_memzero(raw.data(), raw.size());
  return out;
}

SodiumRandom& SodiumRandom::Instance() {
  static SodiumRandom random;
  return random;
}

}  // namespace bookstore
