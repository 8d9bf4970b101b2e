#include "common/periodic.h"

#include "common/thread_name.h"

namespace bookstore {

Periodic::Periodic(std::string name, std::chrono::milliseconds interval,
                   std::function<void()> task) {
  thread_ = std::thread([this, name = std::move(name), interval, task = std::move(task)] {
    NameThisThread(name);
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      task();
      lock.lock();
    }
  });
}

Periodic::~Periodic() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace bookstore
