// db::MemoizedRow: a row read by id is reused only while the database is
// unchanged (no commit by any connection, no change by this one), never
// inside a write transaction, never for an absent row, and never for
// another (tag, id) that shares its slot.

#include <memory>
#include <optional>
#include <string>

#include "common/db/result_memo.h"
#include "tests/common/integration/db_test_util.h"

namespace bookstore::test {
namespace {

constexpr char kName[] = "username by id";
constexpr char kRole[] = "role by id";
constexpr long long kSlots = 16384;  // connection.cpp: kMemoisedRowSlots

// Two connections to one SQLite file: `db` (under test) and `other`.
class RowMemoTest : public ::testing::Test {
 protected:
  RowMemoTest() : test_db_("sqlite"), db_(test_db_.OpenMigrated()), other_(test_db_.Open()) {}

  // The column `column` of user `id` read on `s`, or nullopt.
  static std::optional<std::string> Read(soci::session& s, const char* column, long long id) {
    std::string value;
    soci::indicator ind = soci::i_null;
    s << "SELECT " + std::string(column) + " FROM users WHERE id = :id", soci::use(id),
        soci::into(value, ind);
    if (!s.got_data()) return std::nullopt;
    return value;
  }

  // The username of user `id` through the memo (null: none); `runs_`
  // counts real reads.
  std::shared_ptr<const std::string> MemoName(long long id, const char* tag = kName,
                                              const char* column = "username") {
    return db::MemoizedRow<std::string>(
        db_->Session(), tag, id, [&]() -> std::shared_ptr<const std::string> {
          ++runs_;
          auto value = Read(db_->Session(), column, id);
          return value ? std::make_shared<const std::string>(*value) : nullptr;
        });
  }

  std::string Name(long long id) {
    auto name = MemoName(id);
    return name ? *name : "<none>";
  }

  void Rename(soci::session& s, long long id, const std::string& name) {
    s << "UPDATE users SET username = :n WHERE id = :id", soci::use(name), soci::use(id);
  }

