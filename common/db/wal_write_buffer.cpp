// The WAL write buffer: an SQLite VFS that is its base VFS except for the files
// SQLite opens as write-ahead logs, whose consecutive writes it gathers.
#include "common/db/wal_write_buffer.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/db/stacked_vfs.h"

namespace bookstore::db {
namespace {

// A WAL frame header; bytes 4..7 (big-endian) hold the database size in
// pages after the commit for the last frame of a commit, else 0
// (https://www.sqlite.org/fileformat2.html#walformat). SQLite writes each
// frame as this header, then the page, in two calls (walWriteOneFrame, as
// since WAL mode appeared); WalWriteBufferTest.ACommitIsInTheWalFileWhen-
// CommitReturns fails if the SQLite in use ever writes them otherwise.
constexpr int kFrameHeaderBytes = 24;
// A transaction larger than this (a bulk import) is written in pieces.
constexpr size_t kMaxGathered = size_t{4} << 20;
// The "unix" VFS writes at most this many bytes per call (it masks the
// length with 0x1ffff), so larger writes go in pieces of this size.
constexpr size_t kMaxWrite = (size_t{1} << 17) - 1;

std::atomic<uint64_t> g_writes{0};

// A WAL file as SQLite allocates it (the VFS's szOsFile bytes): this struct,
// then the base VFS's file it wraps.
struct GatheringFile {
  sqlite3_file base;  // first: SQLite sees a sqlite3_file*
  sqlite3_file* real = nullptr;
  std::vector<char> gathered;  // bytes for offset `start`, not written yet
  sqlite3_int64 start = 0;
  bool commit_header = false;  // the last write was a commit frame's header
};

constexpr size_t kRealOffset = (sizeof(GatheringFile) + 15) & ~size_t{15};

GatheringFile* Of(sqlite3_file* file) { return reinterpret_cast<GatheringFile*>(file); }

int Flush(GatheringFile* f) {
  f->commit_header = false;
  int rc = SQLITE_OK;
  for (size_t done = 0; done < f->gathered.size() && rc == SQLITE_OK;) {
    const size_t n = std::min(kMaxWrite, f->gathered.size() - done);
    g_writes.fetch_add(1, std::memory_order_relaxed);
    rc = f->real->pMethods->xWrite(f->real, f->gathered.data() + done, static_cast<int>(n),
                                   f->start + static_cast<sqlite3_int64>(done));
    done += n;
  }
  f->gathered.clear();  // keeps the capacity for the next commit
  return rc;
}

bool IsCommitFrameHeader(const void* data, int amount) {
  if (amount != kFrameHeaderBytes) return false;
  const auto* b = static_cast<const unsigned char*>(data);
  return (b[4] | b[5] | b[6] | b[7]) != 0;
}

int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  GatheringFile* f = Of(file);
  const bool ends_commit = f->commit_header;  // `data` is the commit frame's page
  if (offset != f->start + static_cast<sqlite3_int64>(f->gathered.size()) || f->gathered.empty()) {
    if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
    f->start = offset;
  }
  try {
    const auto* bytes = static_cast<const char*>(data);
    f->gathered.insert(f->gathered.end(), bytes, bytes + amount);
  } catch (const std::bad_alloc&) {
    return SQLITE_IOERR_NOMEM;
  }
  f->commit_header = IsCommitFrameHeader(data, amount);
  if (ends_commit || f->gathered.size() >= kMaxGathered) return Flush(f);
  return SQLITE_OK;
}

int Close(sqlite3_file* file) {
  GatheringFile* f = Of(file);
  const int flushed = Flush(f);
  const int closed = f->real->pMethods->xClose(f->real);
  f->~GatheringFile();
  return flushed != SQLITE_OK ? flushed : closed;
}

// Every other method of the file: `Flushing` writes what was gathered, then
// calls the base's method; `Direct` (queries SQLite makes while writing)
// just calls it.
template <auto Method, typename = decltype(Method)>
struct Flushing;
template <auto Method, typename... Args>
struct Flushing<Method, int (*sqlite3_io_methods::*)(sqlite3_file*, Args...)> {
  static int Call(sqlite3_file* file, Args... args) {
    GatheringFile* f = Of(file);
    if (const int rc = Flush(f); rc != SQLITE_OK) return rc;
    return (f->real->pMethods->*Method)(f->real, args...);
  }
};

template <auto Method>
int Direct(sqlite3_file* file) {
  GatheringFile* f = Of(file);
  return (f->real->pMethods->*Method)(f->real);
}

// Version 1: SQLite maps and shares memory through the database file, not
// through its WAL.
const sqlite3_io_methods kGatheringMethods = {
    .iVersion = 1,
    .xClose = Close,
    .xRead = Flushing<&sqlite3_io_methods::xRead>::Call,
    .xWrite = Write,
    .xTruncate = Flushing<&sqlite3_io_methods::xTruncate>::Call,
    .xSync = Flushing<&sqlite3_io_methods::xSync>::Call,
    .xFileSize = Flushing<&sqlite3_io_methods::xFileSize>::Call,
    .xLock = Flushing<&sqlite3_io_methods::xLock>::Call,
    .xUnlock = Flushing<&sqlite3_io_methods::xUnlock>::Call,
    .xCheckReservedLock = Flushing<&sqlite3_io_methods::xCheckReservedLock>::Call,
    .xFileControl = Flushing<&sqlite3_io_methods::xFileControl>::Call,
    .xSectorSize = Direct<&sqlite3_io_methods::xSectorSize>,
    .xDeviceCharacteristics = Direct<&sqlite3_io_methods::xDeviceCharacteristics>,
    .xShmMap = nullptr,
    .xShmLock = nullptr,
    .xShmBarrier = nullptr,
    .xShmUnmap = nullptr,
    .xFetch = nullptr,
    .xUnfetch = nullptr,
};

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* base = StackedVfs::Of(vfs)->base;
  if ((flags & SQLITE_OPEN_WAL) == 0) return base->xOpen(base, name, file, flags, out_flags);
  auto* f = new (file) GatheringFile();
  f->base.pMethods = nullptr;
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
  f->real->pMethods = nullptr;
  const int rc = base->xOpen(base, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    f->~GatheringFile();
    file->pMethods = nullptr;
    return rc;
  }
  f->base.pMethods = &kGatheringMethods;
  return SQLITE_OK;
}

}  // namespace

const std::string& WalWriteBufferVfs(const std::string& base_name) {
  static std::mutex mu;
  static auto* registered = new std::map<std::string, std::unique_ptr<StackedVfs>>();
  std::lock_guard lock(mu);
  if (const auto it = registered->find(base_name); it != registered->end()) return it->second->name;
  sqlite3_vfs* base = sqlite3_vfs_find(base_name.c_str());
  if (base == nullptr) throw std::runtime_error("SQLite has no \"" + base_name + "\" VFS");
  auto made = std::make_unique<StackedVfs>();
  made->StackOn(base,
                base_name == "unix" ? "bookstore-wal-buffer" : "bookstore-wal-buffer+" + base_name,
                static_cast<int>(kRealOffset) + base->szOsFile);
  made->vfs.xOpen = Open;
  if (sqlite3_vfs_register(&made->vfs, 0) != SQLITE_OK) {
    throw std::runtime_error("SQLite refused the WAL write buffer VFS");
  }
  return registered->emplace(base_name, std::move(made)).first->second->name;
}

uint64_t WalWritesIssued() { return g_writes.load(std::memory_order_relaxed); }

}  // namespace bookstore::db
