// Database: URL parsing, one lazily opened Connection per thread, the
// shared read snapshot, and Transaction.
//
// Connections are owned by their Database (a registry keyed by thread) and
// are closed when it is destroyed; each thread keeps only raw session
// pointers and weak references keyed by the Database's never-reused id. A
// thread that exits hands its connections back to the Databases still alive.

#include "common/db/database.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "common/db/connection.h"
#include "common/db/db_errors.h"
#include "common/db/file_env.h"
#include "common/db/wal_write_buffer.h"
#include "common/logging.h"

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
  bool sqlite_pipelined = false;
  std::shared_ptr<FileEnv> sqlite_env;
  std::string sqlite_vfs;  // "" for SQLite's default ("unix")
  std::mutex mu;
  std::map<std::thread::id, std::shared_ptr<internal::Connection>> connections;  // guarded by mu
  std::mutex sqlite_writer;  // held by a Transaction on SQLite
};

std::atomic<uint64_t> g_next_id{1};
std::mutex g_alive_mu;
std::unordered_map<uint64_t, DbState*>& Alive() {  // guarded by g_alive_mu
  static auto* alive = new std::unordered_map<uint64_t, DbState*>();
  return *alive;
}

// This thread's connections by Database id.
struct ThreadConnections {
  struct Entry {
    internal::Connection* raw;                    // valid while the Database lives
    const soci::session* session;                 // address only: may dangle
    std::weak_ptr<internal::Connection> checked;  // for lookups by session
  };
  std::unordered_map<uint64_t, Entry> by_db;
  ~ThreadConnections() {
    std::lock_guard<std::mutex> alive_lock(g_alive_mu);
    for (const auto& entry : by_db) {
      const auto it = Alive().find(entry.first);
      if (it == Alive().end()) continue;
      std::shared_ptr<internal::Connection> doomed;
      {
        std::lock_guard<std::mutex> lock(it->second->mu);
        auto c = it->second->connections.find(std::this_thread::get_id());
        if (c != it->second->connections.end()) {
          doomed = std::move(c->second);
          it->second->connections.erase(c);
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
thread_local ThreadConnections t_connections;

std::atomic<bool> g_uri_names{false};

}  // namespace

// Before SQLite initialises, if possible: its memory statistics take a
// global mutex on every malloc and free, and in its default (serialized)
// mode every API call, down to reading one column, locks the connection's
// mutex. Each connection here is used by one thread at a time (its owner),
// which is what the multi-thread mode requires. SQLITE_MISUSE (already
// initialised) leaves the defaults: still correct, only slower, but then
// connections can name a VFS only when SQLite was built with URI names on
// (Debian's is: SQLITE_USE_URI).
void ConfigureSqlite() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    g_uri_names = sqlite_api::sqlite3_config(SQLITE_CONFIG_URI, 1) == SQLITE_OK ||
                  sqlite_api::sqlite3_compileoption_used("USE_URI") == 1;  // Debian's
  });
}

namespace {

// A file: URI naming `vfs` for `path` (percent-encoding all but unreserved
// characters and '/'; "file:///abs" for absolute paths).
std::string SqliteUri(const std::string& path, const std::string& vfs) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = path.starts_with('/') ? "file://" : "file:";
  for (const unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '_' || c == '-' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri + "?vfs=" + vfs;
}

// The page size of a new database file (existing files keep theirs). Every
// order rewrites a page at a random place (its book's stock), and each
// commit writes and syncs every page it changed: at 1 KiB instead of SQLite's 4 KiB the WAL grows
// by about a quarter as much per order and the fsync that acknowledges a group commit takes about
// half as long (bench/README.md). Point reads, pages of 20 and the FTS5 search measured no slower.
constexpr char kPageSize[] = "PRAGMA page_size = 1024";

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// PRAGMA journal_mode = WAL. Two connections switching a new database at
// once can each hold a shared lock and want the exclusive one: SQLite then
// answers SQLITE_BUSY at once, without the busy handler (it would deadlock).
// So retry (1 ms apart) until `timeout`, as busy_timeout does elsewhere.
void SwitchToWal(soci::session& session, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    try {
      std::string mode;
      session << "PRAGMA journal_mode = WAL", soci::into(mode);
      return;
    } catch (const soci::sqlite3_soci_error& e) {
      if ((e.result() & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) {
        throw;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::unique_ptr<soci::session> ConnectSqlite(const DbState& impl) {
  std::string path = impl.sqlite_path;
  if (!impl.sqlite_vfs.empty() && path != ":memory:") {
    path = SqliteUri(path, impl.sqlite_vfs);  // Open checked g_uri_names
  } else if (path.find_first_of(" \t\"") != std::string::npos) {
    path = "\"" + path + "\"";
  }
  const auto timeout_s = std::max<long long>(
      1, std::chrono::duration_cast<std::chrono::seconds>(impl.options.busy_timeout).count());
  auto session = std::make_unique<soci::session>(
      soci::sqlite3, "db=" + path + " timeout=" + std::to_string(timeout_s));
  // busy_timeout first, so switching to WAL waits for a concurrent opener.
  *session << "PRAGMA busy_timeout = " + std::to_string(impl.options.busy_timeout.count());
  *session << kPageSize;  // before WAL: switching to it creates the file
  SwitchToWal(*session, impl.options.busy_timeout);
  *session << "PRAGMA foreign_keys = ON";
  *session << (impl.options.sqlite_synchronous_full ? "PRAGMA synchronous = FULL"
                                                    : "PRAGMA synchronous = NORMAL");
  return session;
}

std::unique_ptr<soci::session> Connect(const DbState& impl) {
  if (impl.dialect == Dialect::kSqlite) return ConnectSqlite(impl);
  try {
    return std::make_unique<soci::session>(soci::postgresql, impl.pg_conninfo);
  } catch (const soci::soci_error& e) {
    // SOCI reports a refused or failed connection without a category.
    throw ConnectionFailed(e.get_error_message());
  }
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
  if (dialect == Dialect::kSqlite) ConfigureSqlite();
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
  DbState& state = *db->impl_;
  state.sqlite_path = std::move(path);
  state.pg_conninfo = std::move(conninfo);
  if (dialect == Dialect::kSqlite) {
    const DbOptions& o = state.options;
    state.sqlite_env = o.sqlite_env ? o.sqlite_env : FileEnv::Default();
    const PipelineChoice choice = ChoosePipeline(o.sqlite_pipeline, o.sqlite_synchronous_full,
                                                 sqlite_api::sqlite3_libversion_number());
    if (!choice.warning.empty()) {
      static std::once_flag warned;
      std::call_once(warned, [&] { logging::Warn(choice.warning); });
    }
    state.sqlite_pipelined = choice.pipelined && state.sqlite_path != ":memory:";
    const std::string& base = state.sqlite_env->VfsName();
    if (!g_uri_names && base != "unix") {
      throw std::invalid_argument(
          "SQLite was initialised before the bookstore configured it "
          "and has no URI file names: cannot open files through the " +
          base + " VFS");
    }
    if (!g_uri_names && state.sqlite_pipelined) {
      logging::Warn(
          "SQLite was initialised before the bookstore configured it and has no URI "
          "file names: orders commit with plain synchronous=FULL");
      state.sqlite_pipelined = false;
    }
    if (state.sqlite_pipelined) {
      state.sqlite_vfs = WalWriteBufferVfs(base);
    } else if (base != "unix") {
      state.sqlite_vfs = base;
    }
  }
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
  std::map<std::thread::id, std::shared_ptr<internal::Connection>> connections;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    connections.swap(impl_->connections);
  }
  for (auto& entry : connections) {
    try {
      entry.second.reset();
    } catch (...) {  // a destructor must not throw
    }
  }
}

Dialect Database::dialect() const { return impl_->dialect; }
const DbOptions& Database::options() const { return impl_->options; }
const std::string& Database::sqlite_path() const { return impl_->sqlite_path; }
std::string Database::Where() const {
  if (impl_->dialect != Dialect::kSqlite) {
    return "PostgreSQL " + PostgresUrlForDisplay(impl_->options.url);
  }
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(impl_->sqlite_path, ec);
  return "SQLite file " + (ec ? impl_->sqlite_path : absolute.lexically_normal().string());
}
bool Database::sqlite_pipelined() const { return impl_->sqlite_pipelined; }
const std::shared_ptr<FileEnv>& Database::sqlite_env() const { return impl_->sqlite_env; }

internal::Connection& Database::ThisConnection() {
  auto& mine = t_connections.by_db;
  if (const auto it = mine.find(impl_->id); it != mine.end()) return *it->second.raw;
  if (mine.size() >= 16) t_connections.Prune();
  auto connection =
      std::make_shared<internal::Connection>(Connect(*impl_), impl_->dialect == Dialect::kSqlite);
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->connections[std::this_thread::get_id()] = connection;
  }
  mine.emplace(impl_->id,
               ThreadConnections::Entry{connection.get(), connection->session.get(), connection});
  return *connection;
}

soci::session& Database::Session() { return *ThisConnection().session; }

bool Database::Ping() {
  try {
    internal::Connection& c = ThisConnection();
    soci::session& s = *c.session;
    int one = 0;
    try {
      s << "SELECT 1", soci::into(one);
    } catch (const soci::soci_error&) {
      if (impl_->dialect != Dialect::kPostgres) throw;
      // A PostgreSQL connection may have been dropped by the server. Its
      // cached statements refer to the old connection: drop them first
      // (impossible while one is in use on this thread).
      if (!c.cache->Clear()) return false;
      s.reconnect();
      s << "SELECT 1", soci::into(one);
    }
    return one == 1;
  } catch (const std::exception&) {
    return false;
  }
}

bool Database::BeginSharedRead() {
  if (impl_->dialect != Dialect::kSqlite) return false;
  internal::Connection& c = ThisConnection();
  if (c.InTransaction()) return false;
  c.begin->Run();
  c.shared_read = true;
  return true;
}

void Database::EndSharedRead() noexcept {
  const auto& mine = t_connections.by_db;
  if (const auto it = mine.find(impl_->id); it != mine.end()) it->second.raw->EndSharedRead();
}

namespace internal {

std::shared_ptr<Connection> FindConnection(soci::session& session) {
  for (const auto& [id, entry] : t_connections.by_db) {
    if (entry.session != &session) continue;
    if (auto c = entry.checked.lock()) return c;  // else stale: a later one may share the address
  }
  return nullptr;
}

}  // namespace internal

Transaction::Transaction(Database& db)
    : connection_(db.ThisConnection()), session_(*connection_.session) {
  if (db.dialect() == Dialect::kSqlite) {
    connection_.EndSharedRead();  // before waiting: do not hold a snapshot meanwhile
    writer_ = std::unique_lock(db.impl_->sqlite_writer);
    connection_.begin_immediate->Run();
  } else {
    session_ << "BEGIN";
  }
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    if (connection_.sqlite != nullptr) {
      if (connection_.InTransaction()) connection_.rollback->RunNoThrow();
    } else {
      session_ << "ROLLBACK";
    }
  } catch (...) {  // nothing to do: the connection is gone or not in a transaction
  }
}

void Transaction::Commit() {
  if (connection_.sqlite != nullptr) {
    connection_.commit->Run();
  } else {
    session_ << "COMMIT";
  }
  done_ = true;
}

}  // namespace bookstore::db
