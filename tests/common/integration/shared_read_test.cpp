// Database::BeginSharedRead/EndSharedRead (one snapshot until ended; a
// Transaction ends it first) and db::MemoizedCount (reused only while the
// database is unchanged; never stale).

#include <functional>

#include "common/db/result_memo.h"
#include "tests/common/integration/db_test_util.h"

namespace bookstore::test {
namespace {

// Two connections to one SQLite file: `db` (under test) and `other`.
class SharedReadTest : public ::testing::Test {
 protected:
  SharedReadTest() : test_db_("sqlite"), db_(test_db_.OpenMigrated()), other_(test_db_.Open()) {}

  long long Users() { return CountRows(db_->Session(), "users"); }

  // COUNT(*) of users through the memo; `runs_` counts real executions.
  long long MemoUsers(const std::string& key = "users") {
    return db::MemoizedCount(db_->Session(), key, [&] {
      ++runs_;
      return CountRows(db_->Session(), "users");
    });
  }

  TestDatabase test_db_;
  std::shared_ptr<db::Database> db_;
  std::shared_ptr<db::Database> other_;
  int runs_ = 0;
};

TEST_F(SharedReadTest, CommitsOfOtherConnectionsAreInvisibleUntilEnded) {
  EXPECT_TRUE(db_->BeginSharedRead());
  EXPECT_FALSE(db_->BeginSharedRead());  // already open
  EXPECT_EQ(Users(), 0);
  InsertUser(other_->Session(), "bob");
  EXPECT_EQ(Users(), 0);
  EXPECT_FALSE(NoTransaction(db_->Session()));
  db_->EndSharedRead();
  EXPECT_TRUE(NoTransaction(db_->Session()));
  EXPECT_EQ(Users(), 1);
  db_->EndSharedRead();  // nothing open: nothing to do
  EXPECT_TRUE(db_->BeginSharedRead());
  EXPECT_EQ(Users(), 1);
  db_->EndSharedRead();
}

TEST_F(SharedReadTest, TransactionEndsTheSharedReadFirst) {
  ASSERT_TRUE(db_->BeginSharedRead());
  EXPECT_EQ(Users(), 0);
  InsertUser(other_->Session(), "bob");
  {
    db::Transaction tx(*db_);
    EXPECT_FALSE(db_->BeginSharedRead());  // a transaction is open
    EXPECT_EQ(CountRows(tx.session(), "users"), 1);
    InsertUser(tx.session(), "carol");
    tx.Commit();
  }
  EXPECT_TRUE(NoTransaction(db_->Session()));
  db_->EndSharedRead();  // ended by the Transaction already
  EXPECT_EQ(CountRows(other_->Session(), "users"), 2);
  EXPECT_TRUE(db_->BeginSharedRead());
  EXPECT_EQ(Users(), 2);
  db_->EndSharedRead();
}

TEST_F(SharedReadTest, EndSharedReadLeavesATransactionAlone) {
  db::Transaction tx(*db_);
  InsertUser(tx.session(), "dave");
  db_->EndSharedRead();
  EXPECT_FALSE(NoTransaction(tx.session()));
  tx.Commit();
  EXPECT_EQ(CountRows(other_->Session(), "users"), 1);
}

TEST_F(SharedReadTest, CountIsReusedWhileNothingChanges) {
  EXPECT_EQ(MemoUsers(), 0);
  EXPECT_EQ(MemoUsers(), 0);
  EXPECT_EQ(runs_, 1);
  EXPECT_TRUE(NoTransaction(db_->Session()));  // its own read transaction has ended
  EXPECT_EQ(MemoUsers("other key"), 0);
  EXPECT_EQ(runs_, 2);
  ASSERT_TRUE(db_->BeginSharedRead());
  EXPECT_EQ(MemoUsers(), 0);
  EXPECT_EQ(runs_, 2);
  EXPECT_FALSE(NoTransaction(db_->Session()));  // still the shared read
  db_->EndSharedRead();
}

TEST_F(SharedReadTest, CommitOfAnotherConnectionInvalidatesTheCount) {
  EXPECT_EQ(MemoUsers(), 0);
  InsertUser(other_->Session(), "bob");
  EXPECT_EQ(MemoUsers(), 1);
  EXPECT_EQ(runs_, 2);
  // Inside a shared read the snapshot decides: a later commit is not seen,
  // and the count stays that of the snapshot until it ends.
  ASSERT_TRUE(db_->BeginSharedRead());
  EXPECT_EQ(MemoUsers(), 1);
  InsertUser(other_->Session(), "carol");
  EXPECT_EQ(MemoUsers(), 1);
  EXPECT_EQ(runs_, 2);
  db_->EndSharedRead();
  EXPECT_EQ(MemoUsers(), 2);
  EXPECT_EQ(runs_, 3);
}

TEST_F(SharedReadTest, ChangeOnTheSameConnectionInvalidatesTheCount) {
  EXPECT_EQ(MemoUsers(), 0);
  InsertUser(db_->Session(), "bob");  // autocommit on this connection
  EXPECT_EQ(MemoUsers(), 1);
  {
    db::Transaction tx(*db_);
    InsertUser(tx.session(), "carol");
    EXPECT_EQ(MemoUsers(), 2);  // inside a write transaction: counted, not stored
    EXPECT_EQ(runs_, 3);
  }  // rolled back
  EXPECT_EQ(MemoUsers(), 1);
  EXPECT_EQ(runs_, 4);
  db_->Session() << "DELETE FROM users";
  EXPECT_EQ(MemoUsers(), 0);
}

TEST_F(SharedReadTest, MemoisedCountIsNeverStale) {
  // A fixed pseudo-random interleaving of writes on both connections and
  // memoised counts, checked against a plain COUNT each time.
  unsigned state = 12345;
  auto next = [&state] { return (state = state * 1103515245u + 12345u) >> 16; };
  int made = 0;
  bool shared = false;  // db_ writes only outside its shared read
  for (int step = 0; step < 200; ++step) {
    const unsigned op = next() % 6;
    soci::session& writer = (!shared && next() % 2 == 0) ? db_->Session() : other_->Session();
    if (op == 0) InsertUser(writer, "user" + std::to_string(made++));
    if (op == 1) writer << "DELETE FROM users WHERE id = (SELECT MAX(id) FROM users)";
    if (op == 2 && !shared) {
      ASSERT_TRUE(db_->BeginSharedRead());
      shared = true;
    } else if (op == 2) {
      db_->EndSharedRead();
      shared = false;
    }
    const long long expected = Users();
    ASSERT_EQ(MemoUsers(), expected) << "step " << step;
  }
  db_->EndSharedRead();
  EXPECT_LT(runs_, 200);  // some were reused
}

TEST(PostgresSharedRead, IsSqliteOnly) {
  if (TestDialects().size() < 2) GTEST_SKIP() << "BOOKSTORE_TEST_PG_URL is not set";
  TestDatabase test_db("postgresql");
  auto db = test_db.OpenMigrated();
  EXPECT_FALSE(db->BeginSharedRead());
  db->EndSharedRead();
  int runs = 0;
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(db::MemoizedCount(db->Session(), "k", [&] { return ++runs; }), i + 1);
  }
}

}  // namespace
}  // namespace bookstore::test
