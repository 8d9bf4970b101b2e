// GroupCommitter on a real SQLite file: units of concurrent callers share
// commits, yet each keeps, rolls back or fails on its own.
#include "common/db/group_commit.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "common/db/database.h"
#include "common/thread_name.h"
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

// Units run on the thread named "commit-writer" and are answered on
// "commit-syncer" (top -H; README.md, "Configuration").
TEST_F(GroupCommitTest, WorkAndAnswersRunOnNamedThreads) {
  GroupCommitter committer(db_);
  std::string writer, syncer;
  std::latch answered(1);
  committer.Submit(
      [&](soci::session&) {
        writer = ThisThreadName();
        return true;
      },
      [&](std::exception_ptr) {
        syncer = ThisThreadName();
        answered.count_down();
      });
  answered.wait();
  EXPECT_EQ(writer, "commit-writer");
  EXPECT_EQ(syncer, "commit-syncer");
}

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

// Outcomes reported by Submit's Done, for the test thread to wait on.
struct Outcomes {
  std::mutex mu;
  std::condition_variable changed;
  std::vector<std::exception_ptr> errors;  // in the order reported
  std::vector<std::thread::id> threads;

  GroupCommitter::Done Recorder() {
    return [this](std::exception_ptr error) {
      std::lock_guard lock(mu);
      errors.push_back(error);
      threads.push_back(std::this_thread::get_id());
      changed.notify_all();
    };
  }
  void WaitFor(size_t n) {
    std::unique_lock lock(mu);
    changed.wait(lock, [&] { return errors.size() >= n; });
  }
};

TEST_F(GroupCommitTest, SubmitReturnsAtOnceAndReportsEachUnitAfterItsCommit) {
  GroupCommitter committer(db_);
  Outcomes outcomes;
  std::latch go(1);
  // The first unit holds the writer until the test has submitted the rest,
  // so Submit cannot have waited for any commit.
  committer.Submit(
      [&go](soci::session& sql) {
        go.wait();
        Insert(sql, "a");
        return true;
      },
      outcomes.Recorder());
  committer.Submit(
      [](soci::session& sql) {
        Insert(sql, "b");
        Insert(sql, "b");  // duplicate: throws, rolled back alone
        return true;
      },
      outcomes.Recorder());
  committer.Submit(
      [](soci::session& sql) {
        Insert(sql, "c");
        return false;  // rolled back
      },
      outcomes.Recorder());
  auto reader = Database::Open({db_->options().url, true, std::chrono::milliseconds(1000)});
  committer.Submit(
      [](soci::session& sql) {
        Insert(sql, "d");
        return true;
      },
      [&reader, done = outcomes.Recorder()](std::exception_ptr error) {
        // Reported after the COMMIT: another connection sees the row.
        long long seen = 0;
        reader->Session() << "SELECT count(*) FROM items WHERE tag = 'd'", soci::into(seen);
        if (!error && seen != 1) error = std::make_exception_ptr(std::logic_error("not committed"));
        done(error);
        throw std::runtime_error("a completion that throws is logged and dropped");
      });
  go.count_down();
  outcomes.WaitFor(4);
  EXPECT_EQ(outcomes.errors[0], nullptr);
  ASSERT_NE(outcomes.errors[1], nullptr);
  EXPECT_THROW(std::rethrow_exception(outcomes.errors[1]), soci::soci_error);
  EXPECT_EQ(outcomes.errors[2], nullptr);
  EXPECT_EQ(outcomes.errors[3], nullptr);
  for (auto id : outcomes.threads) EXPECT_NE(id, std::this_thread::get_id());
  EXPECT_EQ(Count(), 2);  // a and d
  // The writer survived the throwing completion.
  committer.Run([](soci::session& sql) {
    Insert(sql, "e");
    return true;
  });
  EXPECT_EQ(Count("tag = 'e'"), 1);
}

TEST_F(GroupCommitTest, DestroyingTheCommitterReportsEveryQueuedUnit) {
  Outcomes outcomes;
  {
    GroupCommitter committer(db_, /*max_batch=*/2);
    for (int i = 0; i < 5; ++i) {
      committer.Submit(
          [i](soci::session& sql) {
            Insert(sql, "q" + std::to_string(i));
            return true;
          },
          outcomes.Recorder());
    }
  }
  EXPECT_EQ(outcomes.errors.size(), 5u);
  EXPECT_EQ(Count(), 5);
}

// At synchronous=FULL in WAL mode the writer commits without syncing and
// the committer syncs the WAL before it reports: a WAL that cannot be
// synced fails the unit instead of acknowledging it.
TEST_F(GroupCommitTest, TheWriterCommitsWithoutSyncAndReportsOnlyAfterSyncingTheWal) {
  ASSERT_TRUE(db_->options().sqlite_synchronous_full);
  GroupCommitter committer(db_);
  int synchronous = -1;
  committer.Run([&synchronous](soci::session& sql) {
    sql << "PRAGMA synchronous", soci::into(synchronous);
    Insert(sql, "synced");
    return true;
  });
  EXPECT_EQ(synchronous, 1);  // NORMAL on the writer's connection
  EXPECT_EQ(Count("tag = 'synced'"), 1);

  // Take the WAL away (SQLite keeps writing to its open file): the sync fails.
  ASSERT_EQ(std::remove((db_->sqlite_path() + "-wal").c_str()), 0);
  EXPECT_THROW(committer.Run([](soci::session& sql) {
    Insert(sql, "unsynced");
    return true;
  }),
               std::system_error);
}

// Past `checkpoint_bytes` of WAL the checkpointer copies it and the WAL
// starts over, instead of SQLite's own checkpoints at 1,000 pages (the
// writer's connection has none of its own): 600 commits of two or more
// 1 KiB pages stay within a quarter of a MiB.
TEST_F(GroupCommitTest, CheckpointsKeepTheWalSmall) {
  GroupCommitter committer(db_, /*max_batch=*/8, /*checkpoint_bytes=*/16 * 1024);
  for (int i = 0; i < 600; ++i) {
    committer.Run([i](soci::session& sql) {
      Insert(sql, std::to_string(i) + std::string(300, 'w'));
      return true;
    });
  }
  EXPECT_EQ(Count(), 600);
  EXPECT_LT(std::filesystem::file_size(db_->sqlite_path() + "-wal"), 256u * 1024);
}

// Configured for synchronous=NORMAL, the committer leaves syncing to
// SQLite's checkpoints, as every other connection does.
TEST_F(GroupCommitTest, AtSynchronousNormalNothingWaitsForTheWal) {
  auto normal = Database::Open({db_->options().url, false, std::chrono::milliseconds(1000)});
  GroupCommitter committer(normal);
  committer.Run([](soci::session& sql) {
    Insert(sql, "first");
    return true;
  });
  ASSERT_EQ(std::remove((db_->sqlite_path() + "-wal").c_str()), 0);
  EXPECT_NO_THROW(committer.Run([](soci::session& sql) {
    Insert(sql, "second");
    return true;
  }));
}

}  // namespace
}  // namespace bookstore::db
