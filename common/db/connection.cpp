// Connection: a Database's session with its statement cache, result memo
// and the SQLite statements of transaction control, prepared once.
#include "common/db/connection.h"

#include <soci/soci.h>

#include <string>

#include "common/logging.h"

namespace bookstore::db::internal {
namespace {

using namespace sqlite_api;  // NOLINT: the SQLite C API lives in SOCI's namespace

constexpr size_t kMaxStatementsByText = 64;
constexpr size_t kMaxMemoisedResults = 32;
// Rows memoised per connection (db::MemoizedRow): 16,384 slots of 48 bytes
// (768 KiB), allocated at first use, plus the values they hold.
constexpr size_t kMemoisedRowSlots = 16384;

[[noreturn]] void Throw(sqlite3* db, int rc, const char* what) {
  throw soci::sqlite3_soci_error(std::string(what) + ": " + sqlite3_errmsg(db), rc);
}

}  // namespace

SqliteStatement::SqliteStatement(sqlite3* db, const char* sql) : db_(db) {
  const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) Throw(db, rc, "cannot prepare a statement");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

int SqliteStatement::RunNoThrow() noexcept {
  int rc = sqlite3_step(stmt_);
  while (rc == SQLITE_ROW) rc = sqlite3_step(stmt_);
  sqlite3_reset(stmt_);
  return rc;
}

void SqliteStatement::Run() {
  const int rc = RunNoThrow();
  if (rc != SQLITE_DONE) Throw(db_, rc, sqlite3_sql(stmt_));
}

long long SqliteStatement::QueryInt() {
  const int rc = sqlite3_step(stmt_);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(stmt_);
    Throw(db_, rc, sqlite3_sql(stmt_));
  }
  const long long value = sqlite3_column_int64(stmt_, 0);
  sqlite3_reset(stmt_);
  return value;
}

Connection::Connection(std::unique_ptr<soci::session> s, bool is_sqlite)
    : session(std::move(s)),
      cache(std::make_unique<StatementCache>(is_sqlite, kMaxStatementsByText)) {
  if (!is_sqlite) return;
  sqlite = static_cast<soci::sqlite3_session_backend*>(session->get_backend())->conn_;
  memo = std::make_unique<ResultMemo>(kMaxMemoisedResults);
  rows = std::make_unique<RowMemo>(kMemoisedRowSlots);
  begin = std::make_unique<SqliteStatement>(sqlite, "BEGIN");
  begin_immediate = std::make_unique<SqliteStatement>(sqlite, "BEGIN IMMEDIATE");
  commit = std::make_unique<SqliteStatement>(sqlite, "COMMIT");
  rollback = std::make_unique<SqliteStatement>(sqlite, "ROLLBACK");
  data_version = std::make_unique<SqliteStatement>(sqlite, "PRAGMA data_version");
}

Connection::~Connection() {
  // Every statement before the session: SQLite does not close a connection
  // that still has prepared statements.
  cache.reset();
  begin.reset();
  begin_immediate.reset();
  commit.reset();
  rollback.reset();
  data_version.reset();
}

bool Connection::InTransaction() const {
  return sqlite != nullptr && sqlite3_get_autocommit(sqlite) == 0;
}

void Connection::EndSharedRead() noexcept {
  if (!shared_read) return;
  shared_read = false;
  if (!InTransaction()) return;  // already ended (SQLite rolls back on some errors)
  if (commit->RunNoThrow() == SQLITE_DONE) return;
  rollback->RunNoThrow();
  try {
    logging::Warn("database: a shared read transaction did not commit; rolled back");
  } catch (...) {  // never throws
  }
}

}  // namespace bookstore::db::internal
