#pragma once
// Checkpoints a SQLite database's write-ahead log on a thread of its own
// ("wal-checkpoint"), for the group committer (group_commit.h): a
// checkpoint inside the writer's COMMIT copied the WAL's pages to the
// database file and synced it, and no order committed meanwhile (15-30 ms
// about once a second at full load).
//
// A round is one or more PASSIVE checkpoints on this thread's connection:
// each syncs the WAL, copies the frames no reader still needs into the
// database file and syncs that, without blocking writers or readers. A
// round repeats them while more than `rest_frames` frames are left to copy
// (writes go on meanwhile), at most four times. SQLite starts the WAL over
// from its beginning only after a checkpoint copied every frame, so the
// writer checkpoints the short rest itself once a round has ended.
//
// Thread-safe.

#include <cstdint>
#include <memory>

namespace bookstore::db {

class Database;

class WalCheckpointer {
 public:
  // Starts the thread; connects on the first round. `db` must be SQLite.
  explicit WalCheckpointer(std::shared_ptr<Database> db, long long rest_frames = 256);
  // Lets a round under way finish, then joins the thread.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Starts a round unless one is asked for or under way; returns at once.
  void Request();
  // Rounds ended so far (a failed checkpoint ends its round; it is logged).
  uint64_t Rounds() const;
  // Blocks until Rounds() >= `rounds`.
  void WaitForRounds(uint64_t rounds) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bookstore::db
