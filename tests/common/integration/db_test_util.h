#pragma once
// Shared by the common integration tests: a test suite parameterized over
// TestDialects() with a fresh database per test, and row helpers.

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <memory>
#include <string>

#include "common/db/database.h"
#include "tests/support/test_env.h"

namespace bookstore::test {

class DialectTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { test_db_ = std::make_unique<TestDatabase>(GetParam()); }
  void TearDown() override { test_db_.reset(); }
  bool IsSqlite() const { return GetParam() == "sqlite"; }

  std::unique_ptr<TestDatabase> test_db_;
};

inline std::string DialectName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

// Inserts a customer and returns its id (via RETURNING).
inline long long InsertUser(soci::session& s, const std::string& username) {
  long long id = 0;
  s << "INSERT INTO users (username, password_hash, role, created_at, updated_at) "
       "VALUES (:u, 'hash', 'customer', 1, 1) RETURNING id",
      soci::use(username), soci::into(id);
  return id;
}

// Inserts an order of `user_id` (status 'new') and returns its id.
inline long long InsertOrder(soci::session& s, long long user_id, long long total_cents = 0) {
  long long id = 0;
  s << "INSERT INTO orders (user_id, total_cents, created_at, updated_at) "
       "VALUES (:u, :t, 1, 1) RETURNING id",
      soci::use(user_id), soci::use(total_cents), soci::into(id);
  return id;
}

inline long long CountRows(soci::session& s, const std::string& table) {
  long long n = 0;
  s << "SELECT count(*) FROM " + table, soci::into(n);
  return n;
}

// The SQLite handle of a SQLite session.
inline sqlite_api::sqlite3* SqliteHandle(soci::session& s) {
  return static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_;
}

// True when the SQLite session holds no transaction at all (not even the
// read transaction of a statement that was not reset).
inline bool NoTransaction(soci::session& s) {
  return sqlite_api::sqlite3_get_autocommit(SqliteHandle(s)) != 0 &&
         sqlite_api::sqlite3_txn_state(SqliteHandle(s), nullptr) == SQLITE_TXN_NONE;
}

// Runs PRAGMA wal_checkpoint(TRUNCATE) on `s` without waiting for readers
// (busy_timeout 0): true when the WAL was checkpointed and emptied, which a
// reader holding an older snapshot prevents.
inline bool CheckpointTruncates(soci::session& s) {
  s << "PRAGMA busy_timeout = 0";
  int busy = -1, log = -1, done = -1;
  s << "PRAGMA wal_checkpoint(TRUNCATE)", soci::into(busy), soci::into(log), soci::into(done);
  return busy == 0 && log == 0;
}

}  // namespace bookstore::test
