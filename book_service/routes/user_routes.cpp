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

// The string members `names` of a JSON object body, each required; a 400
// naming the missing ones otherwise.
Result<std::vector<std::string>> StringFields(const boost::json::value& body,
                                              std::initializer_list<const char*> names) {
  std::vector<FieldError> errors;
  std::vector<std::string> out;
  const boost::json::object* object = body.if_object();
  for (const char* name : names) {
    const boost::json::value* v = object ? object->if_contains(name) : nullptr;
    if (!v || !v->is_string()) {
      errors.push_back({name, "is required and must be a string"});
      continue;
    }
    out.emplace_back(v->as_string());
  }
  if (!object) return Error::InvalidArgument("the body must be a JSON object");
  if (!errors.empty()) return Error::InvalidArgument("invalid request", std::move(errors));
  return out;
}

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
        auto user = users->Register(*fields, req.client);
        if (!user.ok()) return ErrorResponse(user.error());
        return Created(UserLocation(user->id), UserJson(*user));
      },
      Blocking());

  // Self-service (contract §6): any valid user token, no extra scope.
  const std::vector<http::Middleware> self = {RequireAuth(deps.verifier)};
  router.Add(
      "GET", "/users/me",
      [users](http::Request& req) {
        auto user = users->Get(req.principal->user_id);
        if (!user.ok()) return ErrorResponse(user.error());
        return http::Response::Json(200, UserJson(*user));
      },
      Blocking(self));

  router.Add(
      "PUT", "/users/me/password",
      [users](http::Request& req) {
        auto body = http::ParseJsonBody(req);
        if (!body.ok()) return body.response();
        auto fields = StringFields(body.value(), {"current_password", "new_password"});
        if (!fields.ok()) return ErrorResponse(fields.error());
        auto changed = users->ChangeOwnPassword(req.principal->user_id, req.principal->token_id,
                                                (*fields)[0], (*fields)[1]);
        if (!changed.ok()) return ErrorResponse(changed.error());
        return http::Response::NoContent();
      },
      Blocking(self));

  router.Add(
      "DELETE", "/users/me",
      [users](http::Request& req) {
        auto body = http::ParseJsonBody(req);
        if (!body.ok()) return body.response();
        auto fields = StringFields(body.value(), {"password"});
        if (!fields.ok()) return ErrorResponse(fields.error());
        auto removed = users->RemoveOwn(req.principal->user_id, (*fields)[0]);
        if (!removed.ok()) return ErrorResponse(removed.error());
        return http::Response::NoContent();
      },
      Blocking(self));

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
