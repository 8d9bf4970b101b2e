// GroupCommitter on a real SQLite file: units of concurrent callers share
// commits, yet each keeps, rolls back or fails on its own.
#include "common/db/group_commit.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/db/database.h"
#include "tests/support/test_env.h"

namespace bookstore::db {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  GroupCommitTest() : db_(test_db_.Open()) {
    db_->Session() << "CREATE TABLE items (id INTEGER PRIMARY KEY, tag TEXT NOT NULL UNIQUE)";
  }

  long long Count(const std::string& where = "1 = 1") {
    long long n = 0;
    db_->Session() << "SELECT count(*) FROM items WHERE " + where, soci::into(n);
    return n;
  }

  static void Insert(soci::session& sql, const std::string& tag) {
    sql << "INSERT INTO items (tag) VALUES (:tag)", soci::use(tag);
  }

  bookstore::test::TestDatabase test_db_{"sqlite"};
  std::shared_ptr<Database> db_;
};

TEST_F(GroupCommitTest, KeptUnitsAreCommittedBeforeRunReturns) {
  GroupCommitter committer(db_);
  committer.Run([](soci::session& sql) {
    Insert(sql, "one");
    return true;
  });
  // Visible to another connection at once: committed, not just queued.
  EXPECT_EQ(Count("tag = 'one'"), 1);
}

TEST_F(GroupCommitTest, EachUnitKeepsRollsBackOrFailsAloneUnderConcurrency) {
  GroupCommitter committer(db_, /*max_batch=*/8);
  constexpr int kThreads = 48;
  std::latch start(kThreads);
  std::atomic<int> thrown{0}, wrong{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      const std::string tag = "t" + std::to_string(i);
      try {
        committer.Run([&](soci::session& sql) {
          Insert(sql, tag);
          if (i % 3 == 1) return false;      // changes its mind: rolled back
          if (i % 3 == 2) Insert(sql, tag);  // duplicate: throws, rolled back
          return true;
        });
        if (i % 3 == 2) ++wrong;  // the error must reach this caller
      } catch (const soci::soci_error&) {
        if (i % 3 == 2)
          ++thrown;
        else
          ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(thrown, kThreads / 3);
  EXPECT_EQ(Count(), kThreads / 3);  // exactly the units that kept their insert
  for (int i = 0; i < kThreads; i += 3) EXPECT_EQ(Count("tag = 't" + std::to_string(i) + "'"), 1);
}

TEST_F(GroupCommitTest, AFailedBeginOrCommitFailsTheUnitsAndTheNextBatchRecovers) {
  // Another connection holds the write lock longer than the busy timeout
  // allows: BEGIN IMMEDIATE fails, and so does the unit, with nothing kept.
  auto other = Database::Open({db_->options().url, true, std::chrono::milliseconds(1)});
  std::latch locked(1), release(1);
  std::thread holder([&] {
    soci::session& sql = other->Session();
    sql << "BEGIN IMMEDIATE";
    locked.count_down();
    release.wait();
    sql << "ROLLBACK";
  });
  locked.wait();
  auto quick = Database::Open({db_->options().url, true, std::chrono::milliseconds(1)});
  GroupCommitter impatient(quick);
  EXPECT_THROW(impatient.Run([](soci::session& sql) {
    Insert(sql, "blocked");
    return true;
  }),
               soci::soci_error);
  release.count_down();
  holder.join();
  EXPECT_EQ(Count("tag = 'blocked'"), 0);
  // The committer recovers for the next batch.
  impatient.Run([](soci::session& sql) {
    Insert(sql, "later");
    return true;
  });
  EXPECT_EQ(Count("tag = 'later'"), 1);
}

}  // namespace
}  // namespace bookstore::db
