#pragma once
// Whether SQLite order commits are pipelined (group_commit.h: the writer
// commits at synchronous=NORMAL, a syncer thread fdatasyncs the WAL before
// anyone is answered) or plain (every COMMIT syncs, synchronous=FULL).
// The pipeline relies on how SQLite writes its WAL (wal_write_buffer.h,
// docs/database.md, "Durability invariants"); it is used only on SQLite
// versions the crash tests (tests/common/integration/crash_test.cpp) ran
// on. Both are as durable; plain is slower under concurrent orders.

#include <string>

namespace bookstore::db {

enum class SqlitePipeline {
  kAuto,  // pipelined when synchronous=FULL and the SQLite version is tested
  kOff,   // plain synchronous=FULL (or NORMAL) commits, SQLite's own VFS
};

// True when `version_number` (as sqlite3_libversion_number()) is one the
// crash tests ran on.
bool PipelineTestedOn(int version_number);

struct PipelineChoice {
  bool pipelined = false;
  std::string warning;  // for the log when the pipeline was refused; else ""
};

// The choice for a database opened with `mode` and `synchronous_full` on
// the SQLite of `version_number`. Pure.
PipelineChoice ChoosePipeline(SqlitePipeline mode, bool synchronous_full, int version_number);

// "3.40.1" for 3040001.
std::string SqliteVersionText(int version_number);

}  // namespace bookstore::db
