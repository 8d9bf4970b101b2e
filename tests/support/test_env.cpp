// TempDir, TestDialects and TestDatabase (RunningServer lives in
// running_server.cpp).

#include "tests/support/test_env.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "common/clock.h"
#include "common/db/database.h"
#include "common/db/migrations.h"
#include "common/passwords.h"

namespace bookstore::test {
namespace {

std::string PgTestUrl() {
  const char* url = std::getenv("BOOKSTORE_TEST_PG_URL");
  return url == nullptr ? "" : url;
}

// `url` with its database name replaced by `name`.
std::string WithDatabase(const std::string& url, const std::string& name) {
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return url + "/" + name;
  const size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "bookstore-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> TestDialects() {
  std::vector<std::string> dialects{"sqlite"};
  if (!PgTestUrl().empty()) dialects.push_back("postgresql");
  return dialects;
}

TestDatabase::TestDatabase(const std::string& dialect) {
  if (dialect == "sqlite") {
    dir_ = std::make_unique<TempDir>();
    url_ = "sqlite:" + dir_->File("bookstore.db");
    return;
  }
  if (dialect != "postgresql") throw std::invalid_argument("unknown test dialect " + dialect);
  pg_admin_url_ = PgTestUrl();
  if (pg_admin_url_.empty()) throw std::runtime_error("BOOKSTORE_TEST_PG_URL is not set");
  pg_name_ = "bookstore_t_" + Sha256Hex(SodiumRandom::Instance().Token(16)).substr(0, 20);
  soci::session admin(soci::postgresql, db::PostgresConninfo(pg_admin_url_));
  admin << "CREATE DATABASE " + pg_name_;
  url_ = WithDatabase(pg_admin_url_, pg_name_);
}

TestDatabase::~TestDatabase() {
  if (pg_name_.empty()) return;
  try {
    soci::session admin(soci::postgresql, db::PostgresConninfo(pg_admin_url_));
    admin << "DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)";
  } catch (const std::exception& e) {  // leave it behind rather than fail a test
    std::fprintf(stderr, "warning: could not drop test database %s: %s\n", pg_name_.c_str(),
                 e.what());
  }
}

std::shared_ptr<db::Database> TestDatabase::Open() const {
  return db::Database::Open(db::DbOptions{.url = url_});
}

std::shared_ptr<db::Database> TestDatabase::OpenMigrated() const {
  auto database = Open();
  db::Migrate(*database);
  return database;
}

}  // namespace bookstore::test
