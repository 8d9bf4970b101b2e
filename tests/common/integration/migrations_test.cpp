// Migrations against a real SQLite file and, when configured, PostgreSQL.

#include "common/db/migrations.h"

#include <latch>
#include <thread>

#include "tests/common/integration/db_test_util.h"

namespace bookstore::test {
namespace {

using MigrationsTest = DialectTest;

TEST_P(MigrationsTest, EmbeddedMigrationsAreOrderedAndNamed) {
  auto db = test_db_->Open();
  const auto& migrations = db::Migrations(*db);
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations.front().version, 1);
  EXPECT_EQ(migrations.front().name, "001_init");
  EXPECT_NE(migrations.front().sql.find("CREATE TABLE users"), std::string::npos);
  for (size_t i = 1; i < migrations.size(); ++i) {
    EXPECT_LT(migrations[i - 1].version, migrations[i].version);
  }
}

TEST_P(MigrationsTest, CheckSchemaFailsBeforeAndPassesAfterMigrate) {
  auto db = test_db_->Open();
  const Status before = db::CheckSchema(*db);
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code, Errc::kUnavailable);
  // Names the database (an operator who ran a command in the wrong folder
  // sees which file it opened) and what to do.
  const std::string total = std::to_string(db::Migrations(*db).size());
  EXPECT_EQ(before.error().message, "the database has no schema yet (" + db->Where() + ", 0 of " +
                                        total + " migrations applied): run init-db");

  EXPECT_EQ(db::Migrate(*db), static_cast<int>(db::Migrations(*db).size()));
  EXPECT_TRUE(db::CheckSchema(*db).ok());
  EXPECT_EQ(CountRows(db->Session(), "users"), 0);
  EXPECT_EQ(CountRows(db->Session(), "schema_migrations"),
            static_cast<long long>(db::Migrations(*db).size()));
}

TEST_P(MigrationsTest, MigrateIsIdempotent) {
  auto db = test_db_->Open();
  ASSERT_GT(db::Migrate(*db), 0);
  InsertUser(db->Session(), "keeper");
  EXPECT_EQ(db::Migrate(*db), 0);
  EXPECT_EQ(db::Migrate(*db), 0);
  EXPECT_EQ(CountRows(db->Session(), "users"), 1);  // data untouched
  EXPECT_TRUE(db::CheckSchema(*db).ok());
}

TEST_P(MigrationsTest, MissingVersionIsNotUpToDate) {
  auto db = test_db_->OpenMigrated();
  db->Session() << "DELETE FROM schema_migrations WHERE version = 1";
  const Status status = db::CheckSchema(*db);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("the database schema is not up to date (" + db->Where()),
            std::string::npos)
      << status.error().message;
  EXPECT_NE(status.error().message.find("migrations applied): run init-db"), std::string::npos);
}

TEST_P(MigrationsTest, NewerSchemaThanProgramIsAnError) {
  auto db = test_db_->OpenMigrated();
  db->Session() << "INSERT INTO schema_migrations (version, name, applied_at) "
                   "VALUES (999, '999_future', 1)";
  const Status status = db::CheckSchema(*db);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, Errc::kUnavailable);
  EXPECT_NE(status.error().message.find("newer than this program"), std::string::npos);
}

TEST_P(MigrationsTest, ConcurrentMigrateAppliesEachMigrationOnce) {
  // Two Database objects: separate connections, as two init-db processes.
  auto first = test_db_->Open();
  auto second = test_db_->Open();
  std::latch start(2);
  int applied[2] = {-1, -1};
  std::string errors[2];
  auto run = [&](int i, db::Database& db) {
    try {
      db.Session();  // connect before the race (both switch the new file to WAL)
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
    start.arrive_and_wait();  // also after a failure: never leave the other waiting
    if (!errors[i].empty()) return;
    try {
      applied[i] = db::Migrate(db);
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
  };
  std::thread a(run, 0, std::ref(*first));
  std::thread b(run, 1, std::ref(*second));
  a.join();
  b.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  EXPECT_EQ(applied[0] + applied[1], static_cast<int>(db::Migrations(*first).size()));
  EXPECT_TRUE(db::CheckSchema(*first).ok());
  EXPECT_EQ(CountRows(first->Session(), "schema_migrations"),
            static_cast<long long>(db::Migrations(*first).size()));
}

INSTANTIATE_TEST_SUITE_P(Dialects, MigrationsTest, ::testing::ValuesIn(TestDialects()),
                         DialectName);

}  // namespace
}  // namespace bookstore::test
