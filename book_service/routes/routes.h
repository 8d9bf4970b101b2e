#pragma once
// Registers the REST routes of §2 on a router. Handlers parse the request,
// call a service and render its result; errors go through
// common/http/problem.h. Every route is blocking (database, argon2id, JWKS).

#include <memory>

#include "common/http/router.h"

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
};

void AddBookRoutes(http::Router& router, const RouteDeps& deps);
void AddUserRoutes(http::Router& router, const RouteDeps& deps);
void AddOrderRoutes(http::Router& router, const RouteDeps& deps);

}  // namespace bookstore::book
