#pragma once
// SQL for orders, order_items and idempotency_keys. Functions throw
// soci::soci_error on database failure. Stateless.

#include <cstdint>
#include <optional>
#include <string>

#include "book_service/domain/models.h"

namespace soci {
class session;
}

namespace bookstore::book {

class OrderRepository {
 public:
  // Inserts the order row (status "new") and returns its id.
  static int64_t InsertOrder(soci::session& sql, int64_t user_id, int64_t total_cents, int64_t now);
  static int64_t InsertItem(soci::session& sql, const OrderItem& item);
  // The order with its items (ascending item id), or nullopt.
  static std::optional<Order> Find(soci::session& sql, int64_t id);
  // Newest first; `owner` restricts to one user's orders.
  static Page<Order> Search(soci::session& sql, const OrderQuery& query,
                            std::optional<int64_t> owner);
  // Moves the order from `from` to `to` only if it is still in `from`;
  // false when it is not (a concurrent change won).
  static bool UpdateStatus(soci::session& sql, int64_t id, const std::string& from,
                           const std::string& to, int64_t now);
};

// A stored Idempotency-Key of POST /orders.
struct IdempotencyRecord {
  std::string request_hash;
  std::optional<int> status_code;  // nullopt while the first request runs
  std::string response_body;
  std::optional<int64_t> order_id;
};

class IdempotencyRepository {
 public:
  // Deletes keys created before `cutoff`.
  static void PurgeBefore(soci::session& sql, int64_t cutoff);
  // Claims (user, key) for a new request; false when it exists already
  // (on PostgreSQL, waits for a concurrent claimant to finish first).
  static bool TryClaim(soci::session& sql, int64_t user_id, const std::string& key,
                       const std::string& request_hash, int64_t now);
  static std::optional<IdempotencyRecord> Find(soci::session& sql, int64_t user_id,
                                               const std::string& key);
  static void Complete(soci::session& sql, int64_t user_id, const std::string& key, int status,
                       const std::string& body, int64_t order_id);
};

}  // namespace bookstore::book
