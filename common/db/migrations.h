#pragma once
// Versioned schema migrations, one folder per dialect under migrations/,
// embedded into the binary at build time and recorded in schema_migrations.

#include <limits>
#include <string>
#include <vector>

#include "common/result.h"

namespace bookstore::db {

class Database;

struct Migration {
  int version;       // from the file name: 001_init.sql -> 1
  std::string name;  // "001_init"
  std::string sql;
};

// The embedded migrations of `db`'s dialect, ascending by version.
const std::vector<Migration>& Migrations(const Database& db);

// Applies every pending migration up to version `up_to` (all by default),
// each in its own transaction. Idempotent. Returns how many were applied.
int Migrate(Database& db, int up_to = std::numeric_limits<int>::max());

// Ok when every embedded migration is applied; otherwise an Unavailable
// error for an operator (stderr, logs; never an HTTP body) naming the
// database (Database::Where) and: the driver's reason when it cannot be
// reached; how many migrations are applied and to run init-db; or that the
// schema is newer than the program.
Status CheckSchema(Database& db);

}  // namespace bookstore::db
