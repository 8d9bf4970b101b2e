#include "book_service/services/order_service.h"

#include <soci/soci.h>

#include <algorithm>
#include <future>

#include "book_service/domain/order_status.h"
#include "book_service/domain/representation.h"
#include "book_service/domain/validation.h"
#include "book_service/repositories/book_repository.h"
#include "book_service/repositories/order_repository.h"
#include "common/clock.h"
#include "common/counters.h"
#include "common/db/database.h"
#include "common/db/db_errors.h"
#include "common/db/writer.h"
#include "common/passwords.h"

namespace bookstore::book {
namespace {

Counter& kPlaced = GetCounter("bookstore_orders_placed_total", "Orders placed and committed.");
constexpr const char* kRejectedHelp = "Orders refused by the stock check, by reason.";
Counter& kRejectedStock =
    GetCounter("bookstore_orders_rejected_total", kRejectedHelp, "reason=\"stock\"");
Counter& kRejectedUnknownBook =
    GetCounter("bookstore_orders_rejected_total", kRejectedHelp, "reason=\"unknown_book\"");

}  // namespace
namespace {

Error OrderNotFound(int64_t id) {
  return Error::NotFound("order " + std::to_string(id) + " not found");
}

// Inside a catch block: the error a failed placement reports.
Error PlaceFailure() {
  return db::MapCurrentException("place order", [](db::Violation v) -> std::optional<Error> {
    if (v == db::Violation::kForeignKey) return Error::Forbidden("the account no longer exists");
    if (v == db::Violation::kUnique) {
      return Error::Conflict("a request with this Idempotency-Key is in progress");
    }
    return std::nullopt;
  });
}

}  // namespace

std::string OrderRequestFingerprint(const std::vector<OrderLine>& lines) {
  std::string text = "orders.v1";
  for (const auto& l : lines) {
    text += ';' + std::to_string(l.book_id) + 'x' + std::to_string(l.quantity);
  }
  return Sha256Hex(text);
}

// What PlaceIn leaves for after the commit. The 201 body is rendered in
// the transaction only when it is stored with an Idempotency-Key (or
// replayed from it); otherwise `unrendered` holds the order and Finish
// renders it, off the group committer's writer thread, which runs every
// order's transaction one after the other.
struct OrderService::Placement {
  PlacedOrder placed;
  std::optional<Order> unrendered;
};

Result<PlacedOrder> OrderService::Finish(Result<Placement> placement) {
  if (!placement.ok()) return placement.error();
  if (!placement->placed.replayed) kPlaced.Add();  // committed (durably, at FULL)
  if (placement->unrendered) placement->placed.body = OrderJson(*placement->unrendered);
  return std::move(placement->placed);
}

OrderService::OrderService(std::shared_ptr<db::Database> db, const Clock& clock,
                           std::shared_ptr<db::Writer> writer)
    : db_(std::move(db)), clock_(clock), writer_(std::move(writer)) {
  if (!writer_) writer_ = db::Writer::Open(db_);
}

OrderService::~OrderService() = default;

Result<PlacedOrder> OrderService::Place(int64_t user_id, const std::vector<OrderLine>& lines,
                                        const std::optional<std::string>& idempotency_key) {
  std::promise<Result<PlacedOrder>> outcome;
  auto placed = outcome.get_future();
  PlaceAsync(user_id, lines, idempotency_key,
             [&outcome](Result<PlacedOrder> result) { outcome.set_value(std::move(result)); });
  return placed.get();
}

void OrderService::PlaceAsync(int64_t user_id, std::vector<OrderLine> lines,
                              std::optional<std::string> idempotency_key, PlaceDone done) {
  auto errors = ValidateOrderLines(lines);
  if (!errors.empty()) return done(Error::InvalidArgument("invalid order", std::move(errors)));
  if (idempotency_key) {
    if (auto msg = CheckIdempotencyKey(*idempotency_key)) {
      return done(
          Error::InvalidArgument("invalid Idempotency-Key header", {{"Idempotency-Key", *msg}}));
    }
  }
  // Shared by the unit's work and, after it, its completion (both on writer
  // threads).
  struct Pending {
    int64_t user_id;
    std::vector<OrderLine> lines;
    std::optional<std::string> idempotency_key;
    std::string fingerprint;  // only with a key
    int64_t now;
    Result<Placement> placed = Error::Internal();
  };
  auto pending = std::make_shared<Pending>(
      Pending{user_id, std::move(lines), std::move(idempotency_key), "", clock_.Now()});
  auto& p = *pending;
  if (p.idempotency_key) p.fingerprint = OrderRequestFingerprint(p.lines);
  writer_->Submit(
      [this, pending](soci::session& sql) {
        auto& p = *pending;
        p.placed = PlaceIn(sql, p.user_id, p.lines, p.idempotency_key, p.fingerprint, p.now);
        return p.placed.ok();
      },
      [pending, done = std::move(done)](std::exception_ptr error) {
        Result<PlacedOrder> outcome = Error::Internal();
        try {
          if (error) std::rethrow_exception(error);
          outcome = Finish(std::move(pending->placed));
        } catch (...) {  // the unit failed, or rendering a committed order did
          outcome = PlaceFailure();
        }
        done(std::move(outcome));
      });
}

Result<OrderService::Placement> OrderService::PlaceIn(
    soci::session& sql, int64_t user_id, const std::vector<OrderLine>& lines,
    const std::optional<std::string>& idempotency_key, const std::string& fingerprint,
    int64_t now) {
  if (idempotency_key) {
    IdempotencyRepository::PurgeBefore(sql, now - kIdempotencyRetentionSeconds);
    if (!IdempotencyRepository::TryClaim(sql, user_id, *idempotency_key, fingerprint, now)) {
      auto rec = IdempotencyRepository::Find(sql, user_id, *idempotency_key);
      if (!rec || !rec->status_code) {
        return Error::Conflict("a request with this Idempotency-Key is in progress");
      }
      if (rec->request_hash != fingerprint) {
        return Error::Unprocessable("this Idempotency-Key was used with a different request");
      }
      return Placement{{rec->order_id.value_or(0), rec->response_body, true}, std::nullopt};
    }
  }
  // Take stock in ascending book id order so concurrent orders lock rows
  // in the same order (no deadlocks on PostgreSQL).
  std::vector<size_t> by_book(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) by_book[i] = i;
  std::sort(by_book.begin(), by_book.end(),
            [&](size_t a, size_t b) { return lines[a].book_id < lines[b].book_id; });
  std::vector<BookRepository::Taken> taken(lines.size());
  int64_t total = 0;
  for (size_t i : by_book) {
    const auto& line = lines[i];
    auto book = BookRepository::TakeStock(sql, line.book_id, line.quantity, now);
    if (!book) {
      const std::string name = "book " + std::to_string(line.book_id);
      if (!BookRepository::Find(sql, line.book_id)) {
        kRejectedUnknownBook.Add();
        return Error::NotFound(name + " not found");
      }
      kRejectedStock.Add();
      return Error::Conflict("not enough stock for " + name);
    }
    total += book->sell_price_cents * line.quantity;
    taken[i] = std::move(*book);
  }
  Order order;
  order.user_id = user_id;
  order.status = "new";
  order.total_cents = total;
  order.created_at = order.updated_at = now;
  order.id = OrderRepository::InsertOrder(sql, user_id, total, now);
  for (size_t i = 0; i < lines.size(); ++i) {
    OrderItem item{0,
                   order.id,
                   lines[i].book_id,
                   lines[i].quantity,
                   taken[i].sell_price_cents,
                   std::move(taken[i].code),
                   std::move(taken[i].name)};
    item.id = OrderRepository::InsertItem(sql, item);
    order.items.push_back(item);
  }
  Placement placement{{order.id, {}, false}, std::nullopt};
  if (idempotency_key) {
    placement.placed.body = OrderJson(order);
    IdempotencyRepository::Complete(sql, user_id, *idempotency_key, 201, placement.placed.body,
                                    order.id);
  } else {
    placement.unrendered = std::move(order);
  }
  return placement;
}

Result<Order> OrderService::Get(const OrderActor& actor, int64_t id) const {
  try {
    auto order = OrderRepository::Find(db_->Session(), id);
    if (!order || (!actor.manager && order->user_id != actor.user_id)) return OrderNotFound(id);
    return *order;
  } catch (...) {
    return db::MapCurrentException("get order");
  }
}

Result<Page<Order>> OrderService::List(const OrderActor& actor, const OrderQuery& query) const {
  try {
    return OrderRepository::Search(db_->Session(), query,
                                   actor.manager ? std::nullopt : std::optional(actor.user_id));
  } catch (...) {
    return db::MapCurrentException("list orders");
  }
}

Result<Order> OrderService::ChangeStatus(const OrderActor& actor, int64_t id,
                                         const std::string& to) {
  if (!IsKnownStatus(to)) {
    return Error::InvalidArgument("unknown status", {{"status", "is not a known status"}});
  }
  try {
    db::Transaction tx(*db_);
    auto& sql = tx.session();
    auto order = OrderRepository::Find(sql, id);
    if (!order || (!actor.manager && order->user_id != actor.user_id)) return OrderNotFound(id);
    if (!actor.manager && to != "canceled") {
      return Error::Forbidden("customers may only cancel their orders");
    }
    if (order->status == to) return Error::Conflict("the order is already " + to);
    if (!IsAllowedTransition(order->status, to)) {
      return Error::Conflict("an order cannot move from " + order->status + " to " + to);
    }
    const int64_t now = clock_.Now();
    if (!OrderRepository::UpdateStatus(sql, id, order->status, to, now)) {
      return Error::Conflict("the order was changed concurrently; reload and retry");
    }
    if (RestoresStock(to)) {
      for (const auto& item : order->items) {
        BookRepository::ReturnStock(sql, item.book_id, item.quantity, now);
      }
    }
    tx.Commit();
    order->status = to;
    order->updated_at = now;
    return *order;
  } catch (...) {
    return db::MapCurrentException("change order status");
  }
}

}  // namespace bookstore::book
