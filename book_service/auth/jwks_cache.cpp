#include "book_service/auth/jwks_cache.h"

#include <algorithm>

#include "common/counters.h"
#include "common/http/client.h"
#include "common/logging.h"
#include "common/thread_name.h"

namespace bookstore::book {
namespace {

Counter& kJwksFailures = GetCounter("bookstore_jwks_refresh_failures_total",
                                    "JWKS fetches that failed or gave no usable key.");

}  // namespace
namespace {

int64_t MonotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

JwksFetcher HttpJwksFetcher(std::string url, std::chrono::milliseconds timeout) {
  return [url = std::move(url), timeout]() -> Result<std::string> {
    auto response = http::HttpGet(url, timeout);
    if (!response.ok()) return std::move(response).error();
    if (response->status != 200) {
      return Error::Unavailable("JWKS endpoint answered " + std::to_string(response->status));
    }
    return std::move(response->body);
  };
}

bool RefetchGate::TryAcquire(int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (used_ && now_ms - last_ms_ < min_interval_ms_) return false;
  used_ = true;
  last_ms_ = now_ms;
  return true;
}

JwksCache::JwksCache(JwksFetcher fetcher, JwksOptions options)
    : fetcher_(std::move(fetcher)),
      options_(options),
      gate_(options.min_refetch_interval.count()) {}

JwksCache::~JwksCache() { Stop(); }

void JwksCache::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
  NameThread(thread_, "jwks-refresh");
}

void JwksCache::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const jwt::KeySet> JwksCache::keys() const {
  std::lock_guard lock(mu_);
  return keys_;
}

bool JwksCache::FetchOnce() {
  const bool ok = Fetch();
  {
    std::lock_guard lock(mu_);
    ++fetches_;
  }
  fetched_.notify_all();
  return ok;
}

bool JwksCache::Fetch() {
  auto text = fetcher_();
  if (!text.ok()) {
    kJwksFailures.Add();
    logging::Warn("JWKS fetch failed: " + text.error().message);
    return false;
  }
  auto set = jwt::KeySet::FromJwks(*text);
  if (!set.ok() || (*set)->size() == 0) {
    kJwksFailures.Add();
    logging::Warn("JWKS fetch returned no usable RS256 or ES256 signing key");
    return false;
  }
  {
    std::lock_guard lock(mu_);
    keys_ = *set;
  }
  logging::Info("JWKS loaded: " + std::to_string((*set)->size()) + " key(s)");
  return true;
}

bool JwksCache::RequestRefresh() {
  if (!gate_.TryAcquire(MonotonicMs())) return false;
  {
    std::lock_guard lock(mu_);
    refresh_requested_ = true;
  }
  cv_.notify_all();
  return true;
}

uint64_t JwksCache::fetches() const {
  std::lock_guard lock(mu_);
  return fetches_;
}

bool JwksCache::WaitForFetchAfter(uint64_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return fetched_.wait_for(lock, timeout, [&] { return fetches_ > count; });
}

void JwksCache::Loop() {
  auto backoff = options_.initial_backoff;
  bool first = true;
  while (true) {
    // Keys loaded before Start() (FetchOnce) need no fetch until the first refresh.
    const bool ok = (first && loaded()) || FetchOnce();
    first = false;
    const auto wait = ok ? options_.refresh_interval : backoff;
    backoff = ok ? options_.initial_backoff : std::min(backoff * 2, options_.max_backoff);
    std::unique_lock lock(mu_);
    // While keys are loaded, a failed periodic refresh keeps them and retries
    // later; an asked-for refresh runs at once.
    cv_.wait_for(lock, wait, [this] { return stopping_ || refresh_requested_; });
    if (stopping_) return;
    refresh_requested_ = false;
  }
}

}  // namespace bookstore::book
