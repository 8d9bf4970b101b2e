// The shared database-exception mapper on real engines: a violation the
// caller names is its client error, an unreachable database 503, anything
// else (a statement the engine refuses) 500, never with database text.
#include "common/db/db_errors.h"

#include "tests/common/integration/db_test_util.h"

namespace bookstore::test {
namespace {

class DbErrorsTest : public DialectTest {};

template <class F>
Error MapFailure(F&& work) {
  try {
    work();
  } catch (...) {
    return db::MapCurrentException("test operation", [](db::Violation v) -> std::optional<Error> {
      if (v == db::Violation::kUnique) return Error::Conflict("taken");
      return std::nullopt;
    });
  }
  ADD_FAILURE() << "the work did not throw";
  return Error::Internal();
}

TEST_P(DbErrorsTest, NamedViolationIsTheCallersError) {
  auto db = test_db_->OpenMigrated();
  InsertUser(db->Session(), "twice");
  Error error = MapFailure([&] { InsertUser(db->Session(), "twice"); });
  EXPECT_EQ(error.code, Errc::kConflict);
  EXPECT_EQ(error.message, "taken");
}

TEST_P(DbErrorsTest, UnnamedViolationIsInternal) {
  auto db = test_db_->OpenMigrated();
  Error error = MapFailure([&] { InsertOrder(db->Session(), /*user_id=*/987654); });  // FK
  EXPECT_EQ(error.code, Errc::kInternal);
}

TEST_P(DbErrorsTest, RefusedStatementIsInternalNotUnavailable) {
  auto db = test_db_->OpenMigrated();
  Error error = MapFailure([&] { db->Session() << "SELECT no_such_column FROM users"; });
  EXPECT_EQ(error.code, Errc::kInternal);
  EXPECT_EQ(error.message, "internal error");
}

TEST_P(DbErrorsTest, UnreachableDatabaseIsUnavailable) {
  TempDir dir;  // on SQLite the "file" is a directory: it cannot be opened
  const std::string url = IsSqlite() ? "sqlite:" + dir.path()
                                     : "postgresql://nobody:x@127.0.0.1:1/none?connect_timeout=2";
  Error error = MapFailure([&] {
    auto db = db::Database::Open(db::DbOptions{.url = url});
    db->Session() << "SELECT 1";
  });
  EXPECT_EQ(error.code, Errc::kUnavailable);
  EXPECT_EQ(error.message.find(dir.path()), std::string::npos);
}

TEST(DbErrorsUnit, NonDatabaseExceptionsAreInternal) {
  Error error = Error::Unavailable("unset");
  try {
    throw std::runtime_error("secret /var/lib/path");
  } catch (...) {
    error = db::MapCurrentException("op");
  }
  EXPECT_EQ(error.code, Errc::kInternal);
  EXPECT_FALSE(db::IsUnavailable(std::runtime_error("x")));
}

INSTANTIATE_TEST_SUITE_P(Dialects, DbErrorsTest, ::testing::ValuesIn(TestDialects()), DialectName);

}  // namespace
}  // namespace bookstore::test
