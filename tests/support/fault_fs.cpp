// FaultFs: a "unix"-stacked SQLite VFS and a db::FileEnv sharing one model
// of what the disk holds.
#include "tests/support/fault_fs.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <new>
#include <random>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "common/db/database.h"
#include "common/db/stacked_vfs.h"

namespace bookstore::test {
namespace {

constexpr size_t kSector = 512;
constexpr size_t kWalHeaderBytes = 32;

enum class Kind { kDb, kWal, kOther };

std::string Normal(const std::string& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

// What one file holds: in the page cache (`current`) and on the disk
// (`durable`), and which sectors differ possibly (`dirty`).
struct FileState {
  Kind kind = Kind::kOther;
  std::string current;
  std::string durable;
  std::vector<bool> dirty;  // by sector of `current`
  bool synced_once = false;
  // Writes and truncates so far, and how many of them `durable` holds.
  uint64_t version = 0;
  uint64_t durable_version = 0;

  void MarkDirty(size_t from, size_t to) {
    if (to == from) return;
    const size_t last = (to - 1) / kSector;
    if (dirty.size() <= last) dirty.resize(last + 1, false);
    for (size_t s = from / kSector; s <= last; ++s) dirty[s] = true;
  }
};

std::string_view Sector(const std::string& bytes, size_t sector) {
  const size_t from = sector * kSector;
  return from < bytes.size() ? std::string_view(bytes).substr(from, kSector) : std::string_view();
}

// A sync in two steps: what was written before it started, then (when the
// real sync succeeded and the power is still on) that made durable.
struct SyncSnapshot {
  std::shared_ptr<FileState> file;
  std::string content;
  uint64_t version = 0;
};

}  // namespace

struct FaultFs::Impl {
  db::StackedVfs vfs;
  mutable std::mutex mu;
  std::map<std::string, std::shared_ptr<FileState>> files;  // by normal path; guarded by mu
  uint64_t counts[kEvents] = {};                            // guarded by mu
  std::optional<Event> armed_event;                         // guarded by mu
  uint64_t armed_at = 0;                                    // guarded by mu
  std::atomic<bool> is_cut{false};
  std::atomic<bool> drop_env_syncs{false};

  // Counts `event`; true when it cuts (or the power is off already).
  // Requires mu.
  bool CountAndCheck(Event event) {
    if (is_cut) return true;
    const uint64_t n = ++counts[static_cast<int>(event)];
    if (armed_event == event && n == armed_at) {
      is_cut = true;
      return true;
    }
    return false;
  }

  std::shared_ptr<FileState> Track(const std::string& path, Kind kind) {
    std::lock_guard lock(mu);
    auto& state = files[path];
    if (!state) {
      state = std::make_shared<FileState>();
      state->kind = kind;
      std::ifstream in(path, std::ios::binary);  // a file that existed before: as synced
      state->current.assign(std::istreambuf_iterator<char>(in), {});
      state->durable = state->current;
      state->synced_once = !state->current.empty();
    }
    return state;
  }

  // Step 1 of a sync of `file`: false when the power is (or goes) off.
  bool BeginSync(const std::shared_ptr<FileState>& file, SyncSnapshot& out) {
    std::lock_guard lock(mu);
    if (CountAndCheck(file->kind == Kind::kWal ? Event::kWalSync : Event::kDbSync)) return false;
    out.file = file;
    out.content = file->current;
    out.version = file->version;
    return true;
  }

