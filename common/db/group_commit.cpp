// GroupCommitter: a queue of units, a writer thread that drains it into
// BEGIN IMMEDIATE, SAVEPOINT/RELEASE per unit, COMMIT, and a syncer thread
// that makes committed batches durable and reports each unit's outcome.
#include "common/db/group_commit.h"

// soci-sqlite3.h wraps <sqlite3.h> in namespace sqlite_api.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

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
#include "common/db/wal_checkpointer.h"
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
  long long checkpoint_bytes;
  // Pipelined (Database::sqlite_pipelined): the writer commits without
  // syncing and the syncer syncs the WAL before reporting. Otherwise
  // COMMIT is as durable as configured and the syncer only reports.
  std::optional<WalFile> wal;
  std::optional<WalFile> writeback;  // the writer's own handle on the WAL
  // With `wal`: checkpoints instead of the writer's COMMIT (see AfterCommit).
  std::optional<WalCheckpointer> checkpointer;
  // The writer's state (its thread only).
  sqlite_api::sqlite3* writer_db = nullptr;  // set once configured for WAL
  long long checkpoint_frames = 0;
  int wal_frames = 0;  // after the writer's last COMMIT that wrote frames
  bool checkpoint_asked = false;
  uint64_t rounds_seen = 0;
  Handoff queued;     // Submit -> writer
  Handoff committed;  // writer -> syncer
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
      if (writer_db) AfterCommit();
    }
    committed.Close();
  }

  // Makes the writer's connection commit without syncing and leave its
  // checkpoints to the checkpointer (AfterCommit) when the database is in
  // WAL mode; else, or when that fails, drops `wal`, `writeback` and the
  // checkpointer (each COMMIT then syncs as configured, and SQLite
  // checkpoints as usual). Returns whether it is settled.
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
      checkpoint_frames = std::max(1ll, checkpoint_bytes / std::max(1ll, page_size));
      sql << kJournalInMemory;
      // Replaces SQLite's automatic checkpoints on this connection.
      writer_db = static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
      sqlite_api::sqlite3_wal_hook(writer_db, &Impl::OnWalCommit, this);
      sql << kCommitWithoutSync;  // last: only once the rest is in place
      return true;
    } catch (const std::exception& e) {
      logging::Error(std::string("group commit: cannot configure the writer: ") + e.what());
      DropWalSync();
      return false;
    }
  }

  void DropWalSync() {
    if (writer_db) sqlite_api::sqlite3_wal_autocheckpoint(writer_db, 1000);  // SQLite's own
    writer_db = nullptr;
    wal.reset();
    writeback.reset();
    checkpointer.reset();
  }

  static int OnWalCommit(void* impl, sqlite_api::sqlite3*, const char*, int frames) {
    static_cast<Impl*>(impl)->wal_frames = frames;
    return SQLITE_OK;
  }

  // Once the WAL holds `checkpoint_frames`, the checkpointer copies them on
  // its thread while the writer goes on; at the first COMMIT after its round
  // the writer checkpoints the rest (what was written during the round),
  // so that the WAL starts over from its beginning at the next transaction.
  void AfterCommit() {
    if (wal_frames < checkpoint_frames) return;
    if (!checkpoint_asked) {
      rounds_seen = checkpointer->Rounds();
      checkpointer->Request();
      checkpoint_asked = true;
      return;
    }
    if (checkpointer->Rounds() == rounds_seen) return;  // under way
    checkpoint_asked = false;
    const int rc = sqlite_api::sqlite3_wal_checkpoint_v2(
        writer_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      logging::Warn("group commit: WAL checkpoint failed: " +
                    std::string(sqlite_api::sqlite3_errstr(rc)));
    }
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

GroupCommitter::GroupCommitter(std::shared_ptr<Database> db, size_t max_batch,
                               long long checkpoint_bytes)
    : impl_(std::make_unique<Impl>()) {
  impl_->db = std::move(db);
  impl_->max_batch = max_batch == 0 ? 1 : max_batch;
  impl_->checkpoint_bytes =
      checkpoint_bytes > 0 ? checkpoint_bytes : impl_->db->options().sqlite_checkpoint_bytes;
  if (impl_->db->dialect() == Dialect::kSqlite && impl_->db->sqlite_pipelined()) {
    impl_->wal.emplace(impl_->db->sqlite_path(), impl_->db->sqlite_env());
    impl_->writeback.emplace(impl_->db->sqlite_path(), impl_->db->sqlite_env());
    impl_->checkpointer.emplace(impl_->db);
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
