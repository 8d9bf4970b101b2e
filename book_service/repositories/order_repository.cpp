#include "book_service/repositories/order_repository.h"

#include <soci/soci.h>

#include <map>
#include <stdexcept>

#include "book_service/repositories/dynamic_query.h"
#include "book_service/repositories/sql_util.h"
#include "common/db/result_memo.h"
#include "common/db/row_query.h"
#include "common/db/sqlite_reader.h"
#include "common/db/statement_cache.h"

namespace bookstore::book {
namespace {

constexpr const char* kInsertOrder =
    "INSERT INTO orders (user_id, status, total_cents, created_at, updated_at) "
    "VALUES (:user_id, 'new', :total, :now, :now) RETURNING id";
constexpr const char* kInsertItem =
    "INSERT INTO order_items (order_id, book_id, quantity, price_each_cents, book_code, "
    "book_name) VALUES (:order_id, :book_id, :quantity, :price, :code, :name) RETURNING id";
// The same inserts on SQLite, which gives the new id as last_insert_rowid()
// (SqliteReader::LastInsertRowid) without RETURNING's temporary b-tree.
constexpr const char* kInsertOrderSqlite =
    "INSERT INTO orders (user_id, status, total_cents, created_at, updated_at) "
    "VALUES (:user_id, 'new', :total, :now, :now)";
constexpr const char* kInsertItemSqlite =
    "INSERT INTO order_items (order_id, book_id, quantity, price_each_cents, book_code, "
    "book_name) VALUES (:order_id, :book_id, :quantity, :price, :code, :name)";
constexpr const char* kOrderColumns = "id, user_id, status, total_cents, created_at, updated_at";
constexpr const char* kItemColumns =
    "id, order_id, book_id, quantity, price_each_cents, book_code, book_name";
constexpr const char* kUpdateStatus =
    "UPDATE orders SET status = :to, updated_at = :now WHERE id = :id AND status = :from";

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
  std::string code, name;
  soci::indicator code_ind = soci::i_ok, name_ind = soci::i_ok;
  void Into(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(order_id));
    st.exchange(soci::into(book_id));
    st.exchange(soci::into(quantity));
    st.exchange(soci::into(price));
    st.exchange(soci::into(code, code_ind));
    st.exchange(soci::into(name, name_ind));
  }
  OrderItem Get() const {
    return {id,
            order_id,
            book_id,
            quantity,
            price,
            code_ind == soci::i_ok ? code : "",
            name_ind == soci::i_ok ? name : ""};
  }
};

// Statements prepared once per connection (db::Cached); each owns its values.
// The two inserts of every order run on SQLite through `sqlite` (the order
// writer's hot path, SQL without RETURNING, no SOCI bindings), elsewhere
// through SOCI.
struct InsertOrderQuery {
  long long user_id = 0, total = 0, now = 0, id = 0;
  soci::statement st;
  std::optional<db::SqliteReader> sqlite;
  explicit InsertOrderQuery(soci::session& sql)
      : st(db::IsSqlite(sql)
               ? soci::statement(sql.prepare << kInsertOrderSqlite)
               : soci::statement((sql.prepare << kInsertOrder, soci::use(user_id, "user_id"),
                                  soci::use(total, "total"), soci::use(now, "now"),
                                  soci::into(id)))),
        sqlite(db::SqliteReader::Of(sql, st)) {}
};

struct InsertItemQuery {
  long long order_id = 0, book_id = 0, quantity = 0, price = 0, id = 0;
  std::string code, name;
  soci::statement st;
  std::optional<db::SqliteReader> sqlite;
  explicit InsertItemQuery(soci::session& sql)
      : st(db::IsSqlite(sql)
               ? soci::statement(sql.prepare << kInsertItemSqlite)
               : soci::statement((sql.prepare << kInsertItem, soci::use(order_id, "order_id"),
                                  soci::use(book_id, "book_id"), soci::use(quantity, "quantity"),
                                  soci::use(price, "price"), soci::use(code, "code"),
                                  soci::use(name, "name"), soci::into(id)))),
        sqlite(db::SqliteReader::Of(sql, st)) {}
};

// The id of the row the insert run through `row` added.
int64_t InsertedId(db::SqliteReader& row) {
  row.Step();
  if (row.Changes() != 1) throw std::logic_error("an INSERT added no row");
  return row.LastInsertRowid();
}

struct FindOrderQuery {
  long long id = 0;
  OrderRow row;
  soci::statement st;
  explicit FindOrderQuery(soci::session& sql) : st(sql) {
    db::PrepareRowQuery(st, row,
                        std::string("SELECT ") + kOrderColumns + " FROM orders WHERE id = :id",
                        soci::use(id, "id"));
  }
};

