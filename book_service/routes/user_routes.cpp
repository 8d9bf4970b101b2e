// Routes of §2.2: /register and /users.
#include <boost/json.hpp>

#include "book_service/auth/middleware.h"
#include "book_service/domain/representation.h"
#include "book_service/domain/request_decoding.h"
#include "book_service/routes/route_util.h"
#include "book_service/routes/routes.h"
#include "book_service/services/user_service.h"
#include "common/http/json_body.h"

namespace bookstore::book {
namespace {

std::string UserLocation(int64_t id) { return "/users/" + std::to_string(id); }

}  // namespace

void AddUserRoutes(http::Router& router, const RouteDeps& deps) {
  auto users = deps.users;
  const std::vector<http::Middleware> manager = {RequireAuth(deps.verifier), RequireRole("admin"),
                                                 RequireScopes({"users:manage"})};

  router.Add(
      "POST", "/register",
      [users](http::Request& req) {
        auto body = http::ParseJsonBody(req);
        if (!body.ok()) return body.response();
        auto fields = DecodeUserFields(body.value());
        if (!fields.ok()) return ErrorResponse(fields.error());
        auto user = users->Register(*fields);
        if (!user.ok()) return ErrorResponse(user.error());
        return Created(UserLocation(user->id), UserJson(*user));
      },
      Blocking());

  router.Add(
      "GET", "/users",
      [users](http::Request& req) {
        auto query = ParseUserQuery(req.QueryParams());
        if (!query.ok()) return ErrorResponse(query.error());
        auto page = users->List(*query);
        if (!page.ok()) return ErrorResponse(page.error());
        return http::Response::Json(200, UserPageJson(*page));
      },
      Blocking(manager));

  router.Add(
      "GET", "/users/{id}",
      [users](http::Request& req) {
        const auto id = PathId(req);
        if (!id) return NoSuchResource("user");
        auto user = users->Get(*id);
        if (!user.ok()) return ErrorResponse(user.error());
        return http::Response::Json(200, UserJson(*user));
      },
      Blocking(manager));

  router.Add(
      "POST", "/users",
      [users](http::Request& req) {
        auto body = http::ParseJsonBody(req);
        if (!body.ok()) return body.response();
        auto fields = DecodeUserFields(body.value());
        if (!fields.ok()) return ErrorResponse(fields.error());
        auto user = users->Create(*fields);
        if (!user.ok()) return ErrorResponse(user.error());
        return Created(UserLocation(user->id), UserJson(*user));
      },
      Blocking(manager));

  router.Add(
      "PUT", "/users/{id}",
      [users](http::Request& req) {
        const auto id = PathId(req);
        if (!id) return NoSuchResource("user");
        auto body = http::ParseJsonBody(req);
        if (!body.ok()) return body.response();
        auto fields = DecodeUserFields(body.value());
        if (!fields.ok()) return ErrorResponse(fields.error());
        auto user = users->Update(*id, *fields);
        if (!user.ok()) return ErrorResponse(user.error());
        return http::Response::Json(200, UserJson(*user));
      },
      Blocking(manager));

  router.Add(
      "DELETE", "/users/{id}",
      [users](http::Request& req) {
        const auto id = PathId(req);
        if (!id) return NoSuchResource("user");
        auto removed = users->Remove(*id);
        if (!removed.ok()) return ErrorResponse(removed.error());
        return http::Response::NoContent();
      },
      Blocking(manager));
}

}  // namespace bookstore::book
