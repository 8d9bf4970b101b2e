#pragma once
// The write path of a service: runs units of work durably and reports each
// one's outcome, the same way on either engine, so services never ask
// which database is underneath. Thread-safe.
//
// SQLite: a GroupCommitter (group_commit.h). Concurrent units share one
// transaction and one fsync, each in its own savepoint.
// PostgreSQL: a pool of writer threads, each with its own connection; each
// unit is one transaction of its own, so concurrent units wait only for
// the rows they touch (PostgreSQL shares one WAL flush among commits that
// arrive together).
//
// Either way a unit that throws or returns false is rolled back without
// touching the others, and its Done runs once its outcome is final: with
// null only when its changes (if kept) are durable.

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>

namespace soci {
class session;
}

namespace bookstore::db {

class Database;

struct WriterOptions {
  // SQLite: the most units of one commit.
  size_t max_batch = 256;
  // PostgreSQL: writer threads (and so connections) of the pool. Small: a
  // deployment runs many instances against one server's connection limit,
  // and PostgreSQL groups the commits of concurrent transactions anyway.
  int pool_threads = 4;
};

class Writer {
 public:
  // Runs inside the unit's transaction or savepoint (the work must not BEGIN
  // or COMMIT). Returns true to keep its changes, false to roll them back.
  using Work = std::function<bool(soci::session&)>;
  // Called once per unit on a writer-owned thread, after its outcome is
  // final: null when it committed (kept changes are durable), else what the
  // work threw or what failed the commit. Must not block; what it throws
  // is logged and dropped.
  using Done = std::function<void(std::exception_ptr error)>;

  // The writer for `db`'s engine; starts its threads.
  static std::unique_ptr<Writer> Open(std::shared_ptr<Database> db, WriterOptions options = {});
  // Finishes the queued units (calling their Done), then joins its threads.
  virtual ~Writer() = default;

  // Queues `work` and returns at once (callable from io threads); `done`
  // reports the outcome.
  virtual void Submit(Work work, Done done) = 0;

  // Submit, then blocks until the outcome is final: returns when the unit
  // committed, rethrows its error otherwise. Never call from an io thread
  // or from inside another unit.
  void Run(Work work);
};

}  // namespace bookstore::db
