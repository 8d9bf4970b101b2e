// Writers of one process on SQLite queue on the Database's writer mutex
// instead of meeting SQLite's busy handler: even with busy_timeout 1 ms (where
// a second BEGIN IMMEDIATE soon fails with "database is locked"), every
// concurrent transaction commits.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <thread>
#include <vector>

#include "common/db/database.h"
#include "common/db/migrations.h"
#include "tests/common/integration/db_test_util.h"
#include "tests/support/test_env.h"

namespace bookstore::test {
namespace {

TEST(SqliteWritersTest, ConcurrentTransactionsOfOneProcessQueueInsteadOfFailing) {
  TempDir dir;
  auto db = db::Database::Open(
      {.url = "sqlite:" + dir.File("w.db"), .busy_timeout = std::chrono::milliseconds(1)});
  db::Migrate(*db);

  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        try {
          db::Transaction tx(*db);
          InsertUser(tx.session(), "user_" + std::to_string(t) + "_" + std::to_string(i));
          tx.Commit();
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountRows(db->Session(), "users"), kThreads * kEach);
}

}  // namespace
}  // namespace bookstore::test
