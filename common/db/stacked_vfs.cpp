// StackedVfs: forwarders for every sqlite3_vfs method (version 3).
#include "common/db/stacked_vfs.h"

#include <utility>

namespace bookstore::db {
namespace {

sqlite3_vfs* Base(sqlite3_vfs* vfs) { return StackedVfs::Of(vfs)->base; }

int Open(sqlite3_vfs* v, sqlite3_filename name, sqlite3_file* f, int flags, int* out) {
  return Base(v)->xOpen(Base(v), name, f, flags, out);
}
int Delete(sqlite3_vfs* v, const char* name, int sync_dir) {
  return Base(v)->xDelete(Base(v), name, sync_dir);
}
int Access(sqlite3_vfs* v, const char* name, int flags, int* out) {
  return Base(v)->xAccess(Base(v), name, flags, out);
}
int FullPathname(sqlite3_vfs* v, const char* name, int n, char* out) {
  return Base(v)->xFullPathname(Base(v), name, n, out);
}
void* DlOpen(sqlite3_vfs* v, const char* name) { return Base(v)->xDlOpen(Base(v), name); }
void DlError(sqlite3_vfs* v, int n, char* out) { Base(v)->xDlError(Base(v), n, out); }
void (*DlSym(sqlite3_vfs* v, void* lib, const char* sym))(void) {
  return Base(v)->xDlSym(Base(v), lib, sym);
}
void DlClose(sqlite3_vfs* v, void* lib) { Base(v)->xDlClose(Base(v), lib); }
int Randomness(sqlite3_vfs* v, int n, char* out) { return Base(v)->xRandomness(Base(v), n, out); }
int Sleep(sqlite3_vfs* v, int us) { return Base(v)->xSleep(Base(v), us); }
int CurrentTime(sqlite3_vfs* v, double* out) { return Base(v)->xCurrentTime(Base(v), out); }
int GetLastError(sqlite3_vfs* v, int n, char* out) {
  return Base(v)->xGetLastError ? Base(v)->xGetLastError(Base(v), n, out) : 0;
}
int CurrentTimeInt64(sqlite3_vfs* v, sqlite3_int64* out) {
  return Base(v)->xCurrentTimeInt64(Base(v), out);
}
int SetSystemCall(sqlite3_vfs* v, const char* name, sqlite3_syscall_ptr call) {
  return Base(v)->xSetSystemCall(Base(v), name, call);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs* v, const char* name) {
  return Base(v)->xGetSystemCall(Base(v), name);
}
const char* NextSystemCall(sqlite3_vfs* v, const char* name) {
  return Base(v)->xNextSystemCall(Base(v), name);
}

}  // namespace

void StackedVfs::StackOn(sqlite3_vfs* below, std::string vfs_name, int os_file_bytes) {
  base = below;
  name = std::move(vfs_name);
  vfs = sqlite3_vfs{};
  // Version 2 at most when the base has no system-call methods.
  vfs.iVersion = below->iVersion >= 3 ? 3 : below->iVersion;
  vfs.szOsFile = os_file_bytes;
  vfs.mxPathname = below->mxPathname;
  vfs.zName = name.c_str();
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  if (vfs.iVersion >= 2) vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  if (vfs.iVersion >= 3) {
    vfs.xSetSystemCall = SetSystemCall;
    vfs.xGetSystemCall = GetSystemCall;
    vfs.xNextSystemCall = NextSystemCall;
  }
}

}  // namespace bookstore::db
