// Writer on both engines: a kept unit is committed when reported, each unit
// keeps, rolls back or fails alone under concurrency, and on PostgreSQL a
// unit waiting for a row holds back no unit that touches other rows.
#include "common/db/writer.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <future>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/db/database.h"
#include "tests/common/integration/db_test_util.h"

namespace bookstore::db {
namespace {

using test::DialectName;
using test::TestDialects;

class WriterTest : public test::DialectTest {
 protected:
  void SetUp() override {
    DialectTest::SetUp();
    db_ = test_db_->Open();
    db_->Session() << "CREATE TABLE items (tag VARCHAR(64) PRIMARY KEY, n INTEGER NOT NULL)";
  }
  void TearDown() override {
    db_.reset();
    DialectTest::TearDown();
  }
  long long Count(const std::string& where = "1 = 1") {
    long long n = 0;
    db_->Session() << "SELECT count(*) FROM items WHERE " + where, soci::into(n);
    return n;
  }
  static void Insert(soci::session& sql, const std::string& tag, int n = 0) {
    sql << "INSERT INTO items (tag, n) VALUES (:tag, :n)", soci::use(tag), soci::use(n);
  }

  std::shared_ptr<Database> db_;
};

TEST_P(WriterTest, AKeptUnitIsCommittedWhenRunReturns) {
  auto writer = Writer::Open(db_);
  writer->Run([](soci::session& sql) {
    Insert(sql, "one");
    return true;
  });
  EXPECT_EQ(Count("tag = 'one'"), 1);  // seen by another connection: committed
  writer->Run([](soci::session& sql) {
    Insert(sql, "dropped");
    return false;
  });
  EXPECT_EQ(Count("tag = 'dropped'"), 0);
  EXPECT_THROW(writer->Run([](soci::session& sql) -> bool {
    Insert(sql, "thrown");
    throw std::runtime_error("work failed");
  }),
               std::runtime_error);
  EXPECT_EQ(Count("tag = 'thrown'"), 0);
}

// Concurrent units from many threads: every kept one is there, every
// rolled-back, failing (duplicate key) or throwing one left nothing, and
// each caller hears its own outcome.
TEST_P(WriterTest, EachUnitKeepsRollsBackOrFailsAloneUnderConcurrency) {
  auto writer = Writer::Open(db_, WriterOptions{.max_batch = 8, .pool_threads = 4});
  writer->Run([](soci::session& sql) {
    Insert(sql, "taken");
    return true;
  });
  constexpr int kThreads = 32;
  std::atomic<int> kept_ok{0}, dropped_ok{0}, duplicate_failed{0}, thrown_failed{0};
  std::vector<std::thread> threads;
  std::latch start(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      const std::string tag = "t" + std::to_string(i);
      try {
        writer->Run([&](soci::session& sql) {
          switch (i % 4) {
            case 0:
              Insert(sql, tag);
              return true;
            case 1:
              Insert(sql, tag);
              return false;
            case 2:
              Insert(sql, tag);
              Insert(sql, "taken");  // unique violation: this unit fails
              return true;
            default:
              Insert(sql, tag);
              throw std::logic_error("thrown");
          }
        });
        (i % 4 == 0 ? kept_ok : dropped_ok)++;
      } catch (const std::logic_error&) {
        thrown_failed++;
      } catch (const soci::soci_error&) {
        duplicate_failed++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(kept_ok, kThreads / 4);
  EXPECT_EQ(dropped_ok, kThreads / 4);
  EXPECT_EQ(duplicate_failed, kThreads / 4);
  EXPECT_EQ(thrown_failed, kThreads / 4);
  EXPECT_EQ(Count(), 1 + kThreads / 4);
  for (int i = 0; i < kThreads; i += 4) EXPECT_EQ(Count("tag = 't" + std::to_string(i) + "'"), 1);
}

TEST_P(WriterTest, DestructionAnswersEveryQueuedUnit) {
  std::atomic<int> answered{0};
  {
    auto writer = Writer::Open(db_);
    for (int i = 0; i < 50; ++i) {
      writer->Submit(
          [i](soci::session& sql) {
            Insert(sql, "q" + std::to_string(i));
            return true;
          },
          [&](std::exception_ptr error) {
            if (!error) answered++;
          });
    }
  }
  EXPECT_EQ(answered, 50);
  EXPECT_EQ(Count(), 50);
}

// PostgreSQL: units are transactions of their own, so one that waits for a
// row lock (held here by another connection) does not hold back a unit
// touching another row.
TEST_P(WriterTest, OnPostgresAUnitWaitingForARowHoldsBackNoOther) {
  if (IsSqlite()) GTEST_SKIP() << "SQLite has one writer: units share its transaction";
  auto writer = Writer::Open(db_, WriterOptions{.pool_threads = 2});
  writer->Run([](soci::session& sql) {
    Insert(sql, "locked");
    Insert(sql, "free");
    return true;
  });
  auto holder = Database::Open(db_->options());
  Transaction lock(*holder);
  lock.session() << "UPDATE items SET n = 1 WHERE tag = 'locked'";

  std::promise<void> waiting_done;
  writer->Submit(
      [](soci::session& sql) {
        sql << "UPDATE items SET n = 2 WHERE tag = 'locked'";  // waits for `lock`
        return true;
      },
      [&](std::exception_ptr) { waiting_done.set_value(); });
  // Answered while the first unit still waits.
  writer->Run([](soci::session& sql) {
    sql << "UPDATE items SET n = 3 WHERE tag = 'free'";
    return true;
  });
  EXPECT_EQ(Count("tag = 'free' AND n = 3"), 1);
  lock.Commit();
  waiting_done.get_future().wait();
  EXPECT_EQ(Count("tag = 'locked' AND n = 2"), 1);
}

INSTANTIATE_TEST_SUITE_P(Dialects, WriterTest, ::testing::ValuesIn(TestDialects()), DialectName);

}  // namespace
}  // namespace bookstore::db
