// Database and Transaction: per-thread sessions, SQLite pragmas,
// repository-style statements with NULLs, rollback and commit.

#include "common/db/database.h"

#include <filesystem>
#include <latch>
#include <thread>
#include <vector>

#include "tests/common/integration/db_test_util.h"
#include "tests/support/fault_fs.h"

namespace bookstore::test {
namespace {

using DatabaseTest = DialectTest;

struct BookRow {
  long long id = 0;
  std::string code;
  std::string publisher;
  soci::indicator publisher_ind = soci::i_null;
};

long long InsertBook(soci::session& s, const std::string& code, const std::string* publisher) {
  std::string value = publisher ? *publisher : "";
  soci::indicator ind = publisher ? soci::i_ok : soci::i_null;
  long long id = 0;
  s << "INSERT INTO books (code, name, publisher, sell_price_cents, created_at, updated_at) "
       "VALUES (:code, 'Name', :publisher, 100, 1, 1) RETURNING id",
      soci::use(code), soci::use(value, ind), soci::into(id);
  return id;
}

BookRow SelectBook(soci::session& s, long long id) {
  BookRow row;
  s << "SELECT id, code, publisher FROM books WHERE id = :id", soci::use(id), soci::into(row.id),
      soci::into(row.code), soci::into(row.publisher, row.publisher_ind);
  return row;
}

TEST_P(DatabaseTest, RepositoryRoundTripWithNull) {
  auto db = test_db_->OpenMigrated();
  soci::session& s = db->Session();
  const std::string acme = "Acme";
  const long long with = InsertBook(s, "B-1", &acme);
  const long long without = InsertBook(s, "B-2", nullptr);
  const BookRow a = SelectBook(s, with);
  EXPECT_EQ(a.id, with);
  EXPECT_EQ(a.code, "B-1");
  EXPECT_EQ(a.publisher_ind, soci::i_ok);
  EXPECT_EQ(a.publisher, "Acme");
  const BookRow b = SelectBook(s, without);
  EXPECT_EQ(b.code, "B-2");
  EXPECT_EQ(b.publisher_ind, soci::i_null);
  // Case-insensitive publisher filter as the book service uses it.
  // (soci::use needs an lvalue that outlives the statement, not a temporary.)
  const std::string filter = "ACME";
  long long n = 0;
  s << "SELECT count(*) FROM books WHERE lower(publisher) = lower(:p)", soci::use(filter),
      soci::into(n);
  EXPECT_EQ(n, 1);
}

TEST_P(DatabaseTest, TransactionRollsBackWhenNotCommitted) {
  auto db = test_db_->OpenMigrated();
  {
    db::Transaction tx(*db);
    InsertUser(tx.session(), "ghost");
    EXPECT_EQ(CountRows(tx.session(), "users"), 1);
  }
  EXPECT_EQ(CountRows(db->Session(), "users"), 0);
  try {
    db::Transaction tx(*db);
    InsertUser(tx.session(), "ghost");
    InsertUser(tx.session(), "GHOST");  // unique violation throws
    tx.Commit();
  } catch (const soci::soci_error&) {
  }
  EXPECT_EQ(CountRows(db->Session(), "users"), 0);
}

TEST_P(DatabaseTest, CommittedTransactionIsVisibleToOtherConnections) {
  auto db = test_db_->OpenMigrated();
  {
    db::Transaction tx(*db);
    InsertUser(tx.session(), "kept1");
    tx.Commit();
  }
  long long seen = -1;
  std::thread other([&] { seen = CountRows(db->Session(), "users"); });
  other.join();
  EXPECT_EQ(seen, 1);
}

TEST_P(DatabaseTest, EachThreadHasItsOwnSession) {
  auto db = test_db_->Open();
  soci::session* main_session = &db->Session();
  EXPECT_EQ(&db->Session(), main_session);
  soci::session* other_session = nullptr;
  std::thread t([&] {
    other_session = &db->Session();
    EXPECT_EQ(&db->Session(), other_session);
    EXPECT_TRUE(db->Ping());
  });
  t.join();
  EXPECT_NE(other_session, nullptr);
  EXPECT_NE(other_session, main_session);
  // A second Database gives this thread a different session too.
  auto db2 = test_db_->Open();
  EXPECT_NE(&db2->Session(), main_session);
}

TEST_P(DatabaseTest, ManyDatabasesAcrossThreads) {
  // Databases are created, used and destroyed on several threads; one is
  // destroyed while the threads that used it still run and then open more.
  auto shared = test_db_->OpenMigrated();
  auto victim = test_db_->Open();
  std::latch used(4);
  std::latch destroyed(1);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 5; ++round) {
        auto own = test_db_->Open();
        EXPECT_TRUE(own->Ping());
      }
      EXPECT_TRUE(victim->Ping());
      used.count_down();
      destroyed.wait();
      auto fresh = test_db_->Open();
      EXPECT_TRUE(fresh->Ping());
      InsertUser(shared->Session(), "user" + std::to_string(i));
    });
  }
  used.wait();
  victim.reset();  // closes the four threads' sessions of `victim`
  destroyed.count_down();
  for (auto& t : threads) t.join();
  EXPECT_EQ(CountRows(shared->Session(), "users"), 4);
  shared.reset();  // closes the sessions of exited threads and this one
  auto again = test_db_->Open();
  EXPECT_EQ(CountRows(again->Session(), "users"), 4);
}

