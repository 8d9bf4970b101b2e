// GroupCommitter: a queue of units, a writer thread that drains it into
// BEGIN IMMEDIATE, SAVEPOINT/RELEASE per unit, COMMIT, and a syncer thread
// that makes committed batches durable and reports each unit's outcome.
#include "common/db/group_commit.h"

#include <soci/soci.h>

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/db/database.h"
#include "common/db/statement_cache.h"
#include "common/db/wal_file.h"
#include "common/logging.h"
#include "common/thread_name.h"

namespace bookstore::db {
namespace {

constexpr char kSavepoint[] = "SAVEPOINT unit";
constexpr char kRollbackTo[] = "ROLLBACK TO unit";
constexpr char kRelease[] = "RELEASE unit";
// The writer's COMMIT writes WAL frames without syncing; the syncer syncs.
constexpr char kCommitWithoutSync[] = "PRAGMA synchronous = NORMAL";
// The writer checkpoints (on its own path, stalling commits for the copy
// and an fsync of the database file) once the WAL holds this many bytes of
// pages; SQLite's default is 1,000 pages. Pages rewritten meanwhile are
// copied once, so rarer checkpoints copy less per order.
constexpr long long kCheckpointBytes = 32ll << 20;
// The savepoints' journal stays in memory instead of spilling to temporary
// files (a batch is bounded, and so is the journal).
constexpr char kJournalInMemory[] = "PRAGMA temp_store = MEMORY";

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

// One queued unit and, after its batch, its outcome.
struct Unit {
  GroupCommitter::Work work;
  GroupCommitter::Done done;
  std::exception_ptr error;
};

void Report(Unit& unit) {
  try {
    unit.done(unit.error);
  } catch (const std::exception& e) {
    logging::Error(std::string("group commit: a completion failed: ") + e.what());
  } catch (...) {
    logging::Error("group commit: a completion failed with a non-standard exception");
  }
}

// A queue between two threads; Take waits for items or the end.
class Handoff {
 public:
  // Moves every unit of `units` to the end of the queue (leaves it empty).
  void Put(std::vector<Unit>& units) {
    {
      std::lock_guard lock(mu_);
      if (items_.empty()) {
        items_.swap(units);
      } else {
        for (Unit& unit : units) items_.push_back(std::move(unit));
      }
    }
    units.clear();
    ready_.notify_one();
  }
  void Put(Unit unit) {
    {
      std::lock_guard lock(mu_);
      items_.push_back(std::move(unit));
    }
    ready_.notify_one();
  }
  // Moves up to `max` items into the empty `out`; false once closed and
  // drained.
  bool Take(std::vector<Unit>& out, size_t max) {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [this] { return closed_ || !items_.empty(); });
    if (items_.empty()) return false;
    if (items_.size() <= max) {
      out.swap(items_);
    } else {
      auto end = items_.begin() + static_cast<std::ptrdiff_t>(max);
      out.assign(std::make_move_iterator(items_.begin()), std::make_move_iterator(end));
      items_.erase(items_.begin(), end);
    }
    return true;
  }
  void Close() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    ready_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::vector<Unit> items_;  // guarded by mu_
  bool closed_ = false;      // guarded by mu_
};

}  // namespace

struct GroupCommitter::Impl {
  std::shared_ptr<Database> db;
  size_t max_batch;
  // SQLite at synchronous=FULL: the writer commits without syncing and
  // the syncer syncs the WAL before reporting. Otherwise COMMIT is as
  // durable as configured and the syncer only reports.
  std::optional<WalFile> wal;
  std::optional<WalFile> writeback;  // the writer's own handle on the WAL
  Handoff queued;                    // Submit -> writer
  Handoff committed;                 // writer -> syncer
  std::thread writer;
  std::thread syncer;

  void WriterLoop() {
    bool configured = false;
    std::vector<Unit> batch;
    while (queued.Take(batch, max_batch)) {
      if (wal && !configured) configured = ConfigureWriter();
      Commit(batch);
      if (writeback) writeback->StartWriteback();
      committed.Put(batch);
    }
    committed.Close();
  }

