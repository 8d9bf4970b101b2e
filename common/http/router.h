#pragma once
// Routes (method + pattern with {name} parameters) to handlers, with
// per-route middleware. Built once at start-up, then read-only and
// thread-safe to match against.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/message.h"

namespace bookstore::http {

using Handler = std::function<Response(Request&)>;
// A middleware gets the request and the rest of the chain; it may answer
// itself or call `next`.
using Middleware = std::function<Response(Request&, const Handler& next)>;

struct RouteOptions {
  // Run on the worker pool instead of an io thread (password hashing,
  // PostgreSQL or other blocking calls).
  bool blocking = false;
  // Applied outermost first, inside the global middleware. (The `= {}`
  // keeps `RouteOptions{.blocking = true}` free of GCC's
  // -Wmissing-field-initializers.)
  std::vector<Middleware> middleware = {};
  // The largest body this route reads (413 above, before the body is read);
  // 0: the server's body_limit. Bounds what a route parses on an io thread.
  size_t body_limit = 0;
};

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;  // with the route's middleware already composed
  bool blocking = false;
  size_t body_limit = 0;  // 0: the server's
};

struct RouteMatch {
  const Route* route = nullptr;  // set when method and path matched
  int status = 0;                // 404 or 405 when route == nullptr
  std::string allow;             // "GET, PUT" for 405
  std::vector<std::pair<std::string, std::string>> params;
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Registers `handler` for `method` and `pattern` ("/books/{id}").
  // Segments are literal or a whole {name}. Literal segments win over
  // parameters. Registering the same method+pattern twice throws.
  Router& Add(std::string_view method, std::string_view pattern, Handler handler,
              RouteOptions options = {});

  RouteMatch Match(std::string_view method, std::string_view path) const;
  std::vector<const Route*> routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Composes `middleware` around `handler`, first element outermost.
Handler Compose(const std::vector<Middleware>& middleware, Handler handler);

}  // namespace bookstore::http
