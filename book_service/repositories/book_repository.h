#pragma once
// SQL for the books table. Every function runs on the given session (a
// transaction's or the thread's own) and throws soci::soci_error on
// database failure; callers map errors. Stateless and thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "book_service/domain/models.h"

namespace soci {
class session;
}

namespace bookstore::book {

class BookRepository {
 public:
  // Inserts `book` (id ignored) and returns the new id.
  static int64_t Insert(soci::session& sql, const Book& book);
  static std::optional<Book> Find(soci::session& sql, int64_t id);
  // Calls `visit` with the book `id` and returns true, or returns false
  // when there is none. The view lasts for the call only: on SQLite it
  // shows the row where SQLite holds it, without copying it into a Book.
  static bool Visit(soci::session& sql, int64_t id,
                    const std::function<void(const BookView&)>& visit);
  static std::optional<int64_t> FindIdByCode(soci::session& sql, const std::string& code);
  // Writes every column of `book` by id; false when no such row.
  static bool Update(soci::session& sql, const Book& book);
  // False when no such row.
  static bool Delete(soci::session& sql, int64_t id);
  // True when an order item references the book.
  static bool IsReferenced(soci::session& sql, int64_t id);
  // The page of `query`. On SQLite the same object while the database is
  // unchanged (common/db/result_memo.h).
  static std::shared_ptr<const Page<Book>> Search(soci::session& sql, const BookQuery& query);

  // What an order line records of its book when it takes stock.
  struct Taken {
    int64_t sell_price_cents = 0;
    std::string code, name;
  };
  // Takes `quantity` units if that many are in stock; returns the current
  // sell price, code and name, or nullopt when the book is absent or has
  // too few.
  static std::optional<Taken> TakeStock(soci::session& sql, int64_t id, int64_t quantity,
                                        int64_t now);
  // Puts `quantity` units back.
  // Adds `quantity` back to the book's stock, capped at kMaxQuantity.
  static void ReturnStock(soci::session& sql, int64_t id, int64_t quantity, int64_t now);
};

}  // namespace bookstore::book
