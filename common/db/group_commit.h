#pragma once
// Group commit for SQLite writes. At synchronous=FULL every COMMIT waits for
// an fsync (milliseconds here), so one transaction per request caps writes
// at a few hundred per second. A GroupCommitter runs the work of concurrent
// requests on one writer thread inside one transaction, each unit in its own
// SAVEPOINT, and answers them all after the one COMMIT: every acknowledged
// unit is on disk, and a unit that fails (throws or returns false) is rolled
// back to its savepoint without touching the others. Units are submitted
// without blocking (Submit) and answered on the committer's own thread, or
// run blocking (Run). Thread-safe.
//
// Pipelined durability (SQLite in WAL mode at synchronous=FULL, when
// Database::sqlite_pipelined(), sqlite_durability.h): the
// writer's connection commits at synchronous=NORMAL (COMMIT writes the WAL
// frames without syncing them) and hands the batch to a syncer thread,
// which syncs the WAL once for every batch committed meanwhile (WalFile)
// and only then reports; the writer goes on with the next batch during the
// fsync, and starts writing each commit to the disk at once (so the sync
// finds it under way). Checkpoints run on a thread of their own once the
// WAL holds `checkpoint_bytes` of pages (WalCheckpointer), instead of
// inside the writer's COMMIT; the writer only copies what was written
// during the checkpoint.
// Other units of work see a batch's rows once it committed, possibly
// before it is durable; nobody is answered for it before.

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>

namespace soci {
class session;
}

namespace bookstore::db {

class Database;

class GroupCommitter {
 public:
  // Runs inside the unit's savepoint on the writer's session (which is in a
  // transaction: the work must not BEGIN or COMMIT). Returns true to keep its
  // changes, false to roll them back.
  using Work = std::function<bool(soci::session&)>;
  // Called once per unit, on the committer's syncer thread, after its batch
  // ended: with null when the batch committed (the unit's changes, if kept,
  // are on disk), else with what the work threw or, when BEGIN or COMMIT
  // failed, that error (then nothing of the batch is committed), or when
  // the WAL could not be synced, that error (the outcome is unknown). Must
  // not block; what it throws is logged and dropped.
  using Done = std::function<void(std::exception_ptr error)>;

  // Starts the writer thread. `max_batch` bounds the units of one commit;
  // `checkpoint_bytes` is the WAL size that starts a checkpoint when
  // commits are pipelined (0: the database's sqlite_checkpoint_bytes;
  // pages rewritten meanwhile are copied once, so rarer checkpoints copy
  // less per unit).
  explicit GroupCommitter(std::shared_ptr<Database> db, size_t max_batch = 256,
                          long long checkpoint_bytes = 0);
  // Finishes the queued units (calling their Done), then joins the writer.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues `work` for the next batch and returns at once; `done` reports
  // the outcome. Never blocks (callable from io threads).
  void Submit(Work work, Done done);

  // Submit, then blocks until `done` would run: returns when the batch
  // committed, rethrows the error otherwise. Call from worker threads,
  // never an io thread.
  void Run(Work work);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bookstore::db
