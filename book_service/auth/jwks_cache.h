#pragma once
// The auth service's public signing keys (JWKS), fetched on one background
// thread: at start with exponential backoff until the first success, then
// periodically, and early when a request asks (unknown kid, no keys yet).
// Requests never wait for a fetch: RequestRefresh only wakes the thread, at
// most once per min_refetch_interval, so at most one fetch is in flight.
// Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/jwt.h"
#include "common/result.h"

namespace bookstore::book {

// Returns the JWKS document text, or an Unavailable error. Blocking.
using JwksFetcher = std::function<Result<std::string>()>;

// GET `url` with `timeout` via common/http/client.h; non-200 is an error.
JwksFetcher HttpJwksFetcher(std::string url,
                            std::chrono::milliseconds timeout = std::chrono::seconds(2));

struct JwksOptions {
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  // Demand refetches (unknown kid, no keys yet) at most this often.
  std::chrono::milliseconds min_refetch_interval{10'000};
  // Background refresh once keys are loaded.
  std::chrono::milliseconds refresh_interval{15 * 60'000};
};

// Lets one caller through at most once per interval (monotonic ms). Thread-safe.
class RefetchGate {
 public:
  explicit RefetchGate(int64_t min_interval_ms) : min_interval_ms_(min_interval_ms) {}
  bool TryAcquire(int64_t now_ms);

 private:
  std::mutex mu_;
  int64_t min_interval_ms_;
  int64_t last_ms_ = 0;
  bool used_ = false;
};

class JwksCache {
 public:
  JwksCache(JwksFetcher fetcher, JwksOptions options = {});
  ~JwksCache();
  JwksCache(const JwksCache&) = delete;
  JwksCache& operator=(const JwksCache&) = delete;

  // Starts the background fetch loop (idempotent).
  void Start();
  // Stops and joins the background thread (idempotent; the destructor calls it).
  void Stop();

  // The current keys; null until a JWKS with at least one usable key loaded.
  std::shared_ptr<const jwt::KeySet> keys() const;
  bool loaded() const { return keys() != nullptr; }

  // Asks the background thread (Start()) to fetch now, when the rate limit
  // allows; never blocks on the fetch. True when a fetch was asked for.
  bool RequestRefresh();
  // Fetches on the calling thread, regardless of the rate limit (start-up
  // and tests). True on success.
  bool FetchOnce();
  // Fetch attempts finished so far (successful or not).
  uint64_t fetches() const;
  // Waits until more than `count` fetch attempts have finished or `timeout`
  // passes; true in the first case.
  bool WaitForFetchAfter(uint64_t count, std::chrono::milliseconds timeout) const;

 private:
  void Loop();
  bool Fetch();  // one fetch; true when keys were loaded

  JwksFetcher fetcher_;
  JwksOptions options_;
  RefetchGate gate_;
  mutable std::mutex mu_;
  std::condition_variable cv_;               // wakes the loop: stop or refresh asked
  mutable std::condition_variable fetched_;  // a fetch attempt finished
  std::shared_ptr<const jwt::KeySet> keys_;
  uint64_t fetches_ = 0;
  bool refresh_requested_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace bookstore::book
