#pragma once
// Book catalogue rules of §2.1: create, read, search, partial update and
// delete. Knows no HTTP. Thread-safe (each call uses the calling thread's
// connection; writes run in one transaction).

#include <memory>
#include <string>

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
  // The representation of book `id` (BookJson, with the imported price
  // when `admin`); NotFound when there is none. On SQLite the same text
  // while the database is unchanged: memoised per connection by id
  // (db::MemoizedRow, common/db/result_memo.h), so a book shown again
  // between two writes is neither read nor rendered again.
  Result<std::shared_ptr<const std::string>> Show(int64_t id, bool admin) const;
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
