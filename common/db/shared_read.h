#pragma once
// Read-only routes on either engine, the same way in both services.
//
// SQLite reads are local and short, so a read-only route runs on its io
// thread, inside the read snapshot shared by the io thread's event-loop
// batch (SharedReadSnapshot). PostgreSQL reads wait for the network, so
// the route runs on the worker pool (RouteOptions::blocking).

#include <memory>
#include <vector>

#include "common/http/router.h"

namespace bookstore::db {

class Database;

// Whether read-only routes of `db` run on io threads (SQLite) rather than
// on the worker pool (PostgreSQL).
bool ReadsInline(const Database& db);

// The options of a read-only route: with ReadsInline(*db), inline and
// SharedReadSnapshot(db) first, then `middleware`; else blocking with
// `middleware`. `db` must be the database the handler reads through; null:
// blocking.
http::RouteOptions ReadOnlyRoute(const std::shared_ptr<Database>& db,
                                 std::vector<http::Middleware> middleware = {});

// Middleware: the first read-only request of an io thread's event-loop
// batch opens a read transaction on that thread's connection
// (Database::BeginSharedRead) and schedules its end at the end of the batch
// (http::AtEndOfTick); the other read-only requests of the batch run in the
// same transaction. A SQLite read transaction costs three system calls (WAL
// lock, unlock, file size), more than the point read itself; one per batch
// instead of one per statement.
//
// Staleness is bounded by the batch: a write of this process commits on
// another thread (a worker, or the writer) and resumes its request on the
// io thread only after the batch that opened the snapshot, so a client
// never reads older data than a write it was answered for. Off an io thread
// the snapshot covers the one request.
// `db` must be the database the handlers read through.
http::Middleware SharedReadSnapshot(std::shared_ptr<Database> db);

}  // namespace bookstore::db
