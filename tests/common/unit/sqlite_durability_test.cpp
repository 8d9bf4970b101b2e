// Which SQLite versions get pipelined commits, and what an operator is told
// otherwise (sqlite_durability.h).
#include "common/db/sqlite_durability.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace bookstore::db {
namespace {

TEST(SqliteDurability, PipelinedOnlyOnCrashTestedVersionsAtFull) {
  EXPECT_TRUE(ChoosePipeline(SqlitePipeline::kAuto, true, 3040001).pipelined);
  EXPECT_TRUE(ChoosePipeline(SqlitePipeline::kAuto, true, 3040000).pipelined);
  EXPECT_FALSE(ChoosePipeline(SqlitePipeline::kOff, true, 3040001).pipelined);
  EXPECT_FALSE(ChoosePipeline(SqlitePipeline::kAuto, false, 3040001).pipelined);
  EXPECT_FALSE(ChoosePipeline(SqlitePipeline::kAuto, true, 3039004).pipelined);
  EXPECT_FALSE(ChoosePipeline(SqlitePipeline::kAuto, true, 3045001).pipelined);
}

TEST(SqliteDurability, AnUntestedVersionFallsBackToPlainCommitsAndSaysWhatToDo) {
  const PipelineChoice c = ChoosePipeline(SqlitePipeline::kAuto, true, 3045001);
  EXPECT_FALSE(c.pipelined);
  EXPECT_NE(c.warning.find("SQLite 3.45.1 is not a version"), std::string::npos) << c.warning;
  EXPECT_NE(c.warning.find("make test-crash"), std::string::npos);
  EXPECT_NE(c.warning.find("BOOKSTORE_SQLITE_PIPELINE=off"), std::string::npos);
  // Choices the operator made say nothing.
  EXPECT_EQ(ChoosePipeline(SqlitePipeline::kOff, true, 3045001).warning, "");
  EXPECT_EQ(ChoosePipeline(SqlitePipeline::kAuto, false, 3045001).warning, "");
  EXPECT_EQ(ChoosePipeline(SqlitePipeline::kAuto, true, 3040001).warning, "");
}

// The SQLite this build links is one the crash tests ran on: otherwise the
// project's own numbers (bench/) would be of plain commits.
TEST(SqliteDurability, TheLinkedSqliteIsTested) {
  EXPECT_TRUE(PipelineTestedOn(sqlite3_libversion_number()))
      << "SQLite " << SqliteVersionText(sqlite3_libversion_number())
      << ": run make test-crash, then add it to common/db/sqlite_durability.cpp";
}

TEST(SqliteDurability, VersionText) { EXPECT_EQ(SqliteVersionText(3040001), "3.40.1"); }

}  // namespace
}  // namespace bookstore::db
