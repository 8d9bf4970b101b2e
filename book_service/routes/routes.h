#pragma once
// Registers the REST routes of §2 on a router. Handlers parse the request,
// call a service and render its result; errors go through
// common/http/problem.h. Routes run on the worker pool (database, argon2id,
// JWKS refetch), except reads when `reads_inline` (see RouteDeps).

#include <memory>

#include "common/http/router.h"

namespace bookstore::db {
class Database;
}

namespace bookstore::book {

class BookService;
class UserService;
class OrderService;
class TokenVerifier;

struct RouteDeps {
  std::shared_ptr<BookService> books;
  std::shared_ptr<UserService> users;
  std::shared_ptr<OrderService> orders;
  std::shared_ptr<TokenVerifier> verifier;
  // Read-only routes run on the io thread instead of hopping to the worker
  // pool (the hop costs more than the read). Only for SQLite: in WAL mode a
  // reader never waits for a writer, and token checks never wait for the
  // JWKS (an unknown kid only wakes the refresh thread, jwks_cache.h).
  bool reads_inline = false;
  // The database the inline reads go through: they share one read snapshot
  // per event-loop batch (common/db/shared_read.h). Unused unless `reads_inline`.
  std::shared_ptr<db::Database> db;
};

void AddBookRoutes(http::Router& router, const RouteDeps& deps);
void AddUserRoutes(http::Router& router, const RouteDeps& deps);
void AddOrderRoutes(http::Router& router, const RouteDeps& deps);

}  // namespace bookstore::book
