#pragma once
// Shared by the common integration tests: a test suite parameterized over
// TestDialects() with a fresh database per test, and row helpers.

#include <gtest/gtest.h>
#include <soci/soci.h>

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

inline long long CountRows(soci::session& s, const std::string& table) {
  long long n = 0;
  s << "SELECT count(*) FROM " + table, soci::into(n);
  return n;
}

}  // namespace bookstore::test
