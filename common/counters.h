#pragma once
// Business counters an operator alerts on (orders placed, logins failed,
// refresh-token reuse, ...), process-wide, rendered on /metrics after the
// request metrics (Metrics::Render). Increments are one relaxed atomic add.

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace bookstore {

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// The counter of family `name` (a Prometheus name ending in _total) with
// `labels` ("reason=\"stock\"", or "" for none), created at 0 on first use
// and shown from then on; `help` describes the family (the first call's
// text is kept). The reference stays valid for the process. Thread-safe;
// call it once per counter (e.g. at static initialisation), not per event.
Counter& GetCounter(std::string_view name, std::string_view help, std::string_view labels = "");

// Every counter in Prometheus text format, families and series sorted.
std::string RenderCounters();

// process_cpu_seconds_total, process_resident_memory_bytes,
// process_open_fds, process_max_fds, process_threads and
// process_start_time_seconds of this process (from /proc/self), in the
// names the Prometheus client libraries use.
std::string RenderProcessMetrics();

}  // namespace bookstore
