// GroupCommitter: a queue of units and one writer thread that drains it
// into BEGIN IMMEDIATE, SAVEPOINT/RELEASE per unit, COMMIT.
#include "common/db/group_commit.h"

#include <soci/soci.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "common/db/database.h"
#include "common/db/statement_cache.h"

namespace bookstore::db {
namespace {

constexpr char kSavepoint[] = "SAVEPOINT unit";
constexpr char kRollbackTo[] = "ROLLBACK TO unit";
constexpr char kRelease[] = "RELEASE unit";

// A statement without values, prepared once per writer connection.
template <const char* kSql>
struct Fixed {
  soci::statement st;
  explicit Fixed(soci::session& s) : st((s.prepare << kSql)) {}
};

template <const char* kSql>
void Exec(soci::session& s) {
  Cached<Fixed<kSql>> q(s);
  q->st.execute(true);
}

// One queued unit and its outcome; the submitter waits on `done`.
struct Unit {
  GroupCommitter::Work work;
  std::exception_ptr error;
  bool done = false;             // guarded by Impl::mu
  std::condition_variable wake;  // signalled under Impl::mu (the unit lives
                                 // on its submitter's stack)
};

}  // namespace

struct GroupCommitter::Impl {
  std::shared_ptr<Database> db;
  size_t max_batch;
  std::mutex mu;
  std::condition_variable queued;  // writer: units arrived or stopping
  std::deque<Unit*> queue;         // guarded by mu
  bool stopping = false;           // guarded by mu
  std::thread writer;

  void Loop() {
    std::vector<Unit*> batch;
    for (;;) {
      {
        std::unique_lock lock(mu);
        queued.wait(lock, [this] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping and drained
        while (!queue.empty() && batch.size() < max_batch) {
          batch.push_back(queue.front());
          queue.pop_front();
        }
      }
      Commit(batch);
      {
        std::lock_guard lock(mu);
        for (Unit* unit : batch) {
          unit->done = true;
          unit->wake.notify_one();
        }
      }
      batch.clear();
    }
  }

  // Runs `batch` in one transaction. A failure of BEGIN, of a savepoint
  // statement or of COMMIT fails every unit that has no error of its own.
  void Commit(const std::vector<Unit*>& batch) {
    try {
      Transaction tx(*db);
      soci::session& sql = tx.session();
      for (Unit* unit : batch) {
        Exec<kSavepoint>(sql);
        bool keep = false;
        try {
          keep = unit->work(sql);
        } catch (...) {
          unit->error = std::current_exception();
        }
        // Errors that end the whole transaction (disk full, I/O) make these
        // statements throw too, which fails the batch below.
        if (!keep) Exec<kRollbackTo>(sql);
        Exec<kRelease>(sql);
      }
      tx.Commit();
    } catch (...) {
      for (Unit* unit : batch) {
        if (!unit->error) unit->error = std::current_exception();
      }
    }
  }
};

GroupCommitter::GroupCommitter(std::shared_ptr<Database> db, size_t max_batch)
    : impl_(std::make_unique<Impl>()) {
  impl_->db = std::move(db);
  impl_->max_batch = max_batch == 0 ? 1 : max_batch;
  impl_->writer = std::thread([impl = impl_.get()] { impl->Loop(); });
}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->queued.notify_one();
  impl_->writer.join();
}

void GroupCommitter::Run(Work work) {
  Unit unit;
  unit.work = std::move(work);
  {
    std::lock_guard lock(impl_->mu);
    impl_->queue.push_back(&unit);
  }
  impl_->queued.notify_one();
  std::unique_lock lock(impl_->mu);
  unit.wake.wait(lock, [&unit] { return unit.done; });
  lock.unlock();
  if (unit.error) std::rethrow_exception(unit.error);
}

}  // namespace bookstore::db
