#include "common/db/sqlite_durability.h"

namespace bookstore::db {
namespace {

// [first, last] as sqlite3_libversion_number(). Add a range only after
// `make test-crash` passed on that SQLite (docs/database.md).
struct Tested {
  int first;
  int last;
};
constexpr Tested kTested[] = {
    {3040000, 3040999},  // 3.40.x: Debian 12
};
constexpr char kTestedText[] = "3.40.x";

}  // namespace

bool PipelineTestedOn(int version_number) {
  for (const Tested& t : kTested) {
    if (version_number >= t.first && version_number <= t.last) return true;
  }
  return false;
}

std::string SqliteVersionText(int v) {
  return std::to_string(v / 1000000) + "." + std::to_string(v / 1000 % 1000) + "." +
         std::to_string(v % 1000);
}

PipelineChoice ChoosePipeline(SqlitePipeline mode, bool synchronous_full, int version_number) {
  if (mode == SqlitePipeline::kOff || !synchronous_full) return {};
  PipelineChoice choice;
  choice.pipelined = PipelineTestedOn(version_number);
  if (choice.pipelined) return choice;
  choice.warning = "SQLite " + SqliteVersionText(version_number) +
                   " is not a version the pipelined WAL commits were crash-tested on (" +
                   kTestedText +
                   "); orders commit with plain synchronous=FULL instead (as durable, slower "
                   "under concurrent orders). To pipeline on this SQLite, run `make "
                   "test-crash` with it and add it to common/db/sqlite_durability.cpp; set "
                   "BOOKSTORE_SQLITE_PIPELINE=off to choose plain commits without this "
                   "warning.";
  return choice;
}

}  // namespace bookstore::db
