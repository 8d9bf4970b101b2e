#pragma once
// Reading a statement prepared by SOCI straight through the SQLite C API,
// for hot point reads where SOCI's per-column conversions (into/use
// buffers, an intermediate copy of every text column) cost about as much
// as SQLite's own work for the row:
//
//   struct FindName {  // kept with its connection, db::Cached (statement_cache.h)
//     long long id = 0;
//     std::string name;
//     soci::statement st;
//     std::optional<db::SqliteReader> sqlite;  // of `st`, SQLite only
//     explicit FindName(soci::session& s)
//         : st((s.prepare << kFindName, soci::use(id, "id"), soci::into(name))),
//           sqlite(db::SqliteReader::Of(s, st)) {}
//   };
//
//   db::Cached<FindName> q(session);
//   if (auto& row = q->sqlite) {
//     row->BindInt64(":id", id);  // by name, or by 1-based index
//     if (!row->Step()) return std::nullopt;
//     return std::string(row->TextView(0));
//   }
//   q->id = id;  // other backends: SOCI's bindings
//   if (q->st.execute(true)) return q->name;
//
// A reader is a view of its statement: valid while the statement stays
// prepared. The statement must be reset before binding (db::Cached resets
// it after every use); bindings and the current row last until the next
// reset, and so do the texts returned (views); numbers are copies.
// Includes no SQLite or SOCI header.
// Not thread-safe: use on the statement's connection thread.

#include <cstdint>
#include <optional>
#include <string_view>

namespace soci {
class session;
class statement;
}  // namespace soci

// soci-sqlite3.h declares the SQLite C API in this namespace.
namespace sqlite_api {
struct sqlite3_stmt;
}  // namespace sqlite_api

namespace bookstore::db {

// Whether `session` is on SQLite (picks SQLite-only SQL at prepare time).
bool IsSqlite(soci::session& session);

class SqliteReader {
 public:
  // A reader of `st` (prepared on `session`) when `session` is SQLite;
  // nullopt on other backends.
  static std::optional<SqliteReader> Of(soci::session& session, soci::statement& st);

  // The index of the named parameter `name` (e.g. ":id"; a name used twice
  // is one parameter). Throws soci::soci_error when the statement has no
  // such parameter.
  int ParameterIndex(const char* name) const;
  // BindInt64(ParameterIndex(name), value).
  void BindInt64(const char* name, int64_t value) { BindInt64(ParameterIndex(name), value); }
  // Binds parameter `index` (1-based, in SQL order). Throws
  // soci::sqlite3_soci_error (e.g. when the statement was not reset).
  void BindInt64(int index, int64_t value);
  // Binds text (copied by SQLite: `value` need not outlive the statement).
  void BindText(const char* name, std::string_view value) { BindText(ParameterIndex(name), value); }
  void BindText(int index, std::string_view value);
  // Steps to the next row: true when there is one, false when done. Throws
  // soci::sqlite3_soci_error on failure (as SOCI's execute would).
  bool Step();

  // After a step of an INSERT / UPDATE / DELETE: the rowid of the last row
  // its connection inserted, and the rows the statement changed. (SQLite
  // keeps RETURNING rows in a temporary b-tree it builds and frees on every
  // execution; these answer the same questions for free.)
  int64_t LastInsertRowid() const;
  int64_t Changes() const;

  // Columns of the current row (0-based); NULL reads as 0 / "" / nullopt.
  int64_t Int64(int column) const;
  std::optional<int64_t> OptionalInt64(int column) const;
  // Texts are views of SQLite's copy of the row, valid until the next
  // step or reset of the statement: copy what must outlive them.
  std::string_view TextView(int column) const;
  std::optional<std::string_view> OptionalTextView(int column) const;

 private:
  explicit SqliteReader(sqlite_api::sqlite3_stmt* stmt) : stmt_(stmt) {}
  bool IsNull(int column) const;

  sqlite_api::sqlite3_stmt* stmt_;
};

}  // namespace bookstore::db
