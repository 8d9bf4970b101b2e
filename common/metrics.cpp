#include "common/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "common/counters.h"
#include "common/version.h"

namespace bookstore {
namespace {

constexpr std::array<double, 13> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                            0.1,    0.25,  0.5,    1,     2.5,  5};
constexpr std::array<std::string_view, 14> kBoundLabels = {
    "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
    "0.1",    "0.25",  "0.5",    "1",     "2.5",  "5",     "+Inf"};

// One observed series of a (method, route) pair within a shard.
struct Series {
  // (status, count); a series sees few statuses, so a linear scan is cheapest.
  std::vector<std::pair<int, uint64_t>> status_counts;
  std::array<uint64_t, kBoundLabels.size()> buckets{};  // non-cumulative
  double sum = 0;
  uint64_t count = 0;

  void CountStatus(int status, uint64_t n) {
    for (auto& [known, seen] : status_counts) {
      if (known == status) {
        seen += n;
        return;
      }
    }
    status_counts.emplace_back(status, n);
  }
};

// Observations of one thread; the mutex is only contended by Render().
struct Shard {
  std::mutex mu;
  std::unordered_map<std::string, Series> series;  // key: method '\n' route
};

std::atomic<uint64_t> next_instance_id{1};

// Per-thread cache of this thread's shard in each Metrics instance.
struct ThreadShards {
  std::vector<std::pair<uint64_t, std::shared_ptr<Shard>>> entries;
  std::string key;  // reused buffer
};
thread_local ThreadShards thread_shards;

std::string EscapeLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

struct Metrics::Impl {
  uint64_t id = next_instance_id++;
  std::string service;
  mutable std::mutex mu;
  std::vector<std::shared_ptr<Shard>> shards;

  Shard& ThreadShard() {
    auto& entries = thread_shards.entries;
    for (auto& [instance, shard] : entries) {
      if (instance == id) return *shard;
    }
    // Drop shards of instances that are gone (only this cache still holds them).
    std::erase_if(entries, [](const auto& entry) { return entry.second.use_count() == 1; });
    auto shard = std::make_shared<Shard>();
    {
      std::lock_guard lock(mu);
      shards.push_back(shard);
    }
    entries.emplace_back(id, shard);
    return *shard;
  }
};

Metrics::Metrics(std::string service) : impl_(std::make_unique<Impl>()) {
  impl_->service = std::move(service);
}

Metrics::~Metrics() = default;

void Metrics::Observe(std::string_view method, std::string_view route, int status, double seconds) {
  Shard& shard = impl_->ThreadShard();
  std::string& key = thread_shards.key;
  key.assign(method);
  key.push_back('\n');
  key.append(route);
  size_t bucket = 0;
  while (bucket < kBounds.size() && seconds > kBounds[bucket]) ++bucket;

  std::lock_guard lock(shard.mu);
  auto it = shard.series.find(key);
  if (it == shard.series.end()) it = shard.series.emplace(key, Series{}).first;
  Series& series = it->second;
  series.CountStatus(status, 1);
  ++series.buckets[bucket];
  series.sum += seconds;
  ++series.count;
}

std::string Metrics::Render() const {
  std::vector<std::shared_ptr<Shard>> shards;
  {
    std::lock_guard lock(impl_->mu);
    shards = impl_->shards;
  }
  // Merged and sorted for a deterministic exposition.
  std::map<std::string, Series> merged;
  for (const auto& shard : shards) {
    std::lock_guard lock(shard->mu);
    for (const auto& [key, series] : shard->series) {
      Series& into = merged[key];
      for (const auto& [status, n] : series.status_counts) into.CountStatus(status, n);
      for (size_t i = 0; i < series.buckets.size(); ++i) into.buckets[i] += series.buckets[i];
      into.sum += series.sum;
      into.count += series.count;
    }
  }

  for (auto& [key, series] : merged)
    std::sort(series.status_counts.begin(), series.status_counts.end());

  std::string service = EscapeLabel(impl_->service);
  fmt::memory_buffer out;
  auto labels = [&](const std::string& key) {
    size_t nl = key.find('\n');
    return fmt::format("service=\"{}\",method=\"{}\",route=\"{}\"", service,
                       EscapeLabel(key.substr(0, nl)), EscapeLabel(key.substr(nl + 1)));
  };
  fmt::format_to(std::back_inserter(out),
                 "# HELP http_requests_total Total HTTP requests by route and status.\n"
                 "# TYPE http_requests_total counter\n");
  for (const auto& [key, series] : merged) {
    std::string common = labels(key);
    for (const auto& [status, n] : series.status_counts) {
      fmt::format_to(std::back_inserter(out), "http_requests_total{{{},status=\"{}\"}} {}\n",
                     common, status, n);
    }
  }
  fmt::format_to(std::back_inserter(out),
                 "# HELP http_request_duration_seconds HTTP request latency in seconds.\n"
                 "# TYPE http_request_duration_seconds histogram\n");
  for (const auto& [key, series] : merged) {
    std::string common = labels(key);
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBoundLabels.size(); ++i) {
      cumulative += series.buckets[i];
      fmt::format_to(std::back_inserter(out),
                     "http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", common,
                     kBoundLabels[i], cumulative);
    }
    fmt::format_to(std::back_inserter(out), "http_request_duration_seconds_sum{{{}}} {}\n", common,
                   series.sum);
    fmt::format_to(std::back_inserter(out), "http_request_duration_seconds_count{{{}}} {}\n",
                   common, series.count);
  }
  fmt::format_to(std::back_inserter(out),
                 "# HELP bookstore_build_info The running program: always 1.\n"
                 "# TYPE bookstore_build_info gauge\n"
                 "bookstore_build_info{{service=\"{}\",version=\"{}\"}} 1\n",
                 service, EscapeLabel(Version()));
  return fmt::to_string(out) + RenderCounters() + RenderProcessMetrics();
}

}  // namespace bookstore
