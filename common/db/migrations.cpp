// Schema migrations: embedded SQL files applied in order, one transaction
// each, recorded in schema_migrations. Concurrent runs are serialised by the
// database (SQLite BEGIN IMMEDIATE, PostgreSQL advisory transaction lock).

#include "common/db/migrations.h"

// soci-sqlite3.h wraps <sqlite3.h> in namespace sqlite_api, so this file
// must not include <sqlite3.h> itself (its include guard would hide it).
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>
#include <string_view>

#include "common/clock.h"
#include "common/db/database.h"
#include "common/db/db_errors.h"
#include "common/db/migration_steps.h"

namespace bookstore::db {
namespace embedded {
struct File {
  const char* dialect;
  const char* name;
  std::string_view sql;
};
const std::vector<File>& Files();
}  // namespace embedded

namespace {

// Arbitrary constant identifying "bookstore schema migration" advisory locks.
constexpr long long kMigrationLockKey = 0x626f6f6b6d696772;  // "bookmigr"

std::vector<Migration> Load(const char* dialect) {
  std::vector<Migration> out;
  for (const auto& file : embedded::Files()) {
    if (std::string_view(file.dialect) != dialect) continue;
    const std::string name = file.name;
    size_t digits = 0;
    while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits]))) {
      ++digits;
    }
    if (digits == 0) throw std::logic_error("migration without a version number: " + name);
    out.push_back({std::stoi(name.substr(0, digits)), name, std::string(file.sql)});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      throw std::logic_error("two migrations with version " + std::to_string(out[i].version));
    }
  }
  return out;
}

// Runs a script of several statements in the current transaction.
void ExecuteScript(soci::session& session, Dialect dialect, const std::string& sql) {
  if (dialect == Dialect::kSqlite) {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
    char* message = nullptr;
    if (sqlite_api::sqlite3_exec(backend->conn_, sql.c_str(), nullptr, nullptr, &message) !=
        SQLITE_OK) {
      const std::string text = message ? message : "unknown error";
      sqlite_api::sqlite3_free(message);
      throw std::runtime_error("migration failed: " + text);
    }
    return;
  }
  // SOCI runs a parameterless one-time query with PQexec, which accepts
  // several statements.
  session << sql;
}

const char* CreateTableSql(Dialect dialect) {
  return dialect == Dialect::kSqlite
             ? "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
               "name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
             : "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
               "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
}

bool TableExists(soci::session& session, Dialect dialect) {
  int count = 0;
  if (dialect == Dialect::kSqlite) {
    session << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
               "name = 'schema_migrations'",
        soci::into(count);
  } else {
    session << "SELECT count(*) FROM information_schema.tables WHERE "
               "table_schema = current_schema() AND table_name = 'schema_migrations'",
        soci::into(count);
  }
  return count > 0;
}

std::set<int> AppliedVersions(soci::session& session) {
  std::set<int> versions;
  soci::rowset<int> rows = (session.prepare << "SELECT version FROM schema_migrations");
  for (const int v : rows) versions.insert(v);
  return versions;
}

}  // namespace

const std::vector<Migration>& Migrations(const Database& db) {
  static const std::vector<Migration> sqlite = Load("sqlite");
  static const std::vector<Migration> postgresql = Load("postgresql");
  return db.dialect() == Dialect::kSqlite ? sqlite : postgresql;
}

int Migrate(Database& db, int up_to) {
  int applied = 0;
  for (const Migration& m : Migrations(db)) {
    if (m.version > up_to) break;
    Transaction tx(db);
    soci::session& s = tx.session();
    if (db.dialect() == Dialect::kPostgres) {
      s << "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")";
    }
    s << CreateTableSql(db.dialect());
    int done = 0;
    s << "SELECT count(*) FROM schema_migrations WHERE version = :v", soci::use(m.version),
        soci::into(done);
    if (done > 0) continue;  // the Transaction rolls back its no-op
    ExecuteScript(s, db.dialect(), m.sql);
    if (MigrationStep step = StepAfter(m.name)) step(s);
    const long long now = SystemClock::Instance().Now();
    s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
        soci::use(m.version), soci::use(m.name), soci::use(now);
    tx.Commit();
    ++applied;
  }
  return applied;
}

Status CheckSchema(Database& db) {
  const std::vector<Migration>& known = Migrations(db);
  std::set<int> applied;
  try {
    soci::session& s = db.Session();
    if (TableExists(s, db.dialect())) applied = AppliedVersions(s);
  } catch (const std::exception& e) {
    return Error::Unavailable(OperatorMessage("cannot reach the database", db, e));
  }
  const int newest_known = known.empty() ? 0 : known.back().version;
  if (!applied.empty() && *applied.rbegin() > newest_known) {
    return Error::Unavailable("the schema of the database (" + db.Where() + ") is version " +
                              std::to_string(*applied.rbegin()) + ", newer than this program (" +
                              std::to_string(newest_known) + "): upgrade the program");
  }
  size_t missing = 0;
  for (const Migration& m : known) missing += applied.count(m.version) == 0;
  if (missing > 0) {
    return Error::Unavailable(
        std::string(applied.empty() ? "the database has no schema yet"
                                    : "the database schema is not up to date") +
        " (" + db.Where() + ", " + std::to_string(known.size() - missing) + " of " +
        std::to_string(known.size()) + " migrations applied): run init-db");
  }
  return {};
}

}  // namespace bookstore::db
