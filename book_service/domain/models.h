#pragma once
// Plain values of the book service: books, users, orders and pages of them.
// Money in integer cents, times in epoch seconds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bookstore::book {

struct Book {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::optional<std::string> publisher;
  int64_t quantity = 0;
  std::optional<int64_t> imported_price_cents;
  int64_t sell_price_cents = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// The fields of a book its representation shows, as views of storage
// owned elsewhere (a Book, or a database row being read): valid only as
// long as that storage, e.g. during the call that hands the view out.
struct BookView {
  BookView() = default;
  BookView(const Book& b)  // NOLINT: implicit, a Book can be shown as is
      : id(b.id),
        code(b.code),
        name(b.name),
        publisher(b.publisher ? std::optional<std::string_view>(*b.publisher) : std::nullopt),
        quantity(b.quantity),
        imported_price_cents(b.imported_price_cents),
        sell_price_cents(b.sell_price_cents) {}

  int64_t id = 0;
  std::string_view code;
  std::string_view name;
  std::optional<std::string_view> publisher;
  int64_t quantity = 0;
  std::optional<int64_t> imported_price_cents;
  int64_t sell_price_cents = 0;
};

// Fields of a POST (create) or PUT (partial update). Absent = not given.
// `publisher` holds nullopt inside when the client sent null.
struct BookFields {
  std::optional<std::string> code;
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> publisher;
  std::optional<int64_t> quantity;
  std::optional<int64_t> imported_price_cents;
  std::optional<int64_t> sell_price_cents;
};

struct User {
  int64_t id = 0;
  std::string username;
  std::string role;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct OrderItem {
  int64_t id = 0;
  int64_t order_id = 0;
  int64_t book_id = 0;
  int64_t quantity = 0;
  int64_t price_each_cents = 0;
  // The book's code and name when it was ordered (a snapshot, like the price).
  std::string book_code;
  std::string book_name;
};

struct Order {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string status;
  int64_t total_cents = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<OrderItem> items;
};

// One requested line of a new order.
struct OrderLine {
  int64_t book_id = 0;
  int64_t quantity = 0;
};

struct PageRequest {
  int64_t page = 1;
  int64_t page_size = 20;
  int64_t offset() const { return (page - 1) * page_size; }
};

template <class T>
struct Page {
  std::vector<T> items;
  int64_t page = 1;
  int64_t page_size = 20;
  int64_t total = 0;
};

struct BookQuery {
  std::optional<std::string> q;
  std::optional<std::string> publisher;
  std::optional<int64_t> min_price_cents;
  std::optional<int64_t> max_price_cents;
  std::optional<bool> in_stock;
  std::string sort_sql = "id";  // from the whitelist only, never client text
  bool descending = false;
  PageRequest page;
};

struct UserQuery {
  std::optional<std::string> role;
  std::optional<std::string> q;
  PageRequest page;
};

struct OrderQuery {
  std::optional<std::string> status;
  std::optional<int64_t> user_id;
  std::optional<int64_t> created_from;  // epoch seconds, inclusive
  std::optional<int64_t> created_to;    // epoch seconds, exclusive
  PageRequest page;
};

}  // namespace bookstore::book