  // Makes the writer's connection commit without syncing when the
  // database is in WAL mode; else, or when that fails, drops `wal` and
  // `writeback` (each COMMIT then syncs as configured). Returns whether it
  // is settled.
  bool ConfigureWriter() {
    try {
      soci::session& sql = db->Session();
      std::string mode;
      sql << "PRAGMA journal_mode", soci::into(mode);
      if (mode != "wal") {
        DropWalSync();
        return true;
      }
      long long page_size = 0;
      sql << "PRAGMA page_size", soci::into(page_size);
      std::string checkpoints = "PRAGMA wal_autocheckpoint = ";
      checkpoints += std::to_string(std::max(1000ll, kCheckpointBytes / std::max(1ll, page_size)));
      sql << checkpoints;
      sql << kJournalInMemory;
      sql << kCommitWithoutSync;  // last: only once the rest is in place
      return true;
    } catch (const std::exception& e) {
      logging::Error(std::string("group commit: cannot configure the writer: ") + e.what());
      DropWalSync();
      return false;
    }
  }

  void DropWalSync() {
    wal.reset();
    writeback.reset();
  }

  void SyncerLoop() {
    std::vector<Unit> done;
    while (committed.Take(done, SIZE_MAX)) {
      if (wal) Sync(done);
      for (Unit& unit : done) Report(unit);
      done.clear();
    }
  }

  // One fdatasync covers every commit before it. When it fails, what those
  // commits wrote may or may not survive a crash: their units get the error.
  void Sync(std::vector<Unit>& units) {
    try {
      wal->Sync();
    } catch (const std::exception& e) {
      logging::Error(std::string("group commit: ") + e.what());
      auto error = std::current_exception();
      for (Unit& unit : units) {
        if (!unit.error) unit.error = error;
      }
    }
  }

  // Runs `batch` in one transaction. A failure of BEGIN, of a savepoint
  // statement or of COMMIT fails every unit that has no error of its own.
  void Commit(std::vector<Unit>& batch) {
    try {
      Transaction tx(*db);
      soci::session& sql = tx.session();
      for (Unit& unit : batch) {
        Exec<kSavepoint>(sql);
        bool keep = false;
        try {
          keep = unit.work(sql);
        } catch (...) {
          unit.error = std::current_exception();
        }
        // Errors that end the whole transaction (disk full, I/O) make these
        // statements throw too, which fails the batch below.
        if (!keep) Exec<kRollbackTo>(sql);
        Exec<kRelease>(sql);
      }
      tx.Commit();
    } catch (...) {
      for (Unit& unit : batch) {
        if (!unit.error) unit.error = std::current_exception();
      }
    }
  }
};

GroupCommitter::GroupCommitter(std::shared_ptr<Database> db, size_t max_batch)
    : impl_(std::make_unique<Impl>()) {
  impl_->db = std::move(db);
  impl_->max_batch = max_batch == 0 ? 1 : max_batch;
  if (impl_->db->dialect() == Dialect::kSqlite && impl_->db->options().sqlite_synchronous_full) {
    impl_->wal.emplace(impl_->db->sqlite_path());
    impl_->writeback.emplace(impl_->db->sqlite_path());
  }
  impl_->syncer = std::thread([impl = impl_.get()] { impl->SyncerLoop(); });
  NameThread(impl_->syncer, "commit-syncer");
  impl_->writer = std::thread([impl = impl_.get()] { impl->WriterLoop(); });
  NameThread(impl_->writer, "commit-writer");
}

GroupCommitter::~GroupCommitter() {
  impl_->queued.Close();
  impl_->writer.join();  // drains the queue, then closes `committed`
  impl_->syncer.join();
}

void GroupCommitter::Submit(Work work, Done done) {
  impl_->queued.Put(Unit{std::move(work), std::move(done), nullptr});
}

void GroupCommitter::Run(Work work) {
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
