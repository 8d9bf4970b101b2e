#pragma once
// Internal to common/db: one connection of a Database and what lives with
// it (prepared-statement cache, result memo, shared-read state). Not for
// repositories or services; they use database.h, statement_cache.h and
// result_memo.h.

#include <soci/sqlite3/soci-sqlite3.h>

#include <cstddef>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/db/statement_cache.h"

namespace soci {
class session;
}

namespace bookstore::db::internal {

// The prepared statements of one connection (see statement_cache.h): entries
// keyed by type (fixed SQL, never evicted) or by type and SQL text (at most
// `max_by_text`, least recently used evicted when not in use). Used by the
// connection's thread only.
class StatementCache {
 public:
  struct Slot {
    const void* type_key;
    std::string sql;
    size_t hash;
    std::unique_ptr<CacheEntry> entry;
    bool in_use = false;
  };

  StatementCache(bool sqlite, size_t max_by_text);
  ~StatementCache();
  // The slot of (type_key, sql), or null.
  Slot* Find(const void* type_key, std::string_view sql);
  // Adds an entry (absent before) and returns its slot, marked in use.
  Slot* Insert(const void* type_key, std::string_view sql, std::unique_ptr<CacheEntry> entry);
  // Resets the slot's statement (SQLite) and marks it free. Never throws.
  void Release(Slot* slot) noexcept;
  // Destroys every entry; false (and nothing done) when one is in use.
  bool Clear();
  size_t size() const { return lru_.size(); }

 private:
  void EvictIfFull();

  bool sqlite_;
  size_t max_by_text_;
  size_t by_text_ = 0;
  std::list<Slot> lru_;                                               // most recently used first
  std::unordered_multimap<size_t, std::list<Slot>::iterator> index_;  // by hash
};

// What a memoised result was computed against: the snapshot of a read
// transaction. Unchanged only while nothing was committed to the database
// (by anyone) and this connection changed no row.
struct DataVersion {
  unsigned int pager = 0;       // SQLITE_FCNTL_DATA_VERSION (any commit seen at snapshot start)
  long long total_changes = 0;  // sqlite3_total_changes64 (this connection's rows)
  bool operator==(const DataVersion&) const = default;
};

// Memoised results (COUNT totals, pages of rows) by key (a tag, the SQL
// text and the bound values), least recently used dropped beyond
// `capacity`. Used by the connection's thread only.
class ResultMemo {
 public:
  explicit ResultMemo(size_t capacity) : capacity_(capacity) {}
  // The value stored for `key` at `version`, or null.
  std::shared_ptr<const void> Get(std::string_view key, const DataVersion& version);
  void Put(std::string_view key, const DataVersion& version, std::shared_ptr<const void> value);

 private:
  struct Item {
    std::string key;
    DataVersion version;
    std::shared_ptr<const void> value;
  };
  size_t capacity_;
  std::list<Item> lru_;                                                    // most recent first
  std::unordered_map<std::string_view, std::list<Item>::iterator> index_;  // views of Item::key
};

// Memoised rows by (tag, id): a direct-mapped table of `slots` entries (a
// power of two) where a row takes slot `id mod slots` whatever its tag,
// allocated at the first Put; a Put replaces whatever held its slot. Used
// by the connection's thread only.
class RowMemo {
 public:
  explicit RowMemo(size_t slots) : mask_(slots - 1) {}
  // The value stored for (tag, id) at `version`, or null.
  std::shared_ptr<const void> Get(const void* tag, long long id, const DataVersion& version) const;
  void Put(const void* tag, long long id, const DataVersion& version,
           std::shared_ptr<const void> value);

 private:
  struct Slot {
    const void* tag = nullptr;
    long long id = 0;
    DataVersion version;
    std::shared_ptr<const void> value;
  };
  size_t mask_;
  std::vector<Slot> slots_;
};

// A statement of the SQLite C API prepared once per connection (BEGIN,
// COMMIT, ...). Owned; finalized on destruction. Not thread-safe.
class SqliteStatement {
 public:
  SqliteStatement(sqlite_api::sqlite3* db, const char* sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  // Steps to the end and resets; throws soci::sqlite3_soci_error on failure.
  void Run();
  // Same without throwing: the SQLite result code (SQLITE_DONE on success).
  int RunNoThrow() noexcept;
  // Steps once and returns column 0 of the first row (then resets); throws.
  long long QueryInt();

 private:
  sqlite_api::sqlite3* db_;
  sqlite_api::sqlite3_stmt* stmt_ = nullptr;
};

// One Database connection, used by one thread at a time (the thread that
// opened it). Owned by the Database (shared with short-lived leases of
// that thread); destroys its statements before the session.
struct Connection {
  Connection(std::unique_ptr<soci::session> session, bool sqlite);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // True when SQLite has a transaction open on this connection (BEGIN
  // seen, not yet ended). PostgreSQL: false.
  bool InTransaction() const;
  // SQLite: commits the shared read this connection opened, if any
  // (rolls back when COMMIT fails). Never throws.
  void EndSharedRead() noexcept;

  std::unique_ptr<soci::session> session;
  sqlite_api::sqlite3* sqlite = nullptr;  // the SQLite handle; null on PostgreSQL
  bool shared_read = false;               // BeginSharedRead opened the transaction
  std::unique_ptr<StatementCache> cache;
  std::unique_ptr<ResultMemo> memo;  // SQLite only
  std::unique_ptr<RowMemo> rows;     // SQLite only
  // SQLite only, prepared at connect.
  std::unique_ptr<SqliteStatement> begin, begin_immediate, commit, rollback, data_version;
};

// This thread's Connection that owns `session` (a Database's connection
// opened by this thread), or null. Cheap: a scan of this thread's few
// connections.
std::shared_ptr<Connection> FindConnection(soci::session& session);

}  // namespace bookstore::db::internal
