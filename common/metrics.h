#pragma once
// Request metrics in Prometheus text format:
//   http_requests_total{service,method,route,status}  counter
//   http_request_duration_seconds{service,method,route} histogram
// and, in Render(), bookstore_build_info{service,version}, the business
// counters (common/counters.h) and the process metrics.
// Observe() is thread-safe and cheap (per-thread shards, merged on Render).

#include <memory>
#include <string>
#include <string_view>

namespace bookstore {

class Metrics {
 public:
  explicit Metrics(std::string service);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void Observe(std::string_view method, std::string_view route, int status, double seconds);
  std::string Render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bookstore
