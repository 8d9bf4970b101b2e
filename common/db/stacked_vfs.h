#pragma once
// Internal to SQLite VFS layers (the WAL write buffer, the tests' fault
// injector): a VFS that stacks on another and forwards every method it does
// not replace to it. Includes <sqlite3.h>: keep it out of other headers.

#include <sqlite3.h>

#include <string>

namespace bookstore::db {

// SQLite passes the `vfs` member's address to every method; the methods
// of a layer cast it back (StackedVfs::Of). First member: `vfs`.
struct StackedVfs {
  sqlite3_vfs vfs{};
  sqlite3_vfs* base = nullptr;  // the VFS below; outlives this one
  void* layer = nullptr;        // the layer's own state
  std::string name;

  static StackedVfs* Of(sqlite3_vfs* vfs) { return reinterpret_cast<StackedVfs*>(vfs); }

  // Sets `vfs` to forward every method to `base` (opened files are the
  // base's) under `name`, with `os_file_bytes` per open file (at least the
  // base's szOsFile). The caller replaces the methods it layers (xOpen at
  // least, when files are wrapped), then registers `vfs`.
  void StackOn(sqlite3_vfs* below, std::string vfs_name, int os_file_bytes);
};

}  // namespace bookstore::db
