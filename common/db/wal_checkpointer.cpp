// WalCheckpointer: a thread that runs rounds of PASSIVE checkpoints when
// asked.
#include "common/db/wal_checkpointer.h"

// soci-sqlite3.h wraps <sqlite3.h> in namespace sqlite_api.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "common/db/database.h"
#include "common/logging.h"
#include "common/thread_name.h"

namespace bookstore::db {
namespace {

constexpr int kMaxPassesPerRound = 4;

}  // namespace

struct WalCheckpointer::Impl {
  std::shared_ptr<Database> db;
  long long rest_frames;
  mutable std::mutex mu;
  mutable std::condition_variable changed;
  bool requested = false;  // guarded by mu
  bool closed = false;     // guarded by mu
  uint64_t rounds = 0;     // guarded by mu
  std::thread thread;

  void Loop() {
    std::unique_lock lock(mu);
    for (;;) {
      changed.wait(lock, [this] { return closed || requested; });
      if (!requested) return;  // closed
      lock.unlock();
      RunRound();
      lock.lock();
      requested = false;
      ++rounds;
      changed.notify_all();
    }
  }

  void RunRound() {
    try {
      auto* backend = static_cast<soci::sqlite3_session_backend*>(db->Session().get_backend());
      for (int pass = 0; pass < kMaxPassesPerRound; ++pass) {
        int frames = 0, copied = 0;
        const int rc = sqlite_api::sqlite3_wal_checkpoint_v2(
            backend->conn_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
        if (rc != SQLITE_OK) {
          logging::Warn("WAL checkpoint failed: " + std::string(sqlite_api::sqlite3_errstr(rc)));
          return;
        }
        if (frames - copied <= rest_frames) return;
      }
    } catch (const std::exception& e) {
      logging::Warn(std::string("WAL checkpoint failed: ") + e.what());
    }
  }
};

WalCheckpointer::WalCheckpointer(std::shared_ptr<Database> db, long long rest_frames)
    : impl_(std::make_unique<Impl>()) {
  impl_->db = std::move(db);
  impl_->rest_frames = rest_frames;
  impl_->thread = std::thread([impl = impl_.get()] { impl->Loop(); });
  NameThread(impl_->thread, "wal-checkpoint");
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->closed = true;
  }
  impl_->changed.notify_all();
  impl_->thread.join();
}

void WalCheckpointer::Request() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->requested || impl_->closed) return;
    impl_->requested = true;
  }
  impl_->changed.notify_all();
}

uint64_t WalCheckpointer::Rounds() const {
  std::lock_guard lock(impl_->mu);
  return impl_->rounds;
}

void WalCheckpointer::WaitForRounds(uint64_t rounds) const {
  std::unique_lock lock(impl_->mu);
  impl_->changed.wait(lock, [&] { return impl_->rounds >= rounds; });
}

}  // namespace bookstore::db