TEST_P(DatabaseTest, PingIsTrueForReachableDatabase) {
  auto db = test_db_->Open();
  EXPECT_TRUE(db->Ping());
}

TEST_P(DatabaseTest, DialectFollowsUrl) {
  auto db = test_db_->Open();
  EXPECT_EQ(db->dialect(), IsSqlite() ? db::Dialect::kSqlite : db::Dialect::kPostgres);
  EXPECT_EQ(db->options().url, test_db_->url());
}

INSTANTIATE_TEST_SUITE_P(Dialects, DatabaseTest, ::testing::ValuesIn(TestDialects()), DialectName);

TEST(SqliteDatabase, PragmasAreSetOnEveryConnection) {
  TestDatabase test_db("sqlite");
  auto db = test_db.Open();
  std::string mode;
  int foreign_keys = 0, synchronous = 0, busy = 0;
  db->Session() << "PRAGMA journal_mode", soci::into(mode);
  db->Session() << "PRAGMA foreign_keys", soci::into(foreign_keys);
  db->Session() << "PRAGMA synchronous", soci::into(synchronous);
  db->Session() << "PRAGMA busy_timeout", soci::into(busy);
  EXPECT_EQ(mode, "wal");
  EXPECT_EQ(foreign_keys, 1);
  EXPECT_EQ(synchronous, 2);  // FULL
  EXPECT_EQ(busy, 5000);

  auto normal = db::Database::Open({.url = test_db.url(),
                                    .sqlite_synchronous_full = false,
                                    .busy_timeout = std::chrono::milliseconds(1234)});
  std::thread t([&] {
    int fk = 0;
    normal->Session() << "PRAGMA synchronous", soci::into(synchronous);
    normal->Session() << "PRAGMA busy_timeout", soci::into(busy);
    normal->Session() << "PRAGMA foreign_keys", soci::into(fk);
    EXPECT_EQ(fk, 1);
  });
  t.join();
  EXPECT_EQ(synchronous, 1);  // NORMAL
  EXPECT_EQ(busy, 1234);
}

// Pipelined commits (sqlite_durability.h) on the crash-tested SQLite at
// FULL unless turned off; never at NORMAL (nothing to pipeline).
TEST(SqliteDatabase, CommitsArePipelinedByDefaultPlainWhenTurnedOffOrAtNormal) {
  TestDatabase test_db;
  db::DbOptions options;
  options.url = test_db.url();
  EXPECT_TRUE(db::Database::Open(options)->sqlite_pipelined());
  options.sqlite_pipeline = db::SqlitePipeline::kOff;
  EXPECT_FALSE(db::Database::Open(options)->sqlite_pipelined());
  options.sqlite_pipeline = db::SqlitePipeline::kAuto;
  options.sqlite_synchronous_full = false;
  EXPECT_FALSE(db::Database::Open(options)->sqlite_pipelined());
}

// A connection names its VFS in a file: URI; the path is percent-encoded,
// so any folder name works and the file is where the path says.
TEST(SqliteDatabase, FilesOpenThroughTheEnvsVfsWhateverThePathHolds) {
  TempDir dir;
  auto fs = std::make_shared<FaultFs>();
  const std::string path = dir.File("a b?c#d%e/shop.db");
  for (const auto pipeline : {db::SqlitePipeline::kAuto, db::SqlitePipeline::kOff}) {
    db::DbOptions options;
    options.url = "sqlite:" + path;
    options.sqlite_env = fs;
    options.sqlite_pipeline = pipeline;
    auto db = db::Database::Open(options);
    const uint64_t syncs = fs->Count(FaultFs::Event::kDbSync) + fs->Count(FaultFs::Event::kWalSync);
    db->Session() << "CREATE TABLE IF NOT EXISTS t (x INTEGER)";
    db->Session() << "INSERT INTO t VALUES (1)";
    EXPECT_GT(fs->Count(FaultFs::Event::kDbSync) + fs->Count(FaultFs::Event::kWalSync), syncs);
  }
  EXPECT_TRUE(std::filesystem::exists(path));
  soci::session plain(soci::sqlite3, "db=\"" + path + "\"");
  long long rows = 0;
  plain << "SELECT count(*) FROM t", soci::into(rows);
  EXPECT_EQ(rows, 2);
}

