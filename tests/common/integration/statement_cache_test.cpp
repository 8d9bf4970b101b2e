// db::Cached: one prepared statement per connection reused across calls,
// reset after each use (no read transaction left open on SQLite), fresh
// statements when re-entered or on a session no Database of this thread
// owns, a bounded LRU for SQL built at run time, PostgreSQL reconnects.

#include "common/db/statement_cache.h"

#include <thread>

#include "tests/common/integration/db_test_util.h"

namespace bookstore::test {
namespace {

using StatementCacheTest = DialectTest;

constexpr const char* kNameById = "SELECT username FROM users WHERE id = :id";

struct NameById {
  long long id = 0;
  std::string name;
  soci::statement st;
  explicit NameById(soci::session& s)
      : st((s.prepare << kNameById, soci::use(id, "id"), soci::into(name))) {}
};

// SQL given at run time: "SELECT <n> + :v".
struct AddConstant {
  long long v = 0, sum = 0;
  soci::statement st;
  AddConstant(soci::session& s, const std::string& sql)
      : st((s.prepare << sql, soci::use(v, "v"), soci::into(sum))) {}
};

std::string NameOf(soci::session& s, long long id) {
  db::Cached<NameById> q(s);
  q->id = id;
  return q->st.execute(true) ? q->name : "";
}

long long PreparedOnServer(soci::session& s) {
  long long n = 0;
  s << "SELECT count(*) FROM pg_prepared_statements", soci::into(n);
  return n;
}

TEST_P(StatementCacheTest, OneStatementServesManyCallsWithDifferentValues) {
  auto db = test_db_->OpenMigrated();
  soci::session& s = db->Session();
  std::vector<long long> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(InsertUser(s, "user" + std::to_string(i)));
  NameById* first = nullptr;
  {
    db::Cached<NameById> q(s);
    EXPECT_TRUE(q.cached());
    first = &*q;
  }
  const size_t cached = db::CachedStatementCount(s);
  const long long on_server = IsSqlite() ? 0 : PreparedOnServer(s);
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < ids.size(); ++i) {
      EXPECT_EQ(NameOf(s, ids[i]), "user" + std::to_string(i));
      db::Cached<NameById> q(s);
      EXPECT_EQ(&*q, first);
    }
    EXPECT_EQ(NameOf(s, -1), "");  // no row
  }
  EXPECT_EQ(db::CachedStatementCount(s), cached);
  if (!IsSqlite()) {  // no new named statements
    EXPECT_EQ(PreparedOnServer(s), on_server);
  }
}

TEST_P(StatementCacheTest, ReenteredHandleGetsAFreshStatement) {
  auto db = test_db_->OpenMigrated();
  soci::session& s = db->Session();
  const long long a = InsertUser(s, "anna"), b = InsertUser(s, "bert");
  NameById* cached = nullptr;
  {
    db::Cached<NameById> outer(s);
    outer->id = a;
    ASSERT_TRUE(outer->st.execute(true));
    cached = &*outer;
    {
      db::Cached<NameById> inner(s);  // the cached one is in use
      EXPECT_FALSE(inner.cached());
      EXPECT_NE(&*inner, cached);
      inner->id = b;
      ASSERT_TRUE(inner->st.execute(true));
      EXPECT_EQ(inner->name, "bert");
    }
    EXPECT_EQ(outer->name, "anna");
  }
  db::Cached<NameById> again(s);
  EXPECT_TRUE(again.cached());
  EXPECT_EQ(&*again, cached);
}

TEST_P(StatementCacheTest, SessionOfAnotherThreadIsNotCached) {
  auto db = test_db_->OpenMigrated();
  soci::session& mine = db->Session();
  const long long id = InsertUser(mine, "carol");
  std::thread other([&] {
    db::Cached<NameById> q(mine);  // a session this thread does not own
    EXPECT_FALSE(q.cached());
    q->id = id;
    ASSERT_TRUE(q->st.execute(true));
    EXPECT_EQ(q->name, "carol");
  });
  other.join();
  EXPECT_EQ(db::CachedStatementCount(mine), 0u);
}

TEST_P(StatementCacheTest, SqlBuiltAtRunTimeIsKeyedByTextAndBounded) {
  auto db = test_db_->Open();
  soci::session& s = db->Session();
  auto run = [&](int n, long long v) {
    db::Cached<AddConstant> q(s, "SELECT " + std::to_string(n) + " + :v");
    q->v = v;
    q->st.execute(true);
    return q->sum;
  };
  AddConstant* seven = nullptr;
  {
    db::Cached<AddConstant> q(s, "SELECT 7 + :v");
    seven = &*q;
  }
  EXPECT_EQ(run(7, 1), 8);
  EXPECT_EQ(run(7, 2), 9);
  {
    db::Cached<AddConstant> q(s, "SELECT 7 + :v");
    EXPECT_EQ(&*q, seven);
  }
  for (int n = 0; n < 100; ++n) EXPECT_EQ(run(n, 1000), n + 1000);
  EXPECT_EQ(db::CachedStatementCount(s), 64u);  // the least recently used were dropped
  if (!IsSqlite()) {
    EXPECT_EQ(PreparedOnServer(s), 64);
  }
  EXPECT_EQ(run(7, 5), 12);  // prepared again
}

