#pragma once
// The file-system calls that decide SQLite durability, behind one small
// interface (leveldb's Env is the model): the SQLite VFS that database
// files are opened through, and the syncs the group committer issues
// itself (WalFile). The default is the real file system through SQLite's
// "unix" VFS; tests substitute a fault-injecting one that can cut the
// power (tests/support/fault_fs.h). Implementations are thread-safe.

#include <memory>
#include <string>

namespace bookstore::db {

class FileEnv {
 public:
  virtual ~FileEnv() = default;

  // The name of a registered SQLite VFS to open database files through.
  // The WAL write buffer (wal_write_buffer.h) stacks on it when commits
  // are pipelined. Stable for the env's lifetime.
  virtual const std::string& VfsName() const = 0;
  // fdatasync(fd), where `fd` is open on the file at `path` (as the
  // caller spelled it). Returns 0 or an errno value.
  virtual int DataSync(int fd, const std::string& path) = 0;
  // fsync of the folder at `path`, so that the files created in it
  // survive a crash. Returns 0 or an errno value.
  virtual int SyncFolder(const std::string& path) = 0;

  // The real file system and the "unix" VFS. Never null; shared.
  static std::shared_ptr<FileEnv> Default();
};

}  // namespace bookstore::db
