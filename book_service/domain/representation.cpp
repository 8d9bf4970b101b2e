#include "book_service/domain/representation.h"

#include "book_service/domain/json_writer.h"
#include "book_service/domain/money.h"
#include "common/clock.h"

namespace bookstore::book {
namespace {

template <class T, class F>
std::string PageJson(const Page<T>& page, F write_item) {
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const auto& item : page.items) write_item(w, item);
  w.EndArray();
  w.Key("page").Int(page.page);
  w.Key("page_size").Int(page.page_size);
  w.Key("total").Int(page.total);
  w.EndObject();
  return w.Take();
}

}  // namespace

void WriteBook(JsonWriter& w, const BookView& b, bool with_imported_price) {
  w.BeginObject();
  w.Key("id").Int(b.id);
  w.Key("code").String(b.code);
  w.Key("name").String(b.name);
  w.Key("publisher").OptionalString(b.publisher);
  w.Key("quantity").Int(b.quantity);
  w.Key("sell_price").Raw(FormatMoney(b.sell_price_cents));
  if (with_imported_price) {
    w.Key("imported_price");
    if (b.imported_price_cents)
      w.Raw(FormatMoney(*b.imported_price_cents));
    else
      w.Null();
  }
  w.EndObject();
}

void WriteUser(JsonWriter& w, const User& u) {
  w.BeginObject();
  w.Key("id").Int(u.id);
  w.Key("username").String(u.username);
  w.Key("role").String(u.role);
  w.Key("created_at").String(FormatRfc3339(u.created_at));
  w.EndObject();
}

void WriteOrder(JsonWriter& w, const Order& o) {
  w.BeginObject();
  w.Key("id").Int(o.id);
  w.Key("user_id").Int(o.user_id);
  w.Key("status").String(o.status);
  w.Key("created_at").String(FormatRfc3339(o.created_at));
  w.Key("updated_at").String(FormatRfc3339(o.updated_at));
  w.Key("items").BeginArray();
  for (const auto& i : o.items) {
    w.BeginObject();
    w.Key("id").Int(i.id);
    w.Key("order_id").Int(i.order_id);
    w.Key("book_id").Int(i.book_id);
    w.Key("book_code").String(i.book_code);
    w.Key("book_name").String(i.book_name);
    w.Key("quantity").Int(i.quantity);
    w.Key("price_each").Raw(FormatMoney(i.price_each_cents));
    w.EndObject();
  }
  w.EndArray();
  w.Key("total").Raw(FormatMoney(o.total_cents));
  w.EndObject();
}

std::string BookJson(const BookView& book, bool with_imported_price) {
  JsonWriter w;
  WriteBook(w, book, with_imported_price);
  return w.Take();
}

std::string UserJson(const User& user) {
  JsonWriter w;
  WriteUser(w, user);
  return w.Take();
}

std::string OrderJson(const Order& order) {
  JsonWriter w;
  WriteOrder(w, order);
  return w.Take();
}

std::string BookPageJson(const Page<Book>& page, bool with_imported_price) {
  return PageJson(page,
                  [&](JsonWriter& w, const Book& b) { WriteBook(w, b, with_imported_price); });
}

std::string UserPageJson(const Page<User>& page) { return PageJson(page, WriteUser); }

std::string OrderPageJson(const Page<Order>& page) { return PageJson(page, WriteOrder); }

}  // namespace bookstore::book
