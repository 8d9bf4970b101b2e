// Routes of §2.1: /books and /books/{id}.
#include <boost/json.hpp>

#include "book_service/auth/middleware.h"
#include "book_service/domain/representation.h"
#include "book_service/domain/request_decoding.h"
#include "book_service/routes/render_cache.h"
#include "book_service/routes/route_util.h"
#include "book_service/routes/routes.h"
#include "book_service/services/book_service.h"
#include "common/http/deferred.h"
#include "common/http/json_body.h"

namespace bookstore::book {
namespace {

bool ShowsImportedPrice(const http::Request& req) {
  return req.principal && req.principal->IsAdmin();
}

std::string BookLocation(int64_t id) { return "/books/" + std::to_string(id); }

// Contract §6: a book's representation depends on the caller (admins see
// imported_price), so shared caches must key on Authorization.
http::Response VaryAuthorization(http::Request& req, const http::Handler& next) {
  http::Response response = next(req);
  http::OnAnswer(response,
                 [](http::Response& answer) { answer.headers.Add("Vary", "Authorization"); });
  return response;
}

}  // namespace

void AddBookRoutes(http::Router& router, const RouteDeps& deps) {
  auto books = deps.books;
  const auto optional_auth = OptionalAuth(deps.verifier);
  const std::vector<http::Middleware> writer = {RequireAuth(deps.verifier), RequireRole("admin"),
                                                RequireScopes({"books:write"})};

  router.Add(
      "GET", "/books",
      [books](http::Request& req) {
        auto query = ParseBookQuery(req.QueryParams());
        if (!query.ok()) return ErrorResponse(query.error());
        auto page = books->List(*query);
        if (!page.ok()) return ErrorResponse(page.error());
        const bool admin = ShowsImportedPrice(req);
        return http::Response::Json(
            200, RenderOnce(*page, admin ? 1 : 0, [&] { return BookPageJson(**page, admin); }));
      },
      Reading(deps, {VaryAuthorization, optional_auth}));

  router.Add(
      "GET", "/books/{id}",
      [books](http::Request& req) {
        const auto id = PathId(req);
        if (!id) return NoSuchResource("book");
        auto shown = books->Show(*id, ShowsImportedPrice(req));
        if (!shown.ok()) return ErrorResponse(shown.error());
        return http::Response::Json(200, **shown);
      },
      Reading(deps, {VaryAuthorization, optional_auth}));

  router.Add(
      "POST", "/books",
      [books](http::Request& req) {
        auto body = http::ParseJsonBody(req);
        if (!body.ok()) return body.response();
        auto fields = DecodeBookFields(body.value(), /*creating=*/true);
        if (!fields.ok()) return ErrorResponse(fields.error());
        auto book = books->Create(*fields);
        if (!book.ok()) return ErrorResponse(book.error());
        return Created(BookLocation(book->id), BookJson(*book, true));
      },
      Blocking(writer));

  router.Add(
      "PUT", "/books/{id}",
      [books](http::Request& req) {
        const auto id = PathId(req);
        if (!id) return NoSuchResource("book");
        auto body = http::ParseJsonBody(req);
        if (!body.ok()) return body.response();
        auto fields = DecodeBookFields(body.value(), /*creating=*/false);
        if (!fields.ok()) return ErrorResponse(fields.error());
        auto book = books->Update(*id, *fields);
        if (!book.ok()) return ErrorResponse(book.error());
        return http::Response::Json(200, BookJson(*book, true));
      },
      Blocking(writer));

  router.Add(
      "DELETE", "/books/{id}",
      [books](http::Request& req) {
        const auto id = PathId(req);
        if (!id) return NoSuchResource("book");
        auto removed = books->Remove(*id);
        if (!removed.ok()) return ErrorResponse(removed.error());
        return http::Response::NoContent();
      },
      Blocking(writer));
}

}  // namespace bookstore::book
