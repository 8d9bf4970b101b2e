// Database: URL parsing, one lazily opened soci::session per thread, and
// Transaction.
//
// Sessions are owned by their Database (a registry keyed by thread) and are
// closed when it is destroyed; each thread keeps only raw pointers keyed by
// the Database's never-reused id. A thread that exits hands its sessions
// back to the Databases still alive.

#include "common/db/database.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace bookstore::db {
namespace {

// Everything of a Database (its Impl), at namespace level so the
// thread-exit code below can name it.
struct DbState {
  uint64_t id = 0;
  DbOptions options;
  Dialect dialect = Dialect::kSqlite;
  std::string sqlite_path;
  std::string pg_conninfo;
  std::mutex mu;
  std::map<std::thread::id, std::unique_ptr<soci::session>> sessions;  // guarded by mu
  std::mutex sqlite_writer;  // held by a Transaction on SQLite
};

std::atomic<uint64_t> g_next_id{1};
std::mutex g_alive_mu;
std::unordered_map<uint64_t, DbState*>& Alive() {  // guarded by g_alive_mu
  static auto* alive = new std::unordered_map<uint64_t, DbState*>();
  return *alive;
}

// This thread's sessions by Database id.
struct ThreadSessions {
  std::unordered_map<uint64_t, soci::session*> by_db;
  ~ThreadSessions() {
    std::lock_guard<std::mutex> alive_lock(g_alive_mu);
    for (const auto& entry : by_db) {
      const auto it = Alive().find(entry.first);
      if (it == Alive().end()) continue;
      std::unique_ptr<soci::session> doomed;
      {
        std::lock_guard<std::mutex> lock(it->second->mu);
        auto s = it->second->sessions.find(std::this_thread::get_id());
        if (s != it->second->sessions.end()) {
          doomed = std::move(s->second);
          it->second->sessions.erase(s);
        }
      }
      try {
        doomed.reset();
      } catch (...) {  // closing must not throw out of thread exit
      }
    }
  }
  // Drops entries of Databases that no longer exist (ids are never reused).
  void Prune() {
    std::lock_guard<std::mutex> alive_lock(g_alive_mu);
    for (auto it = by_db.begin(); it != by_db.end();) {
      it = Alive().count(it->first) ? std::next(it) : by_db.erase(it);
    }
  }
};
thread_local ThreadSessions t_sessions;

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::unique_ptr<soci::session> ConnectSqlite(const DbState& impl) {
  std::string path = impl.sqlite_path;
  if (path.find_first_of(" \t\"") != std::string::npos) path = "\"" + path + "\"";
  const auto timeout_s = std::max<long long>(
      1, std::chrono::duration_cast<std::chrono::seconds>(impl.options.busy_timeout).count());
  auto session = std::make_unique<soci::session>(
      soci::sqlite3, "db=" + path + " timeout=" + std::to_string(timeout_s));
  // busy_timeout first, so switching to WAL waits for a concurrent opener.
  *session << "PRAGMA busy_timeout = " + std::to_string(impl.options.busy_timeout.count());
  std::string mode;
  *session << "PRAGMA journal_mode = WAL", soci::into(mode);
  *session << "PRAGMA foreign_keys = ON";
  *session << (impl.options.sqlite_synchronous_full ? "PRAGMA synchronous = FULL"
                                                    : "PRAGMA synchronous = NORMAL");
  return session;
}

std::unique_ptr<soci::session> Connect(const DbState& impl) {
  if (impl.dialect == Dialect::kSqlite) return ConnectSqlite(impl);
  return std::make_unique<soci::session>(soci::postgresql, impl.pg_conninfo);
}

}  // namespace

struct Database::Impl : DbState {};

std::shared_ptr<Database> Database::Open(DbOptions options) {
  const std::string& url = options.url;
  Dialect dialect;
  std::string path;
  if (StartsWith(url, "sqlite:")) {
    dialect = Dialect::kSqlite;
    path = url.substr(StartsWith(url, "sqlite://") ? 9 : 7);
    if (path.empty()) throw std::invalid_argument("database URL 'sqlite:' has no file path");
  } else if ((StartsWith(url, "postgresql://") && url.size() > 13) ||
             (StartsWith(url, "postgres://") && url.size() > 11)) {
    dialect = Dialect::kPostgres;
  } else {
    throw std::invalid_argument("database URL must be sqlite:PATH or postgresql://...");
  }
  if (options.busy_timeout.count() <= 0) {
    throw std::invalid_argument("database busy timeout must be positive");
  }
  if (dialect == Dialect::kSqlite && path != ":memory:") {
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      throw std::invalid_argument("cannot create database folder " + parent.string() + ": " +
                                  ec.message());
    }
  }
  std::string conninfo;
  if (dialect == Dialect::kPostgres) conninfo = PostgresConninfo(url);
  std::shared_ptr<Database> db(new Database(std::move(options), dialect));
  db->impl_->sqlite_path = std::move(path);
  db->impl_->pg_conninfo = std::move(conninfo);
  return db;
}

Database::Database(DbOptions options, Dialect dialect) : impl_(std::make_unique<Impl>()) {
  impl_->id = g_next_id++;
  impl_->options = std::move(options);
  impl_->dialect = dialect;
  std::lock_guard<std::mutex> lock(g_alive_mu);
  Alive().emplace(impl_->id, impl_.get());
}

Database::~Database() {
  {
    std::lock_guard<std::mutex> lock(g_alive_mu);
    Alive().erase(impl_->id);
  }
  std::map<std::thread::id, std::unique_ptr<soci::session>> sessions;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    sessions.swap(impl_->sessions);
  }
  for (auto& entry : sessions) {
    try {
      entry.second.reset();
    } catch (...) {  // a destructor must not throw
    }
  }
}

Dialect Database::dialect() const { return impl_->dialect; }
const DbOptions& Database::options() const { return impl_->options; }

soci::session& Database::Session() {
  auto& cache = t_sessions.by_db;
  if (const auto it = cache.find(impl_->id); it != cache.end()) return *it->second;
  if (cache.size() >= 16) t_sessions.Prune();
  std::unique_ptr<soci::session> session = Connect(*impl_);
  soci::session* raw = session.get();
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->sessions[std::this_thread::get_id()] = std::move(session);
  }
  cache.emplace(impl_->id, raw);
  return *raw;
}

bool Database::Ping() {
  try {
    soci::session& s = Session();
    int one = 0;
    try {
      s << "SELECT 1", soci::into(one);
    } catch (const soci::soci_error&) {
      if (impl_->dialect != Dialect::kPostgres) throw;
      s.reconnect();  // a PostgreSQL connection may have been dropped by the server
      s << "SELECT 1", soci::into(one);
    }
    return one == 1;
  } catch (const std::exception&) {
    return false;
  }
}

Transaction::Transaction(Database& db) : session_(db.Session()) {
  if (db.dialect() == Dialect::kSqlite) {
    writer_ = std::unique_lock(db.impl_->sqlite_writer);
    session_ << "BEGIN IMMEDIATE";
  } else {
    session_ << "BEGIN";
  }
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    session_ << "ROLLBACK";
  } catch (...) {  // nothing to do: the connection is gone or not in a transaction
  }
}

void Transaction::Commit() {
  session_ << "COMMIT";
  done_ = true;
}

}  // namespace bookstore::db
