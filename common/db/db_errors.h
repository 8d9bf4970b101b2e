#pragma once
// The one mapping of database exceptions to the service Error, for both
// services: integrity violations the caller names become client errors, an
// unreachable or overloaded database is Unavailable (503), every other
// failure Internal (500). Never puts database text into the Error.

#include <soci/error.h>

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/errors.h"

namespace bookstore::db {

// Thrown by Database when a connection cannot be opened (SOCI gives such a
// failure no category of its own); its category is connection_error.
class ConnectionFailed : public soci::soci_error {
 public:
  using soci::soci_error::soci_error;
  error_category get_error_category() const override { return connection_error; }
};

class Database;

enum class Violation { kNone, kUnique, kForeignKey, kCheck, kOther };

// The kind of integrity-constraint violation `e` reports (kNone when it is
// not one: connection loss, syntax, ...). Either dialect.
Violation ClassifyViolation(const soci::soci_error& e);

// True when `e` says the database cannot be reached or cannot take the work
// now (connection refused or lost, server shutting down, too many
// connections, SQLite busy/locked, cannot open, I/O error, disk full): the
// failures a retry elsewhere or later may cure.
bool IsUnavailable(const std::exception& e);

// Call only inside a catch block. `on_violation` turns an integrity
// violation into a client error (e.g. 409 for a duplicate); without it, or
// when it returns nullopt, a violation is Internal. Logs one generic line
// (operation and category; no SQL, no values).
Error MapCurrentException(std::string_view operation,
                          const std::function<std::optional<Error>(Violation)>& on_violation = {});

// For operators only (command-line errors, start-up logs; never an HTTP
// body): "<what> (<db.Where()>): <the driver's reason>", the reason on one
// line (SOCI's generic connection sentence dropped, whitespace collapsed,
// at most 300 characters). Never contains a password (Where() drops it,
// libpq does not repeat it).
std::string OperatorMessage(std::string_view what, const Database& db, const std::exception& e);

}  // namespace bookstore::db
