// WalCheckpointer on a real SQLite file: a round copies the WAL into the
// database file on the checkpointer's own thread.
#include "common/db/wal_checkpointer.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <filesystem>
#include <string>

#include "common/db/database.h"
#include "tests/support/test_env.h"

namespace bookstore::db {
namespace {

TEST(WalCheckpointerTest, ARoundCopiesTheWalIntoTheDatabaseFile) {
  bookstore::test::TestDatabase test_db("sqlite");
  auto db = test_db.Open();
  auto& s = db->Session();
  s << "PRAGMA wal_autocheckpoint = 0";  // only the checkpointer copies
  s << "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)";
  const std::string body(900, 'n');
  for (int i = 0; i < 200; ++i) s << "INSERT INTO notes (body) VALUES (:b)", soci::use(body);
  const auto before = std::filesystem::file_size(db->sqlite_path());

  WalCheckpointer checkpointer(db);
  EXPECT_EQ(checkpointer.Rounds(), 0u);
  checkpointer.Request();
  checkpointer.WaitForRounds(1);
  EXPECT_EQ(checkpointer.Rounds(), 1u);
  EXPECT_GT(std::filesystem::file_size(db->sqlite_path()), before + 150 * 1024);
  long long rows = 0;
  s << "SELECT count(*) FROM notes", soci::into(rows);
  EXPECT_EQ(rows, 200);
}

TEST(WalCheckpointerTest, EachRequestAfterARoundStartsAnother) {
  bookstore::test::TestDatabase test_db("sqlite");
  auto db = test_db.Open();
  db->Session() << "CREATE TABLE notes (id INTEGER PRIMARY KEY)";
  WalCheckpointer checkpointer(db);
  for (uint64_t round = 1; round <= 3; ++round) {
    checkpointer.Request();
    checkpointer.WaitForRounds(round);
  }
  EXPECT_EQ(checkpointer.Rounds(), 3u);
}

}  // namespace
}  // namespace bookstore::db
