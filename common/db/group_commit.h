#pragma once
// Group commit for SQLite writes. At synchronous=FULL every COMMIT waits for
// an fsync (milliseconds here), so one transaction per request caps writes
// at a few hundred per second. A GroupCommitter runs the work of concurrent
// requests on one writer thread inside one transaction, each unit in its own
// SAVEPOINT, and answers them all after the one COMMIT: every acknowledged
// unit is on disk, and a unit that fails (throws or returns false) is rolled
// back to its savepoint without touching the others. Thread-safe.

#include <cstddef>
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

  // Starts the writer thread. `max_batch` bounds the units of one commit.
  explicit GroupCommitter(std::shared_ptr<Database> db, size_t max_batch = 256);
  // Finishes the queued units, then joins the writer.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues `work` for the next batch and blocks until that batch committed
  // (return) or failed. Rethrows what the work threw; when BEGIN or COMMIT
  // fails, rethrows that error to every unit of the batch (none of it is
  // committed). Call from worker threads, never an io thread.
  void Run(Work work);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bookstore::db
