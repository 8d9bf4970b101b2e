#pragma once
// The shared database: SQLite file or PostgreSQL, chosen by URL.
// One connection per thread (opened lazily on first use by that thread), so
// a handler on an io thread or a worker uses its own connection and its own
// prepared statements (db::Cached, statement_cache.h; kept with the
// connection and destroyed before it). Thread-safe.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "common/db/sqlite_durability.h"

namespace soci {
class session;
}

namespace bookstore::db {

namespace internal {
struct Connection;
}

enum class Dialect { kSqlite, kPostgres };

class FileEnv;

struct DbOptions {
  // "sqlite:PATH" (also "sqlite://PATH") or "postgresql://..." / "postgres://...".
  std::string url;
  // SQLite: PRAGMA synchronous=FULL when true, NORMAL when false.
  bool sqlite_synchronous_full = true;
  std::chrono::milliseconds busy_timeout{5000};
  // SQLite at synchronous=FULL: pipelined group commits when the linked
  // SQLite was crash-tested (sqlite_durability.h), else plain ones.
  SqlitePipeline sqlite_pipeline = SqlitePipeline::kAuto;
  // Pipelined commits: the WAL size that starts a checkpoint round.
  long long sqlite_checkpoint_bytes = 32ll << 20;
  // SQLite files and syncs (file_env.h); null: the real file system.
  std::shared_ptr<FileEnv> sqlite_env = nullptr;
};

// Configures SQLite for the process unless it is initialised already:
// multi-thread mode, no memory statistics (a global mutex on every
// allocation), URI file names (connections name their VFS). Database::Open
// calls it; a VFS layer calls it before it registers (which initialises
// SQLite). Thread-safe.
void ConfigureSqlite();

class Database {
 public:
  // Validates the URL (throws std::invalid_argument naming the problem);
  // for SQLite creates the parent folder and calls ConfigureSqlite(). Does
  // not connect yet.
  static std::shared_ptr<Database> Open(DbOptions options);
  ~Database();

  Dialect dialect() const;
  const DbOptions& options() const;
  // SQLite: the database file's path; "" on PostgreSQL.
  const std::string& sqlite_path() const;
  // Which database this is, for operators' messages: "SQLite file
  // /abs/path/bookstore.db" or "PostgreSQL postgresql://user@host:port/db"
  // (never the password).
  std::string Where() const;
  // SQLite: whether group commits are pipelined (ChoosePipeline, decided
  // and, when refused, logged once at Open). False on PostgreSQL.
  bool sqlite_pipelined() const;
  // SQLite: the file env (options().sqlite_env or the default). Never null.
  const std::shared_ptr<FileEnv>& sqlite_env() const;

  // This thread's connection, connected on first use (throws soci::soci_error
  // when the database cannot be reached). SQLite connections get WAL,
  // busy_timeout, foreign_keys=ON and the configured synchronous level.
  soci::session& Session();

  // True when a trivial query succeeds on this thread's connection. On
  // PostgreSQL a failed query reconnects once (dropping the connection's
  // prepared statements first) and retries.
  bool Ping();

  // Shared read snapshot (SQLite). BeginSharedRead opens a read transaction
  // (BEGIN, deferred) on this thread's connection unless one is open, and
  // returns true when it opened one; false when a transaction (shared read
  // or Transaction) is already open, and always on PostgreSQL. From the
  // first read on, everything done on this thread's Session() until
  // EndSharedRead sees one snapshot: commits of other connections made
  // after it are invisible, so the caller bounds its staleness by ending it
  // soon (the book service: opened at the first read of an event-loop batch
  // and ended at the end of the batch; its writes commit on worker-thread
  // connections). It also holds back WAL checkpoints while open. Connects
  // when needed; throws soci::soci_error when the connection or BEGIN fails.
  bool BeginSharedRead();
  // Ends this thread's shared read, if one is open (COMMIT; ROLLBACK when
  // that fails). A Transaction begun meanwhile has ended it already; then
  // this does nothing. Never throws; logs a generic line on failure.
  void EndSharedRead() noexcept;

 private:
  friend class Transaction;
  explicit Database(DbOptions options, Dialect dialect);
  // This thread's connection, opened when missing (throws like Session()).
  internal::Connection& ThisConnection();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The libpq "key='value' ..." form of a postgresql:// or postgres:// URL
// (user, password, host incl. [IPv6], port, database and ?params,
// percent-decoded). SOCI 4.0 cannot take URLs directly. Throws
// std::invalid_argument for a malformed URL or a value with whitespace.
std::string PostgresConninfo(const std::string& url);

// `url` (postgresql://) for messages: without its password and query
// parameters; when it does not parse, with everything between "://" and
// the last '@' replaced by "...". Never shows a password.
std::string PostgresUrlForDisplay(const std::string& url);

// A write transaction. SQLite: BEGIN IMMEDIATE (takes the write lock up
// front, so busy_timeout applies), and before that a process-wide writer
// mutex of the Database, so writers of one process queue in order instead of
// polling SQLite's busy handler (which sleeps up to 100 ms between tries);
// other processes on the same file still meet the busy handler.
// PostgreSQL: BEGIN. Rolls back in the destructor unless committed. Never
// nest two Transactions on one thread. On a connection with an open shared
// read (Database::BeginSharedRead) the shared read is ended first, so the
// transaction reads current data; it is not reopened afterwards.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();
  soci::session& session() { return session_; }

 private:
  std::unique_lock<std::mutex> writer_;  // SQLite only; held until the end
  internal::Connection& connection_;
  soci::session& session_;
  bool done_ = false;
};

}  // namespace bookstore::db
