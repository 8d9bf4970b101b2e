#pragma once
// A task run every `interval` on a thread of its own, from construction
// until destruction (which waits for a run under way). For snapshots of
// rarely changing tables kept current in memory. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace bookstore {

class Periodic {
 public:
  // `task` must not throw; `name` names the thread (top -H).
  Periodic(std::string name, std::chrono::milliseconds interval, std::function<void()> task);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace bookstore