  TestDatabase test_db_;
  std::shared_ptr<db::Database> db_;
  std::shared_ptr<db::Database> other_;
  int runs_ = 0;
};

TEST_F(RowMemoTest, RowIsReusedWhileNothingChanges) {
  const long long bob = InsertUser(other_->Session(), "bob");
  EXPECT_EQ(Name(bob), "bob");
  EXPECT_EQ(Name(bob), "bob");
  EXPECT_EQ(runs_, 1);
  EXPECT_TRUE(NoTransaction(db_->Session()));  // its own read transaction has ended
  ASSERT_TRUE(db_->BeginSharedRead());
  EXPECT_EQ(Name(bob), "bob");
  EXPECT_EQ(Name(bob), "bob");
  EXPECT_EQ(runs_, 1);
  EXPECT_FALSE(NoTransaction(db_->Session()));  // still the shared read
  db_->EndSharedRead();
}

TEST_F(RowMemoTest, AbsentRowIsReadAgain) {
  EXPECT_EQ(MemoName(42), nullptr);
  EXPECT_EQ(MemoName(42), nullptr);
  EXPECT_EQ(runs_, 2);
}

TEST_F(RowMemoTest, CommitOfAnotherConnectionInvalidatesTheRow) {
  const long long bob = InsertUser(other_->Session(), "bob");
  EXPECT_EQ(Name(bob), "bob");
  Rename(other_->Session(), bob, "robert");
  EXPECT_EQ(Name(bob), "robert");
  EXPECT_EQ(runs_, 2);
  // Inside a shared read the snapshot decides, from its first read on.
  ASSERT_TRUE(db_->BeginSharedRead());
  Rename(other_->Session(), bob, "rob");  // before the snapshot starts: seen
  EXPECT_EQ(Name(bob), "rob");
  Rename(other_->Session(), bob, "bobby");  // after: not seen until it ends
  EXPECT_EQ(Name(bob), "rob");
  EXPECT_EQ(runs_, 3);
  db_->EndSharedRead();
  EXPECT_EQ(Name(bob), "bobby");
  EXPECT_EQ(runs_, 4);
}

TEST_F(RowMemoTest, ChangeOnTheSameConnectionInvalidatesTheRow) {
  const long long bob = InsertUser(db_->Session(), "bob");
  EXPECT_EQ(Name(bob), "bob");
  Rename(db_->Session(), bob, "robert");  // autocommit on this connection
  EXPECT_EQ(Name(bob), "robert");
  EXPECT_EQ(runs_, 2);
  {
    db::Transaction tx(*db_);
    Rename(tx.session(), bob, "rob");
    EXPECT_EQ(Name(bob), "rob");  // inside a write transaction: read, not stored
    EXPECT_EQ(Name(bob), "rob");
    EXPECT_EQ(runs_, 4);
  }  // rolled back
  EXPECT_EQ(Name(bob), "robert");
}

TEST_F(RowMemoTest, KeysSharingASlotNeverAnswerForEachOther) {
  const long long bob = InsertUser(other_->Session(), "bob");
  const long long twin = bob + kSlots;  // the same slot for the same tag
  other_->Session() << "INSERT INTO users (id, username, password_hash, role, created_at, "
                       "updated_at) VALUES (:id, 'twin', 'hash', 'admin', 1, 1)",
      soci::use(twin);
  const auto held = MemoName(bob);
  EXPECT_EQ(Name(twin), "twin");  // replaces bob in the slot
  EXPECT_EQ(Name(bob), "bob");
  EXPECT_EQ(Name(twin), "twin");
  EXPECT_EQ(runs_, 4);
  EXPECT_EQ(*held, "bob");  // a value handed out stays valid when replaced
  // Another tag for the same id is another row.
  EXPECT_EQ(*MemoName(bob, kRole, "role"), "customer");
  EXPECT_EQ(*MemoName(twin, kRole, "role"), "admin");
  EXPECT_EQ(Name(twin), "twin");
}

TEST_F(RowMemoTest, MemoisedRowIsNeverStale) {
  // A fixed pseudo-random interleaving of writes on both connections and
  // memoised reads of three users, checked against a plain read each time.
  long long ids[3];
  for (int i = 0; i < 3; ++i) ids[i] = InsertUser(other_->Session(), "user" + std::to_string(i));
  unsigned state = 54321;
  auto next = [&state] { return (state = state * 1103515245u + 12345u) >> 16; };
  bool shared = false;  // db_ writes only outside its shared read
  for (int step = 0; step < 300; ++step) {
    const unsigned op = next() % 5;
    const long long id = ids[next() % 3];
    soci::session& writer = (!shared && next() % 2 == 0) ? db_->Session() : other_->Session();
    if (op == 0) Rename(writer, id, "name" + std::to_string(step));
    if (op == 1 && !shared) {
      ASSERT_TRUE(db_->BeginSharedRead());
      shared = true;
    } else if (op == 1) {
      db_->EndSharedRead();
      shared = false;
    }
    const auto expected = Read(db_->Session(), "username", id);
    ASSERT_EQ(Name(id), expected.value_or("<none>")) << "step " << step;
  }
  db_->EndSharedRead();
  EXPECT_LT(runs_, 300);  // some were reused
}

TEST(PostgresRowMemo, JustReads) {
  if (TestDialects().size() < 2) GTEST_SKIP() << "BOOKSTORE_TEST_PG_URL is not set";
  TestDatabase test_db("postgresql");
  auto db = test_db.OpenMigrated();
  int runs = 0;
  for (int i = 0; i < 2; ++i) {
    auto value = db::MemoizedRow<int>(db->Session(), kName, 1,
                                      [&] { return std::make_shared<const int>(++runs); });
    EXPECT_EQ(*value, i + 1);
  }
}

}  // namespace
}  // namespace bookstore::test
