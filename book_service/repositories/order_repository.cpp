#include "book_service/repositories/order_repository.h"

#include <soci/soci.h>

#include <map>

#include "book_service/repositories/sql_util.h"

namespace bookstore::book {
namespace {

constexpr const char* kInsertOrder =
    "INSERT INTO orders (user_id, status, total_cents, created_at, updated_at) "
    "VALUES (:user_id, 'new', :total, :now, :now) RETURNING id";
constexpr const char* kInsertItem =
    "INSERT INTO order_items (order_id, book_id, quantity, price_each_cents) "
    "VALUES (:order_id, :book_id, :quantity, :price) RETURNING id";
constexpr const char* kOrderColumns = "id, user_id, status, total_cents, created_at, updated_at";
constexpr const char* kItemColumns = "id, order_id, book_id, quantity, price_each_cents";
constexpr const char* kUpdateStatus =
    "UPDATE orders SET status = :to, updated_at = :now WHERE id = :id AND status = :from";

constexpr const char* kPurgeKeys = "DELETE FROM idempotency_keys WHERE created_at < :cutoff";
constexpr const char* kClaimKey =
    "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, created_at) "
    "VALUES (:user_id, :key, :hash, :now) ON CONFLICT (user_id, idem_key) DO NOTHING";
constexpr const char* kFindKey =
    "SELECT request_hash, status_code, response_body, order_id FROM idempotency_keys "
    "WHERE user_id = :user_id AND idem_key = :key";
constexpr const char* kCompleteKey =
    "UPDATE idempotency_keys SET status_code = :status, response_body = :body, "
    "order_id = :order_id WHERE user_id = :user_id AND idem_key = :key";

struct OrderRow {
  Order o;
  long long id = 0, user_id = 0, total = 0, created = 0, updated = 0;
  void Into(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(user_id));
    st.exchange(soci::into(o.status));
    st.exchange(soci::into(total));
    st.exchange(soci::into(created));
    st.exchange(soci::into(updated));
  }
  Order Get() const {
    Order out = o;
    out.id = id;
    out.user_id = user_id;
    out.total_cents = total;
    out.created_at = created;
    out.updated_at = updated;
    return out;
  }
};

struct ItemRow {
  long long id = 0, order_id = 0, book_id = 0, quantity = 0, price = 0;
  void Into(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(order_id));
    st.exchange(soci::into(book_id));
    st.exchange(soci::into(quantity));
    st.exchange(soci::into(price));
  }
  OrderItem Get() const { return {id, order_id, book_id, quantity, price}; }
};

// Loads the items of `orders` (one query) into them.
void LoadItems(soci::session& sql, std::vector<Order>& orders) {
  if (orders.empty()) return;
  ParamList params;
  std::string in;
  std::map<int64_t, Order*> by_id;
  for (auto& o : orders) {
    in += (in.empty() ? "" : ", ") + params.Add(static_cast<long long>(o.id));
    by_id[o.id] = &o;
  }
  ItemRow row;
  soci::statement st(sql);
  row.Into(st);
  params.BindTo(st);
  st.alloc();
  st.prepare(std::string("SELECT ") + kItemColumns + " FROM order_items WHERE order_id IN (" + in +
             ") ORDER BY id");
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) by_id[row.order_id]->items.push_back(row.Get());
}

}  // namespace

int64_t OrderRepository::InsertOrder(soci::session& sql, int64_t user_id, int64_t total_cents,
                                     int64_t now) {
  long long user = user_id, total = total_cents, ts = now, id = 0;
  sql << kInsertOrder, soci::use(user, "user_id"), soci::use(total, "total"), soci::use(ts, "now"),
      soci::into(id);
  return id;
}

int64_t OrderRepository::InsertItem(soci::session& sql, const OrderItem& item) {
  long long order = item.order_id, book = item.book_id, qty = item.quantity,
            price = item.price_each_cents, id = 0;
  sql << kInsertItem, soci::use(order, "order_id"), soci::use(book, "book_id"),
      soci::use(qty, "quantity"), soci::use(price, "price"), soci::into(id);
  return id;
}

