#pragma once
// Time and randomness behind small interfaces so tests control expiry and
// failures. Implementations are thread-safe.

#include <atomic>
#include <cstdint>
#include <string>

namespace bookstore {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch (UTC).
  virtual int64_t Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t Now() const override;
  // Process-wide instance.
  static const SystemClock& Instance();
};

// A clock tests move by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start = 1'700'000'000) : now_(start) {}
  int64_t Now() const override { return now_.load(); }
  void Advance(int64_t seconds) { now_ += seconds; }
  void Set(int64_t t) { now_ = t; }

 private:
  std::atomic<int64_t> now_;
};

// Formats epoch seconds as RFC 3339 UTC, e.g. "2026-11-26T05:30:00Z".
std::string FormatRfc3339(int64_t epoch_seconds);

class Random {
 public:
  virtual ~Random() = default;
  // `bytes` cryptographically random bytes, base64url encoded without padding.
  virtual std::string Token(size_t bytes) = 0;
};

// libsodium randombytes; thread-safe.
class SodiumRandom final : public Random {
 public:
  std::string Token(size_t bytes) override;
  static SodiumRandom& Instance();
};

}  // namespace bookstore