  // Step 2: false when the power went off meanwhile (nothing made durable).
  bool EndSync(const SyncSnapshot& snap) {
    std::lock_guard lock(mu);
    if (is_cut) return false;
    FileState& f = *snap.file;
    // Syncs overlap (the syncer's and a checkpoint's): one that started
    // later may have ended first, and the disk never goes back.
    if (snap.version <= f.durable_version) return true;
    // Sectors rewritten during the sync stay dirty; the rest is on disk.
    for (size_t s = 0; s < f.dirty.size(); ++s) {
      if (f.dirty[s] && Sector(f.current, s) == Sector(snap.content, s)) f.dirty[s] = false;
    }
    f.durable = snap.content;
    f.durable_version = snap.version;
    f.synced_once = true;
    return true;
  }
};

namespace {

using Event = FaultFs::Event;

// An open file: the "unix" file, and the model of the file at its path.
struct FaultFile {
  sqlite3_file base;  // first: SQLite sees a sqlite3_file*
  sqlite3_file* real = nullptr;
  FaultFs::Impl* fs = nullptr;
  std::shared_ptr<FileState> state;  // null for temporary files
};

constexpr size_t kRealOffset = (sizeof(FaultFile) + 15) & ~size_t{15};

FaultFile* Of(sqlite3_file* file) { return reinterpret_cast<FaultFile*>(file); }

int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  FaultFile* f = Of(file);
  if (f->state) {
    std::lock_guard lock(f->fs->mu);
    FileState& s = *f->state;
    const auto at = static_cast<size_t>(offset);
    Event event = s.kind == Kind::kWal ? Event::kWalWrite : Event::kDbWrite;
    if (s.kind == Kind::kWal && at == 0 && s.current.size() > kWalHeaderBytes) {
      event = Event::kWalRestart;
    }
    if (s.kind == Kind::kOther ? f->fs->is_cut.load() : f->fs->CountAndCheck(event)) {
      return SQLITE_IOERR_WRITE;
    }
    const auto n = static_cast<size_t>(amount);
    if (s.current.size() < at + n) s.current.resize(at + n, '\0');
    s.current.replace(at, n, static_cast<const char*>(data), n);
    s.MarkDirty(at, at + n);
    ++s.version;
    // Under the lock: the real file and the model see writes in one order.
    return f->real->pMethods->xWrite(f->real, data, amount, offset);
  }
  if (f->fs->is_cut) return SQLITE_IOERR_WRITE;
  return f->real->pMethods->xWrite(f->real, data, amount, offset);
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  FaultFile* f = Of(file);
  if (f->fs->is_cut) return SQLITE_IOERR_TRUNCATE;
  if (f->state) {
    std::lock_guard lock(f->fs->mu);
    if (f->fs->is_cut) return SQLITE_IOERR_TRUNCATE;
    FileState& s = *f->state;
    const auto to = static_cast<size_t>(size);
    if (to < s.current.size()) {
      s.MarkDirty(to, s.current.size());
      s.current.resize(to);
      ++s.version;
    }
    return f->real->pMethods->xTruncate(f->real, size);
  }
  return f->real->pMethods->xTruncate(f->real, size);
}

int Sync(sqlite3_file* file, int flags) {
  FaultFile* f = Of(file);
  if (!f->state)
    return f->fs->is_cut ? SQLITE_IOERR_FSYNC : f->real->pMethods->xSync(f->real, flags);
  SyncSnapshot snap;
  if (!f->fs->BeginSync(f->state, snap)) return SQLITE_IOERR_FSYNC;
  if (const int rc = f->real->pMethods->xSync(f->real, flags); rc != SQLITE_OK) return rc;
  return f->fs->EndSync(snap) ? SQLITE_OK : SQLITE_IOERR_FSYNC;
}

int Close(sqlite3_file* file) {
  FaultFile* f = Of(file);
  const int rc = f->real->pMethods->xClose(f->real);
  f->~FaultFile();
  return rc;
}

// Methods that only read or coordinate: the "unix" file's own.
template <auto Method, typename = decltype(Method)>
struct Forward;
template <auto Method, typename R, typename... Args>
struct Forward<Method, R (*sqlite3_io_methods::*)(sqlite3_file*, Args...)> {
  static R Call(sqlite3_file* file, Args... args) {
    FaultFile* f = Of(file);
    return (f->real->pMethods->*Method)(f->real, args...);
  }
};

int ShmMap(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
  FaultFile* f = Of(file);
  return f->real->pMethods->xShmMap(f->real, page, size, extend, out);
}

const sqlite3_io_methods kMethods = {
    .iVersion = 3,
    .xClose = Close,
    .xRead = Forward<&sqlite3_io_methods::xRead>::Call,
    .xWrite = Write,
    .xTruncate = Truncate,
    .xSync = Sync,
    .xFileSize = Forward<&sqlite3_io_methods::xFileSize>::Call,
    .xLock = Forward<&sqlite3_io_methods::xLock>::Call,
    .xUnlock = Forward<&sqlite3_io_methods::xUnlock>::Call,
    .xCheckReservedLock = Forward<&sqlite3_io_methods::xCheckReservedLock>::Call,
    .xFileControl = Forward<&sqlite3_io_methods::xFileControl>::Call,
    .xSectorSize = Forward<&sqlite3_io_methods::xSectorSize>::Call,
    .xDeviceCharacteristics = Forward<&sqlite3_io_methods::xDeviceCharacteristics>::Call,
    .xShmMap = ShmMap,
    .xShmLock = Forward<&sqlite3_io_methods::xShmLock>::Call,
    .xShmBarrier = Forward<&sqlite3_io_methods::xShmBarrier>::Call,
    .xShmUnmap = Forward<&sqlite3_io_methods::xShmUnmap>::Call,
    .xFetch = Forward<&sqlite3_io_methods::xFetch>::Call,
    .xUnfetch = Forward<&sqlite3_io_methods::xUnfetch>::Call,
};

FaultFs::Impl* FsOf(sqlite3_vfs* vfs) {
  return static_cast<FaultFs::Impl*>(db::StackedVfs::Of(vfs)->layer);
}

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  FaultFs::Impl* fs = FsOf(vfs);
  sqlite3_vfs* base = fs->vfs.base;
  auto* f = new (file) FaultFile();
  f->base.pMethods = nullptr;
  f->fs = fs;
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
  f->real->pMethods = nullptr;
  const int rc = base->xOpen(base, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    f->~FaultFile();
    file->pMethods = nullptr;
    return rc;
  }
  const Kind kind = (flags & SQLITE_OPEN_MAIN_DB) ? Kind::kDb
                    : (flags & SQLITE_OPEN_WAL)   ? Kind::kWal
                                                  : Kind::kOther;
  if (name != nullptr && (flags & SQLITE_OPEN_DELETEONCLOSE) == 0) {
    f->state = fs->Track(Normal(name), kind);
  }
  f->base.pMethods = &kMethods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  FaultFs::Impl* fs = FsOf(vfs);
  {
    std::lock_guard lock(fs->mu);
    if (fs->is_cut) return SQLITE_IOERR_DELETE;
    fs->files.erase(Normal(name));
  }
  return fs->vfs.base->xDelete(fs->vfs.base, name, sync_dir);
}

std::atomic<int> g_next_id{1};

}  // namespace