// Loads the items of `orders` (one query) into them. The IN list is padded
// (repeating the last id) to a power of two, so a few SQL texts, each
// prepared once per connection, serve every page size.
void LoadItems(soci::session& sql, std::vector<Order>& orders) {
  if (orders.empty()) return;
  ParamList params;
  std::string in;
  std::map<int64_t, Order*> by_id;
  for (auto& o : orders) {
    in += (in.empty() ? "" : ", ") + params.Add(static_cast<long long>(o.id));
    by_id[o.id] = &o;
  }
  size_t slots = 1;
  while (slots < orders.size()) slots *= 2;
  for (size_t i = orders.size(); i < slots; ++i) {
    in += ", " + params.Add(static_cast<long long>(orders.back().id));
  }
  db::Cached<DynamicQuery<ItemRow>> q(sql,
                                      std::string("SELECT ") + kItemColumns +
                                          " FROM order_items WHERE order_id IN (" + in +
                                          ") ORDER BY id",
                                      params);
  q->Execute(params);
  while (q->st.fetch()) by_id[q->row.order_id]->items.push_back(q->row.Get());
}

}  // namespace

int64_t OrderRepository::InsertOrder(soci::session& sql, int64_t user_id, int64_t total_cents,
                                     int64_t now) {
  db::Cached<InsertOrderQuery> q(sql);
  if (auto& row = q->sqlite) {
    row->BindInt64(":user_id", user_id);
    row->BindInt64(":total", total_cents);
    row->BindInt64(":now", now);
    return InsertedId(*row);
  }
  q->user_id = user_id;
  q->total = total_cents;
  q->now = now;
  q->st.execute(true);
  return q->id;
}

int64_t OrderRepository::InsertItem(soci::session& sql, const OrderItem& item) {
  db::Cached<InsertItemQuery> q(sql);
  if (auto& row = q->sqlite) {
    row->BindInt64(":order_id", item.order_id);
    row->BindInt64(":book_id", item.book_id);
    row->BindInt64(":quantity", item.quantity);
    row->BindInt64(":price", item.price_each_cents);
    row->BindText(":code", item.book_code);
    row->BindText(":name", item.book_name);
    return InsertedId(*row);
  }
  q->order_id = item.order_id;
  q->book_id = item.book_id;
  q->quantity = item.quantity;
  q->price = item.price_each_cents;
  q->code = item.book_code;
  q->name = item.book_name;
  q->st.execute(true);
  return q->id;
}

std::optional<Order> OrderRepository::Find(soci::session& sql, int64_t id) {
  db::Cached<FindOrderQuery> q(sql);
  q->id = id;
  if (!q->st.execute(true)) return std::nullopt;
  std::vector<Order> one{q->row.Get()};
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
  if (query.created_from) {
    AddCondition(where, "created_at >= " + params.Add(static_cast<long long>(*query.created_from)));
  }
  if (query.created_to) {
    AddCondition(where, "created_at < " + params.Add(static_cast<long long>(*query.created_to)));
  }
  const ParamList count_params = params;
  const std::string limit = " LIMIT " + params.Add(static_cast<long long>(query.page.page_size)) +
                            " OFFSET " + params.Add(static_cast<long long>(query.page.offset()));
  const std::string page_sql = std::string("SELECT ") + kOrderColumns + " FROM orders" + where +
                               " ORDER BY created_at DESC, id DESC" + limit;
  // The page (items included) and its total, reused while the database is
  // unchanged (common/db/result_memo.h).
  return *db::Memoized<Page<Order>>(sql, "orders\n" + page_sql + "\n" + params.Key(), [&] {
    Page<Order> page;
    page.page = query.page.page;
    page.page_size = query.page.page_size;
    page.total = count_params.Count(sql, "SELECT COUNT(*) FROM orders" + where);
    db::Cached<DynamicQuery<OrderRow>> q(sql, page_sql, params);
    q->Execute(params);
    while (q->st.fetch()) page.items.push_back(q->row.Get());
    LoadItems(sql, page.items);
    return page;
  });
}

bool OrderRepository::UpdateStatus(soci::session& sql, int64_t id, const std::string& from,
                                   const std::string& to, int64_t now) {
  long long key = id, ts = now;
  soci::statement st = (sql.prepare << kUpdateStatus, soci::use(to, "to"), soci::use(ts, "now"),
                        soci::use(key, "id"), soci::use(from, "from"));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

}  // namespace bookstore::book
