// Routes of §2.3: /orders, /orders/{id}, /orders/{id}/status.
#include <boost/json.hpp>

#include "book_service/auth/middleware.h"
#include "book_service/domain/representation.h"
#include "book_service/domain/request_decoding.h"
#include "book_service/routes/route_util.h"
#include "book_service/routes/routes.h"
#include "book_service/services/order_service.h"
#include "common/http/deferred.h"
#include "common/http/json_body.h"

namespace bookstore::book {
namespace {

// 100 items of {"book_id":…,"quantity":…} take about 4 KB; this bounds what
// POST /orders parses on an io thread (contract §6) with room to spare.
constexpr size_t kMaxOrderBody = 64 * 1024;

constexpr const char* kManage = "orders:manage";
constexpr const char* kOrders = "orders";

std::string OrderLocation(int64_t id) { return "/orders/" + std::to_string(id); }

// Requires a principal (RequireAuth ran before).
OrderActor ActorOf(const http::Request& req) {
  return {req.principal->user_id, req.principal->IsAdmin() && req.principal->HasScope(kManage)};
}

// 201 with Location (and Idempotent-Replayed for a replay), or the error.
http::Response PlacedResponse(Result<PlacedOrder>& placed) {
  if (!placed.ok()) return ErrorResponse(placed.error());
  auto response = Created(OrderLocation(placed->order_id), std::move(placed->body));
  if (placed->replayed) response.headers.Set("Idempotent-Replayed", "true");
  return response;
}

}  // namespace

void AddOrderRoutes(http::Router& router, const RouteDeps& deps) {
  auto orders = deps.orders;
  const auto auth = RequireAuth(deps.verifier);
  const auto readers = RequireAnyScope({kOrders, kManage});

  // The order goes straight from the io thread to the writer, and the
  // request is answered once it is durable (deferred).
  router.Add(
      "POST", "/orders",
      [orders](http::Request& req) {
        auto body = http::ParseJsonBody(req);
        if (!body.ok()) return body.response();
        auto lines = DecodeOrderLines(body.value());
        if (!lines.ok()) return ErrorResponse(lines.error());
        std::optional<std::string> key;
        if (const std::string* header = req.headers.Get("Idempotency-Key")) key = *header;
        auto [placeholder, answer] = http::Defer();
        orders->PlaceAsync(
            req.principal->user_id, std::move(*lines), std::move(key),
            [answer](Result<PlacedOrder> placed) { answer(PlacedResponse(placed)); });
        return std::move(placeholder);
      },
      http::RouteOptions{.middleware = {auth, RequireScopes({kOrders})},
                         .body_limit = kMaxOrderBody});

  router.Add(
      "GET", "/orders",
      [orders](http::Request& req) {
        auto query = ParseOrderQuery(req.QueryParams());
        if (!query.ok()) return ErrorResponse(query.error());
        auto page = orders->List(ActorOf(req), *query);
        if (!page.ok()) return ErrorResponse(page.error());
        return http::Response::Json(200, OrderPageJson(*page));
      },
      Reading(deps, {auth, readers}));

  router.Add(
      "GET", "/orders/{id}",
      [orders](http::Request& req) {
        const auto id = PathId(req);
        if (!id) return NoSuchResource("order");
        auto order = orders->Get(ActorOf(req), *id);
        if (!order.ok()) return ErrorResponse(order.error());
        return http::Response::Json(200, OrderJson(*order));
      },
      Reading(deps, {auth, readers}));

  router.Add(
      "PUT", "/orders/{id}/status",
      [orders](http::Request& req) {
        const auto id = PathId(req);
        if (!id) return NoSuchResource("order");
        const auto& who = *req.principal;
        // Admins move orders with orders:manage; everyone else cancels own orders with orders.
        if (who.IsAdmin() && !who.HasScope(kManage)) {
          return InsufficientScope("changing an order's status requires orders:manage", kManage);
        }
        if (!who.IsAdmin() && !who.HasScope(kOrders)) {
          return InsufficientScope("canceling an order requires the orders scope", kOrders);
        }
        auto body = http::ParseJsonBody(req);
        if (!body.ok()) return body.response();
        auto status = DecodeStatus(body.value());
        if (!status.ok()) return ErrorResponse(status.error());
        auto order = orders->ChangeStatus(ActorOf(req), *id, *status);
        if (!order.ok()) return ErrorResponse(order.error());
        return http::Response::Json(200, OrderJson(*order));
      },
      Blocking({auth}));
}

}  // namespace bookstore::book
