#pragma once
// A file system that can lose its power, for crash tests (leveldb's
// FaultInjectionTestEnv is the model). A db::FileEnv whose SQLite VFS
// stacks on "unix": every file still reads and writes the real file, and
// the VFS also records, per file, what a disk would hold after a power cut
// (the bytes as of the file's last completed sync) and which 512-byte
// sectors were written since. A sync makes durable what was written
// before it started. After a cut every write, truncate, sync and delete
// fails with an I/O error and changes nothing, so nobody can be told that
// a later write is durable. WriteImage() then writes the disk's content
// as files, to be opened like a database after a reboot: only synced data,
// or that plus a seeded random subset of the unsynced sectors (a disk that
// wrote part of its cache, in any order, before the power went).
//
// Model limits: file creation and deletion are durable at once (SQLite and
// WalFile sync the folder after creating a journal or WAL); a file that was
// never synced is absent from the image; sectors tear whole (512 bytes),
// never inside. Thread-safe.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/db/file_env.h"

namespace bookstore::test {

class FaultFs : public db::FileEnv {
 public:
  // Operations that can trigger a cut. A WAL or database sync is SQLite's
  // (a checkpoint, a FULL commit) or the env's DataSync (the group
  // committer's syncer). kWalRestart: a write at offset 0 of a WAL that
  // already held frames (SQLite starting it over after a checkpoint).
  enum class Event { kWalWrite, kWalSync, kWalRestart, kDbWrite, kDbSync };
  static constexpr int kEvents = 5;

  // Registers a VFS of its own (unique name) over "unix".
  FaultFs();
  // Requires that no database file is open through it.
  ~FaultFs() override;
  FaultFs(const FaultFs&) = delete;
  FaultFs& operator=(const FaultFs&) = delete;

  const std::string& VfsName() const override;
  int DataSync(int fd, const std::string& path) override;
  int SyncFolder(const std::string& path) override;

  // The `nth` (from 1) occurrence of `event` from now on cuts the power
  // instead of being performed.
  void CutAt(Event event, uint64_t nth);
  // Cuts the power now (idempotent).
  void Cut();
  bool cut() const;
  // Occurrences of `event` so far (including the one that cut).
  uint64_t Count(Event event) const;

  // The control that proves a test detects lost writes: DataSync returns
  // success without making anything durable (a syncer whose fdatasync was
  // removed).
  void DropEnvSyncs(bool drop);

  // After the cut: writes every file the disk would hold into `folder`
  // under its base name. With `torn_seed`, each sector written since its
  // file's last sync is kept with probability 1/2 (seeded), else only
  // synced bytes. Returns how many unsynced sectors were kept.
  uint64_t WriteImage(const std::string& folder, std::optional<uint64_t> torn_seed) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

const char* EventName(FaultFs::Event event);

}  // namespace bookstore::test
