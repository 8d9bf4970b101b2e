#pragma once
// The read snapshot shared by the read-only routes served on io threads
// (SQLite only, see RouteDeps::reads_inline).

#include <memory>

#include "common/http/router.h"

namespace bookstore::db {
class Database;
}

namespace bookstore::book {

// Middleware: the first read-only request of an io thread's event-loop
// batch opens a read transaction on that thread's connection
// (Database::BeginSharedRead) and schedules its end at the end of the batch
// (http::AtEndOfTick); the other read-only requests of the batch run in the
// same transaction. A SQLite read transaction costs three system calls (WAL
// lock, unlock, file size), more than the point read itself; one per batch
// instead of one per statement.
//
// Staleness is bounded by the batch: a write of this process commits on
// another thread (a worker, or the group committer for orders) and resumes
// its request on the io thread only after the batch that opened the
// snapshot, so a client never reads older data than a write it was answered
// for. Off an io thread the snapshot covers the one request.
// `db` must be the database the handlers read through.
http::Middleware SharedReadSnapshot(std::shared_ptr<db::Database> db);

}  // namespace bookstore::book