// New files get 1 KiB pages (database.cpp: kPageSize); a file that exists
// keeps its own.
TEST(SqliteDatabase, NewFilesHaveSmallPagesExistingFilesKeepTheirs) {
  TempDir dir;
  {
    soci::session plain(soci::sqlite3, "db=" + dir.File("old.db"));
    plain << "CREATE TABLE t (x INTEGER)";  // SQLite's default page size
  }
  long long fresh = 0, old = 0;
  db::Database::Open({.url = "sqlite:" + dir.File("new.db")})->Session() << "PRAGMA page_size",
      soci::into(fresh);
  db::Database::Open({.url = "sqlite:" + dir.File("old.db")})->Session() << "PRAGMA page_size",
      soci::into(old);
  EXPECT_EQ(fresh, 1024);
  EXPECT_EQ(old, 4096);
}

TEST(SqliteDatabase, CreatesParentFolderAndAcceptsBothUrlForms) {
  TempDir dir;
  auto a = db::Database::Open({.url = "sqlite:" + dir.File("a/b/one.db")});
  EXPECT_TRUE(a->Ping());
  EXPECT_TRUE(std::filesystem::exists(dir.File("a/b/one.db")));
  auto b = db::Database::Open({.url = "sqlite://" + dir.File("c/two.db")});
  EXPECT_TRUE(b->Ping());
  EXPECT_TRUE(std::filesystem::exists(dir.File("c/two.db")));
  auto spaced = db::Database::Open({.url = "sqlite:" + dir.File("with space/three.db")});
  EXPECT_TRUE(spaced->Ping());
  EXPECT_TRUE(std::filesystem::exists(dir.File("with space/three.db")));
}

TEST(DatabaseOpen, RejectsBadUrls) {
  EXPECT_THROW(db::Database::Open({.url = "mysql://x"}), std::invalid_argument);
  EXPECT_THROW(db::Database::Open({.url = "sqlite:"}), std::invalid_argument);
  EXPECT_THROW(db::Database::Open({.url = "postgresql://"}), std::invalid_argument);
  EXPECT_THROW(db::Database::Open({.url = ""}), std::invalid_argument);
}

TEST(DatabaseOpen, UnreachablePostgresFailsOnFirstUse) {
  auto db = db::Database::Open({.url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"});
  EXPECT_FALSE(db->Ping());
  EXPECT_THROW(db->Session(), soci::soci_error);
}

TEST(PostgresUrlForDisplay, NeverShowsThePassword) {
  EXPECT_EQ(
      db::PostgresUrlForDisplay("postgresql://u:p%40ss@db.example:5433/books?sslmode=require"),
      "postgresql://u@db.example:5433/books");
  EXPECT_EQ(db::PostgresUrlForDisplay("postgres://[::1]/x"), "postgres://[::1]/x");
  EXPECT_EQ(db::PostgresUrlForDisplay("postgresql://u:pw with space@h/db"),
            "postgresql://...@h/db");
}

TEST(DatabaseWhere, NamesTheFileOrTheServer) {
  test::TempDir dir;
  auto sqlite = db::Database::Open({.url = "sqlite:" + dir.File("x/../shop.db")});
  EXPECT_EQ(sqlite->Where(), "SQLite file " + dir.File("shop.db"));
  auto pg = db::Database::Open({.url = "postgresql://me:secret@db.example:6543/shop"});
  EXPECT_EQ(pg->Where(), "PostgreSQL postgresql://me@db.example:6543/shop");
}

TEST(PostgresConninfo, ConvertsUrlToKeyValues) {
  EXPECT_EQ(db::PostgresConninfo("postgresql://u:p%40ss@db.example:5433/books?sslmode=require"),
            "host='db.example' port='5433' user='u' password='p@ss' dbname='books' "
            "sslmode='require'");
  EXPECT_EQ(db::PostgresConninfo("postgres://[::1]/x"), "host='::1' dbname='x'");
  EXPECT_EQ(db::PostgresConninfo("postgresql://h/d%27b"), R"(host='h' dbname='d\'b')");
  EXPECT_THROW(db::PostgresConninfo("postgresql://u:a%20b@h/d"), std::invalid_argument);
}

}  // namespace
}  // namespace bookstore::test
