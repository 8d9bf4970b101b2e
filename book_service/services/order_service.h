#pragma once
// Order rules of §2.3: all-or-nothing placement with stock checks that hold
// under any concurrency (conditional decrements inside one transaction),
// Idempotency-Key replay, visibility, and the status state machine with
// stock restore. Knows no HTTP. Thread-safe.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "book_service/domain/models.h"
#include "common/result.h"

namespace soci {
class session;
}

namespace bookstore {
class Clock;
namespace db {
class Database;
class Writer;
}  // namespace db
}  // namespace bookstore

namespace bookstore::book {

// Who is acting on orders: `manager` is an admin holding orders:manage (sees
// and moves every order); anyone else acts on their own orders only.
struct OrderActor {
  int64_t user_id = 0;
  bool manager = false;
};

// A placed (or replayed) order: its id and its JSON representation exactly
// as first returned.
struct PlacedOrder {
  int64_t order_id = 0;
  std::string body;
  bool replayed = false;
};

// Keys are kept at least this long.
constexpr int64_t kIdempotencyRetentionSeconds = 24 * 3600;

class OrderService {
 public:
  // Orders are placed through `writer` (db/writer.h), or a writer of its
  // own when null.
  OrderService(std::shared_ptr<db::Database> db, const Clock& clock,
               std::shared_ptr<db::Writer> writer = nullptr);
  ~OrderService();

  // Places an order for `user_id`. Unknown book: NotFound; too little
  // stock: Conflict naming the book. With `idempotency_key`: the same key
  // and lines replay the first success, other lines are Unprocessable.
  // Blocks until the order is committed (PlaceAsync, waited for): call off
  // io threads.
  Result<PlacedOrder> Place(int64_t user_id, const std::vector<OrderLine>& lines,
                            const std::optional<std::string>& idempotency_key);

  using PlaceDone = std::function<void(Result<PlacedOrder>)>;
  // Place, reporting the outcome to `done` (called exactly once). Returns at
  // once (callable from io threads): `done` runs on a writer thread once
  // the order is durable, or, for a request error, on the calling thread
  // before returning.
  void PlaceAsync(int64_t user_id, std::vector<OrderLine> lines,
                  std::optional<std::string> idempotency_key, PlaceDone done);
  // NotFound unless the actor owns it or is a manager.
  Result<Order> Get(const OrderActor& actor, int64_t id) const;
  Result<Page<Order>> List(const OrderActor& actor, const OrderQuery& query) const;
  // Managers: any allowed transition; owners: new -> canceled only
  // (Forbidden otherwise). Disallowed or same status: Conflict.
  Result<Order> ChangeStatus(const OrderActor& actor, int64_t id, const std::string& to);

 private:
  struct Placement;  // PlaceIn's result (order_service.cpp)
  // The placed order of `placement`, its body rendered if still needed.
  static Result<PlacedOrder> Finish(Result<Placement> placement);
  // Place() inside the caller's transaction (or savepoint); errors leave the
  // caller to roll back.
  Result<Placement> PlaceIn(soci::session& sql, int64_t user_id,
                            const std::vector<OrderLine>& lines,
                            const std::optional<std::string>& idempotency_key,
                            const std::string& fingerprint, int64_t now);

  std::shared_ptr<db::Database> db_;
  const Clock& clock_;
  std::shared_ptr<db::Writer> writer_;
};

// The canonical text of `lines` that identifies a request for idempotency.
std::string OrderRequestFingerprint(const std::vector<OrderLine>& lines);

}  // namespace bookstore::book
