// db::SqliteReader: rows of a SOCI-prepared SQLite statement read through the
// SQLite C API (values, NULLs, no row, errors as SOCI's), nothing on
// PostgreSQL, and a db::Cached statement still reset after the read.

#include "common/db/sqlite_reader.h"

#include "common/db/statement_cache.h"
#include "tests/common/integration/db_test_util.h"

namespace bookstore::test {
namespace {

using SqliteReaderTest = DialectTest;

constexpr const char* kRow =
    "SELECT :v + 1, 'x' || :v, NULL, 'a text longer than the short-string buffer', '' "
    "WHERE :v >= 0";

// kRow, prepared once per connection; the reader needs no into/use.
struct RowQuery {
  soci::statement st;
  explicit RowQuery(soci::session& s) : st((s.prepare << kRow)) {}
};

TEST_P(SqliteReaderTest, ReadsOnlySqliteStatements) {
  auto db = test_db_->OpenMigrated();
  soci::session& s = db->Session();
  soci::statement st = (s.prepare << "SELECT 1");
  EXPECT_EQ(db::SqliteReader::Of(s, st).has_value(), IsSqlite());
  EXPECT_EQ(db::IsSqlite(s), IsSqlite());
}

INSTANTIATE_TEST_SUITE_P(Dialects, SqliteReaderTest, ::testing::ValuesIn(TestDialects()),
                         DialectName);

class SqliteReaderSqliteTest : public ::testing::Test {
 protected:
  TestDatabase test_db_{"sqlite"};
  std::shared_ptr<db::Database> db_ = test_db_.OpenMigrated();
  soci::session& s_ = db_->Session();
};

TEST_F(SqliteReaderSqliteTest, ReadsValuesAndNulls) {
  for (long long v : {5LL, 1234567890123LL}) {
    db::Cached<RowQuery> q(s_);
    auto row = db::SqliteReader::Of(s_, q->st);
    ASSERT_TRUE(row.has_value());
    row->BindInt64(1, v);
    ASSERT_TRUE(row->Step());
    EXPECT_EQ(row->Int64(0), v + 1);
    EXPECT_EQ(row->OptionalInt64(0), v + 1);
    EXPECT_EQ(row->TextView(1), "x" + std::to_string(v));
    EXPECT_EQ(row->OptionalTextView(1), "x" + std::to_string(v));
    EXPECT_EQ(row->OptionalInt64(2), std::nullopt);
    EXPECT_EQ(row->OptionalTextView(2), std::nullopt);
    EXPECT_EQ(row->Int64(2), 0);
    EXPECT_EQ(row->TextView(2), "");
    EXPECT_EQ(row->TextView(3), "a text longer than the short-string buffer");
    EXPECT_EQ(row->OptionalTextView(4), std::string());  // empty, not NULL
    EXPECT_FALSE(row->Step());
  }
  EXPECT_TRUE(NoTransaction(s_));  // db::Cached reset the statement
}

TEST_F(SqliteReaderSqliteTest, NoRowAndAReusedStatement) {
  for (long long v : {-1LL, 7LL, -1LL}) {
    db::Cached<RowQuery> q(s_);
    ASSERT_TRUE(q.cached());
    auto row = db::SqliteReader::Of(s_, q->st);
    row->BindInt64(1, v);
    EXPECT_EQ(row->Step(), v >= 0);
  }
  EXPECT_EQ(db::CachedStatementCount(s_), 1u);
}

TEST_F(SqliteReaderSqliteTest, FailuresThrowSqliteErrors) {
  db::Cached<RowQuery> q(s_);
  auto row = db::SqliteReader::Of(s_, q->st);
  try {
    row->BindInt64(2, 1);  // kRow has one parameter
    ADD_FAILURE() << "no exception";
  } catch (const soci::sqlite3_soci_error& e) {
    EXPECT_EQ(e.result(), SQLITE_RANGE);
  }
  row->BindInt64(1, 1);
  ASSERT_TRUE(row->Step());
  // Not reset: the statement is still running.
  EXPECT_THROW(row->BindInt64(1, 2), soci::sqlite3_soci_error);

  soci::statement overflow = (s_.prepare << "SELECT abs(-9223372036854775807 - 1)");
  auto failing = db::SqliteReader::Of(s_, overflow);
  EXPECT_THROW(failing->Step(), soci::sqlite3_soci_error);
}

TEST_F(SqliteReaderSqliteTest, NamedParametersHaveOneIndexEach) {
  db::Cached<RowQuery> q(s_);
  auto row = db::SqliteReader::Of(s_, q->st);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->ParameterIndex(":v"), 1);  // used three times, one parameter
  EXPECT_THROW(row->ParameterIndex(":missing"), soci::soci_error);
  EXPECT_THROW(row->BindInt64(":missing", 1), soci::soci_error);
  row->BindInt64(":v", 41);
  ASSERT_TRUE(row->Step());
  EXPECT_EQ(row->Int64(0), 42);
}

// Inserts and updates run through a reader answer with the new rowid and
// the rows changed (what RETURNING would give, without its temporary table).
TEST_F(SqliteReaderSqliteTest, WritesReportTheRowidAndTheRowsChanged) {
  s_ << "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)";
  for (long long n : {10LL, 20LL}) {
    soci::statement insert = (s_.prepare << "INSERT INTO t (n) VALUES (:n)");
    auto add = db::SqliteReader::Of(s_, insert);
    add->BindInt64(":n", n);
    EXPECT_FALSE(add->Step());
    EXPECT_EQ(add->Changes(), 1);
    EXPECT_EQ(add->LastInsertRowid(), n / 10);
  }
  soci::statement take = (s_.prepare << "UPDATE t SET n = n - 15 WHERE n >= 15");
  auto update = db::SqliteReader::Of(s_, take);
  EXPECT_FALSE(update->Step());
  EXPECT_EQ(update->Changes(), 1);  // 20 -> 5; 10 stays
}

}  // namespace
}  // namespace bookstore::test
