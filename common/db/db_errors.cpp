#include "common/db/db_errors.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <string>

#include "common/db/database.h"
#include "common/logging.h"

namespace bookstore::db {

Violation ClassifyViolation(const soci::soci_error& e) {
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = pg->sqlstate();
    if (state == "23505") return Violation::kUnique;
    if (state == "23503") return Violation::kForeignKey;
    if (state == "23514") return Violation::kCheck;
    if (state.rfind("23", 0) == 0) return Violation::kOther;
    return Violation::kNone;
  }
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    if ((lite->result() & 0xff) != SQLITE_CONSTRAINT) return Violation::kNone;
  }
  // The SQLite backend reports constraint failures with a fixed wording.
  const std::string_view what = e.what();
  if (what.find("UNIQUE constraint failed") != std::string_view::npos) return Violation::kUnique;
  if (what.find("FOREIGN KEY constraint failed") != std::string_view::npos) {
    return Violation::kForeignKey;
  }
  if (what.find("CHECK constraint failed") != std::string_view::npos) return Violation::kCheck;
  if (what.find("constraint failed") != std::string_view::npos) return Violation::kOther;
  return Violation::kNone;
}

bool IsUnavailable(const std::exception& e) {
  const auto* soci_error = dynamic_cast<const soci::soci_error*>(&e);
  if (!soci_error) return false;
  if (soci_error->get_error_category() == soci::soci_error::connection_error) return true;
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = pg->sqlstate();
    // "": no answer from the server at all; 08: connection exception; 53: insufficient resources
    // (too many connections, out of memory or disk); 57P01-03: shutting down or not yet accepting
    // connections.
    return state.empty() || state.rfind("08", 0) == 0 || state.rfind("53", 0) == 0 ||
           state == "57P01" || state == "57P02" || state == "57P03";
  }
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    switch (lite->result() & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
      case SQLITE_CANTOPEN:
      case SQLITE_IOERR:
      case SQLITE_FULL:
        return true;
      default:
        return false;
    }
  }
  return false;
}

Error MapCurrentException(std::string_view operation,
                          const std::function<std::optional<Error>(Violation)>& on_violation) {
  try {
    throw;
  } catch (const soci::soci_error& e) {
    const Violation v = ClassifyViolation(e);
    if (v != Violation::kNone && on_violation) {
      if (auto mapped = on_violation(v)) return *mapped;
    }
    const bool unavailable = v == Violation::kNone && IsUnavailable(e);
    logging::Event("db_error",
                   {{"operation", std::string(operation)},
                    {"category", std::to_string(static_cast<int>(e.get_error_category()))},
                    {"violation", std::to_string(static_cast<int>(v))},
                    {"unavailable", unavailable ? "true" : "false"}});
    if (unavailable) return Error::Unavailable("the database is not available; try again later");
    return Error::Internal();
  } catch (...) {
    logging::Event("internal_error", {{"operation", std::string(operation)}});
    return Error::Internal();
  }
}

std::string OperatorMessage(std::string_view what, const Database& db, const std::exception& e) {
  std::string text = e.what();
  const std::string generic = "Cannot establish connection to the database.";
  if (text.rfind(generic, 0) == 0) text.erase(0, generic.size());
  std::string reason;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      if (!reason.empty() && reason.back() != ' ') reason += ' ';
    } else {
      reason += c;
    }
  }
  while (!reason.empty() && reason.back() == ' ') reason.pop_back();
  if (reason.size() > 300) reason = reason.substr(0, 300) + "...";
  if (reason.empty()) reason = "no reason given";
  return std::string(what) + " (" + db.Where() + "): " + reason;
}

}  // namespace bookstore::db
