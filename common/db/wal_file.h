#pragma once
// The write-ahead log of an SQLite database, for a writer that commits with
// synchronous=NORMAL (COMMIT writes the frames but does not sync them) and
// makes its commits durable itself, off the writer's path. Frames reach the
// WAL in commit order, so one Sync() makes every commit finished before it
// durable. Not thread-safe: one owner thread.

#include <cstdint>
#include <memory>
#include <string>

namespace bookstore::db {

class FileEnv;

class WalFile {
 public:
  // `database_path`: the SQLite database file; its WAL is "<path>-wal".
  // Syncs go through `env` (file_env.h).
  WalFile(std::string database_path, std::shared_ptr<FileEnv> env);
  ~WalFile();
  WalFile(const WalFile&) = delete;
  WalFile& operator=(const WalFile&) = delete;

  // fdatasync of the WAL. (Re)opens it when it is new or was replaced (an
  // unlinked WAL was checkpointed in full before SQLite removed it), and
  // then syncs its folder once, so that the file itself survives a crash.
  // Throws std::system_error when the WAL cannot be opened or synced.
  void Sync();

  // Starts writing the WAL's dirty pages to the disk and returns without
  // waiting (sync_file_range), so that a later Sync() (of this or another
  // WalFile) finds less to write. Durability still needs Sync(); errors
  // are left for it to report.
  void StartWriteback() noexcept;

 private:
  // Opens the WAL when it is new or was replaced (see Sync()).
  void Open();

  std::string path_;
  std::string folder_;
  std::shared_ptr<FileEnv> env_;
  int fd_ = -1;
  uint64_t inode_ = 0;
};

}  // namespace bookstore::db