TEST_P(StatementCacheTest, StatementPreparedInARolledBackTransactionStaysUsable) {
  auto db = test_db_->OpenMigrated();
  const long long id = InsertUser(db->Session(), "dave");
  {
    db::Transaction tx(*db);
    EXPECT_EQ(NameOf(tx.session(), id), "dave");
  }  // rolled back
  EXPECT_EQ(NameOf(db->Session(), id), "dave");
  EXPECT_EQ(db::CachedStatementCount(db->Session()), 1u);
}

INSTANTIATE_TEST_SUITE_P(Dialects, StatementCacheTest, ::testing::ValuesIn(TestDialects()),
                         DialectName);

TEST(SqliteStatementCache, CachedOneRowSelectLeavesNoReadTransaction) {
  TestDatabase test_db("sqlite");
  auto db = test_db.OpenMigrated();
  auto other = test_db.Open();  // a second connection on this thread
  soci::session& s = db->Session();
  for (int i = 0; i < 3; ++i) InsertUser(other->Session(), "user" + std::to_string(i));

  // The control: a statement read to its first row only and not reset keeps
  // its snapshot, so a checkpoint cannot empty the WAL.
  {
    long long id = 0;
    soci::statement raw = (s.prepare << "SELECT id FROM users ORDER BY id", soci::into(id));
    ASSERT_TRUE(raw.execute(true));
    EXPECT_FALSE(NoTransaction(s));
    InsertUser(other->Session(), "later");
    EXPECT_FALSE(CheckpointTruncates(other->Session()));
  }
  ASSERT_TRUE(NoTransaction(s));

  struct FirstId {
    long long id = 0;
    soci::statement st;
    explicit FirstId(soci::session& s)
        : st((s.prepare << "SELECT id FROM users ORDER BY id", soci::into(id))) {}
  };
  for (int i = 0; i < 3; ++i) {
    {
      db::Cached<FirstId> q(s);
      ASSERT_TRUE(q.cached());
      ASSERT_TRUE(q->st.execute(true));
      EXPECT_FALSE(NoTransaction(s));
    }
    EXPECT_TRUE(NoTransaction(s));
    InsertUser(other->Session(), "more" + std::to_string(i));
    EXPECT_TRUE(CheckpointTruncates(other->Session()));
    EXPECT_NE(NameOf(s, 1), "");
    EXPECT_TRUE(NoTransaction(s));
  }
}

TEST(SqliteConnection, MemoryStatisticsAndConnectionMutexesAreOff) {
  // Every SQLite use of this test binary goes through Database, which
  // configures SQLite before it initialises (no global mutex per allocation).
  TestDatabase test_db("sqlite");
  auto db = test_db.OpenMigrated();
  InsertUser(db->Session(), "frank");
  EXPECT_EQ(CountRows(db->Session(), "users"), 1);
  EXPECT_EQ(sqlite_api::sqlite3_memory_used(), 0);
  // Multi-thread mode: a connection (used by its owner thread only) has no
  // mutex to lock on every API call.
  EXPECT_EQ(sqlite_api::sqlite3_db_mutex(SqliteHandle(db->Session())), nullptr);
}

TEST(PostgresStatementCache, PingAfterLostConnectionDropsCachedStatements) {
  if (TestDialects().size() < 2) GTEST_SKIP() << "BOOKSTORE_TEST_PG_URL is not set";
  TestDatabase test_db("postgresql");
  auto db = test_db.OpenMigrated();
  auto admin = test_db.Open();
  soci::session& s = db->Session();
  const long long id = InsertUser(s, "erin");
  EXPECT_EQ(NameOf(s, id), "erin");
  EXPECT_EQ(db::CachedStatementCount(s), 1u);
  long long pid = 0;
  s << "SELECT pg_backend_pid()", soci::into(pid);
  int terminated = 0;
  // Waits (in the server) until that backend has exited.
  admin->Session() << "SELECT CASE WHEN pg_terminate_backend(:pid, 10000) THEN 1 ELSE 0 END",
      soci::use(pid), soci::into(terminated);
  ASSERT_EQ(terminated, 1);
  EXPECT_TRUE(db->Ping());  // reconnects
  EXPECT_EQ(db::CachedStatementCount(s), 0u);
  EXPECT_EQ(NameOf(s, id), "erin");
  EXPECT_EQ(db::CachedStatementCount(s), 1u);
}

}  // namespace
}  // namespace bookstore::test