std::optional<Order> OrderRepository::Find(soci::session& sql, int64_t id) {
  OrderRow row;
  long long key = id;
  soci::statement st(sql);
  row.Into(st);
  st.exchange(soci::use(key, "id"));
  st.alloc();
  st.prepare(std::string("SELECT ") + kOrderColumns + " FROM orders WHERE id = :id");
  st.define_and_bind();
  if (!st.execute(true)) return std::nullopt;
  std::vector<Order> one{row.Get()};
  LoadItems(sql, one);
  return std::move(one.front());
}

Page<Order> OrderRepository::Search(soci::session& sql, const OrderQuery& query,
                                    std::optional<int64_t> owner) {
  ParamList params;
  std::string where;
  if (owner) AddCondition(where, "user_id = " + params.Add(static_cast<long long>(*owner)));
  if (query.user_id) {
    AddCondition(where, "user_id = " + params.Add(static_cast<long long>(*query.user_id)));
  }
  if (query.status) AddCondition(where, "status = " + params.Add(*query.status));
  Page<Order> page;
  page.page = query.page.page;
  page.page_size = query.page.page_size;
  page.total = params.Count(sql, "SELECT COUNT(*) FROM orders" + where);
  const std::string limit = " LIMIT " + params.Add(static_cast<long long>(query.page.page_size)) +
                            " OFFSET " + params.Add(static_cast<long long>(query.page.offset()));
  OrderRow row;
  soci::statement st(sql);
  row.Into(st);
  params.BindTo(st);
  st.alloc();
  st.prepare(std::string("SELECT ") + kOrderColumns + " FROM orders" + where +
             " ORDER BY created_at DESC, id DESC" + limit);
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) page.items.push_back(row.Get());
  LoadItems(sql, page.items);
  return page;
}

bool OrderRepository::UpdateStatus(soci::session& sql, int64_t id, const std::string& from,
                                   const std::string& to, int64_t now) {
  long long key = id, ts = now;
  soci::statement st = (sql.prepare << kUpdateStatus, soci::use(to, "to"), soci::use(ts, "now"),
                        soci::use(key, "id"), soci::use(from, "from"));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

void IdempotencyRepository::PurgeBefore(soci::session& sql, int64_t cutoff) {
  long long ts = cutoff;
  sql << kPurgeKeys, soci::use(ts, "cutoff");
}

bool IdempotencyRepository::TryClaim(soci::session& sql, int64_t user_id, const std::string& key,
                                     const std::string& request_hash, int64_t now) {
  long long user = user_id, ts = now;
  soci::statement st = (sql.prepare << kClaimKey, soci::use(user, "user_id"), soci::use(key, "key"),
                        soci::use(request_hash, "hash"), soci::use(ts, "now"));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::optional<IdempotencyRecord> IdempotencyRepository::Find(soci::session& sql, int64_t user_id,
                                                             const std::string& key) {
  long long user = user_id, status = 0, order_id = 0;
  IdempotencyRecord rec;
  soci::indicator status_ind = soci::i_null, body_ind = soci::i_null, order_ind = soci::i_null;
  sql << kFindKey, soci::use(user, "user_id"), soci::use(key, "key"), soci::into(rec.request_hash),
      soci::into(status, status_ind), soci::into(rec.response_body, body_ind),
      soci::into(order_id, order_ind);
  if (!sql.got_data()) return std::nullopt;
  if (status_ind == soci::i_ok) rec.status_code = static_cast<int>(status);
  if (body_ind != soci::i_ok) rec.response_body.clear();
  if (order_ind == soci::i_ok) rec.order_id = order_id;
  return rec;
}

void IdempotencyRepository::Complete(soci::session& sql, int64_t user_id, const std::string& key,
                                     int status, const std::string& body, int64_t order_id) {
  long long user = user_id, code = status, order = order_id;
  sql << kCompleteKey, soci::use(code, "status"), soci::use(body, "body"),
      soci::use(order, "order_id"), soci::use(user, "user_id"), soci::use(key, "key");
}

}  // namespace bookstore::book
