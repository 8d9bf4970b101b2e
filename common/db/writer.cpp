// Writer: group commit on SQLite, a pool of one-transaction-per-unit
// writer threads on PostgreSQL.
#include "common/db/writer.h"

#include <soci/soci.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/db/database.h"
#include "common/db/group_commit.h"
#include "common/logging.h"
#include "common/thread_name.h"

namespace bookstore::db {
namespace {

void Report(const Writer::Done& done, std::exception_ptr error) {
  try {
    done(error);
  } catch (const std::exception& e) {
    logging::Error(std::string("writer: a completion failed: ") + e.what());
  } catch (...) {
    logging::Error("writer: a completion failed with a non-standard exception");
  }
}

class GroupWriter final : public Writer {
 public:
  GroupWriter(std::shared_ptr<Database> db, const WriterOptions& options)
      : committer_(std::move(db), options.max_batch) {}
  void Submit(Work work, Done done) override {
    committer_.Submit(std::move(work), std::move(done));
  }

 private:
  GroupCommitter committer_;
};

// Each unit in its own transaction on one of `threads` pool threads (each
// with its own connection).
class PooledWriter final : public Writer {
 public:
  PooledWriter(std::shared_ptr<Database> db, const WriterOptions& options) : db_(std::move(db)) {
    const int n = options.pool_threads < 1 ? 1 : options.pool_threads;
    threads_.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      threads_.emplace_back([this] { Loop(); });
      NameThread(threads_.back(), "db-writer");
    }
  }
  ~PooledWriter() override {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) t.join();
  }
  void Submit(Work work, Done done) override {
    {
      std::lock_guard lock(mu_);
      queue_.push_back({std::move(work), std::move(done)});
    }
    ready_.notify_one();
  }

 private:
  struct Unit {
    Work work;
    Done done;
  };

  void Loop() {
    for (;;) {
      Unit unit;
      {
        std::unique_lock lock(mu_);
        ready_.wait(lock, [this] { return closed_ || !queue_.empty(); });
        if (queue_.empty()) return;  // closed and drained
        unit = std::move(queue_.front());
        queue_.pop_front();
      }
      Report(unit.done, RunOne(unit.work));
    }
  }

  std::exception_ptr RunOne(const Work& work) {
    try {
      Transaction tx(*db_);
      if (work(tx.session())) tx.Commit();  // else rolled back by ~Transaction
      return nullptr;
    } catch (...) {
      return std::current_exception();
    }
  }

  std::shared_ptr<Database> db_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Unit> queue_;  // guarded by mu_
  bool closed_ = false;     // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace

std::unique_ptr<Writer> Writer::Open(std::shared_ptr<Database> db, WriterOptions options) {
  if (db->dialect() == Dialect::kSqlite)
    return std::make_unique<GroupWriter>(std::move(db), options);
  return std::make_unique<PooledWriter>(std::move(db), options);
}

void Writer::Run(Work work) {
  std::mutex mu;
  std::condition_variable wake;
  bool finished = false;  // guarded by mu
  std::exception_ptr error;
  Submit(std::move(work), [&](std::exception_ptr e) {
    std::lock_guard lock(mu);  // notify under the lock: `wake` lives on our stack
    error = e;
    finished = true;
    wake.notify_one();
  });
  std::unique_lock lock(mu);
  wake.wait(lock, [&] { return finished; });
  lock.unlock();
  if (error) std::rethrow_exception(error);
}

}  // namespace bookstore::db
