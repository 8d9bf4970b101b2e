#pragma once
// Book catalogue rules of §2.1: create, read, search, partial update and
// delete. Knows no HTTP. Thread-safe (each call uses the calling thread's
// connection; writes run in one transaction).

#include <functional>
#include <memory>

#include "book_service/domain/models.h"
#include "common/result.h"

namespace bookstore {
class Clock;
namespace db {
class Database;
}
}  // namespace bookstore

namespace bookstore::book {

class BookService {
 public:
  BookService(std::shared_ptr<db::Database> db, const Clock& clock);

  Result<Book> Get(int64_t id) const;
  // Calls `visit` with the book `id` (a view lasting for the call, see
  // BookRepository::Visit); NotFound when there is none. Exceptions from
  // `visit` are reported as an internal error.
  Status Show(int64_t id, const std::function<void(const BookView&)>& visit) const;
  // Shared and immutable: on SQLite the same object while the database is
  // unchanged, so its rendering can be reused (routes/render_cache.h).
  Result<std::shared_ptr<const Page<Book>>> List(const BookQuery& query) const;
  // Requires code, name and a price; sell price derived from the imported
  // price (x1.10, half-up) when absent. Duplicate code: Conflict.
  Result<Book> Create(const BookFields& fields);
  // Changes the given fields only (imported_price alone keeps sell_price).
  Result<Book> Update(int64_t id, const BookFields& fields);
  // NotFound, or Conflict when an order item references the book.
  Status Remove(int64_t id);
  // For seeding: creates the book unless its code exists. True when created.
  Result<bool> CreateIfAbsent(const BookFields& fields);

 private:
  std::shared_ptr<db::Database> db_;
  const Clock& clock_;
};

}  // namespace bookstore::book
