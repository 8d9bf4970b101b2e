#include "common/db/sqlite_reader.h"

// soci-sqlite3.h wraps <sqlite3.h> in namespace sqlite_api, so this file
// must not include <sqlite3.h> itself (its include guard would hide it).
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace bookstore::db {
namespace {

using namespace sqlite_api;  // NOLINT: the SQLite C API, all sqlite3_ prefixed

// As SOCI reports a failed statement: a soci::sqlite3_soci_error with the
// SQLite result code.
[[noreturn]] void Throw(sqlite3_stmt* stmt, int rc, const char* what) {
  const std::string message = sqlite3_errmsg(sqlite3_db_handle(stmt));
  throw soci::sqlite3_soci_error(std::string(what) + " \"" + sqlite3_sql(stmt) + "\": " + message,
                                 rc);
}

}  // namespace

bool IsSqlite(soci::session& session) { return session.get_backend_name() == "sqlite3"; }

std::optional<SqliteReader> SqliteReader::Of(soci::session& session, soci::statement& st) {
  if (!IsSqlite(session)) return std::nullopt;
  auto* backend = static_cast<soci::sqlite3_statement_backend*>(st.get_backend());
  if (backend == nullptr || backend->stmt_ == nullptr) {
    throw soci::soci_error("SqliteReader: the statement is not prepared");
  }
  return SqliteReader(backend->stmt_);
}

int SqliteReader::ParameterIndex(const char* name) const {
  const int index = sqlite3_bind_parameter_index(stmt_, name);
  if (index == 0) {
    throw soci::soci_error(std::string("SqliteReader: no parameter ") + name + " in \"" +
                           sqlite3_sql(stmt_) + "\"");
  }
  return index;
}

void SqliteReader::BindInt64(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) Throw(stmt_, rc, "bind");
}

void SqliteReader::BindText(int index, std::string_view value) {
  const int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                   SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) Throw(stmt_, rc, "bind");
}

bool SqliteReader::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Throw(stmt_, rc, "step");
}

int64_t SqliteReader::LastInsertRowid() const {
  return sqlite3_last_insert_rowid(sqlite3_db_handle(stmt_));
}

int64_t SqliteReader::Changes() const { return sqlite3_changes(sqlite3_db_handle(stmt_)); }

bool SqliteReader::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t SqliteReader::Int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<int64_t> SqliteReader::OptionalInt64(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int64(column);
}

std::string_view SqliteReader::TextView(int column) const {
  // sqlite3_column_text first, then its length (the documented order).
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return {text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::optional<std::string_view> SqliteReader::OptionalTextView(int column) const {
  if (IsNull(column)) return std::nullopt;
  return TextView(column);
}

}  // namespace bookstore::db