const char* EventName(FaultFs::Event event) {
  switch (event) {
    case FaultFs::Event::kWalWrite:
      return "WAL write";
    case FaultFs::Event::kWalSync:
      return "WAL sync";
    case FaultFs::Event::kWalRestart:
      return "WAL restart";
    case FaultFs::Event::kDbWrite:
      return "database write (checkpoint)";
    case FaultFs::Event::kDbSync:
      return "database sync (checkpoint)";
  }
  return "?";
}

FaultFs::FaultFs() : impl_(std::make_unique<Impl>()) {
  db::ConfigureSqlite();  // before SQLite initialises (vfs_find does)
  sqlite3_vfs* unix_vfs = sqlite3_vfs_find("unix");
  if (unix_vfs == nullptr) throw std::runtime_error("SQLite has no \"unix\" VFS");
  impl_->vfs.StackOn(unix_vfs, "bookstore-fault-" + std::to_string(g_next_id++),
                     static_cast<int>(kRealOffset) + unix_vfs->szOsFile);
  impl_->vfs.layer = impl_.get();
  impl_->vfs.vfs.xOpen = Open;
  impl_->vfs.vfs.xDelete = Delete;
  if (sqlite3_vfs_register(&impl_->vfs.vfs, 0) != SQLITE_OK) {
    throw std::runtime_error("SQLite refused the fault-injecting VFS");
  }
}

FaultFs::~FaultFs() { sqlite3_vfs_unregister(&impl_->vfs.vfs); }

const std::string& FaultFs::VfsName() const { return impl_->vfs.name; }

int FaultFs::DataSync(int fd, const std::string& path) {
  std::shared_ptr<FileState> file;
  {
    std::lock_guard lock(impl_->mu);
    const auto it = impl_->files.find(Normal(path));
    if (it != impl_->files.end()) file = it->second;
  }
  if (!file) return ::fdatasync(fd) == 0 ? 0 : errno;  // not a file SQLite opened through us
  if (impl_->drop_env_syncs) return impl_->is_cut ? EIO : 0;
  SyncSnapshot snap;
  if (!impl_->BeginSync(file, snap)) return EIO;
  if (::fdatasync(fd) != 0) return errno;
  return impl_->EndSync(snap) ? 0 : EIO;
}

int FaultFs::SyncFolder(const std::string&) { return impl_->is_cut ? EIO : 0; }

void FaultFs::CutAt(Event event, uint64_t nth) {
  std::lock_guard lock(impl_->mu);
  impl_->armed_event = event;
  impl_->armed_at = impl_->counts[static_cast<int>(event)] + nth;
}

void FaultFs::Cut() {
  std::lock_guard lock(impl_->mu);
  impl_->is_cut = true;
}

bool FaultFs::cut() const { return impl_->is_cut; }

uint64_t FaultFs::Count(Event event) const {
  std::lock_guard lock(impl_->mu);
  return impl_->counts[static_cast<int>(event)];
}

void FaultFs::DropEnvSyncs(bool drop) { impl_->drop_env_syncs = drop; }

uint64_t FaultFs::WriteImage(const std::string& folder, std::optional<uint64_t> torn_seed) const {
  std::lock_guard lock(impl_->mu);
  if (!impl_->is_cut) throw std::logic_error("FaultFs::WriteImage before the cut");
  std::mt19937_64 random(torn_seed.value_or(0));
  uint64_t kept = 0;
  std::filesystem::create_directories(folder);
  for (const auto& [path, state] : impl_->files) {
    const FileState& f = *state;
    if (f.kind == Kind::kOther) continue;
    std::string image = f.durable;
    bool any = f.synced_once;
    if (torn_seed) {
      for (size_t s = 0; s < f.dirty.size(); ++s) {
        if (!f.dirty[s] || (random() & 1) == 0) continue;
        const size_t from = s * kSector;
        if (from >= f.current.size()) continue;  // truncated since: the old bytes stay
        const size_t n = std::min(kSector, f.current.size() - from);
        if (image.size() < from + n) image.resize(from + n, '\0');
        image.replace(from, n, f.current, from, n);
        ++kept;
        any = true;
      }
    }
    if (!any) continue;
    const std::string name = std::filesystem::path(path).filename().string();
    std::ofstream out(folder + "/" + name, std::ios::binary | std::ios::trunc);
    out.write(image.data(), static_cast<std::streamsize>(image.size()));
    if (!out) throw std::runtime_error("cannot write the image of " + name);
  }
  return kept;
}

}  // namespace bookstore::test
