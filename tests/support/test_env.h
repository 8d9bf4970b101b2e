#pragma once
// Test environment helpers: temporary folders, test databases on SQLite and
// (when BOOKSTORE_TEST_PG_URL is set) on a fresh PostgreSQL database, and an
// in-process server on an ephemeral port.

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/http/router.h"
#include "common/http/server.h"

namespace bookstore::db {
class Database;
}

namespace bookstore::test {

// A fresh folder under /tmp, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// "sqlite", plus "postgresql" when BOOKSTORE_TEST_PG_URL is set. For
// INSTANTIATE_TEST_SUITE_P over dialects.
std::vector<std::string> TestDialects();

// A fresh, empty database of `dialect` (a temp SQLite file, or a new
// PostgreSQL database created from BOOKSTORE_TEST_PG_URL and dropped on
// destruction). `url()` is a BOOKSTORE_DATABASE_URL value.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& dialect = "sqlite");
  ~TestDatabase();
  const std::string& url() const { return url_; }
  // Opened (not yet migrated) database handle.
  std::shared_ptr<db::Database> Open() const;
  // Opened and migrated.
  std::shared_ptr<db::Database> OpenMigrated() const;

 private:
  std::unique_ptr<TempDir> dir_;
  std::string url_;
  std::string pg_admin_url_;
  std::string pg_name_;
};

// Runs `server` on a background thread; stops and joins on destruction.
class RunningServer {
 public:
  RunningServer(http::ServerOptions options, http::Router router,
                std::vector<http::Middleware> extra = {});
  ~RunningServer();
  uint16_t port() const { return port_; }
  http::Server& server() { return *server_; }
  // Stops and waits for Run() to return.
  void Stop();

 private:
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

// Options for tests: ephemeral port on 127.0.0.1, 2 io + 2 worker threads,
// no access log.
http::ServerOptions TestServerOptions(const std::string& service = "test");

}  // namespace bookstore::test
