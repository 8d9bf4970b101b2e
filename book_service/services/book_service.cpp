#include "book_service/services/book_service.h"

#include <soci/soci.h>

#include "book_service/domain/money.h"
#include "book_service/domain/representation.h"
#include "book_service/domain/validation.h"
#include "book_service/repositories/book_repository.h"
#include "common/clock.h"
#include "common/db/database.h"
#include "common/db/db_errors.h"
#include "common/db/result_memo.h"

namespace bookstore::book {
namespace {

Error DuplicateCode(const std::string& code) {
  return Error::Conflict("a book with code '" + code + "' already exists");
}

std::function<std::optional<Error>(db::Violation)> OnCodeViolation(const std::string& code) {
  return [code](db::Violation v) -> std::optional<Error> {
    if (v == db::Violation::kUnique) return DuplicateCode(code);
    if (v == db::Violation::kCheck) return Error::InvalidArgument("a value is out of range");
    return std::nullopt;
  };
}

Error NotFound(int64_t id) { return Error::NotFound("book " + std::to_string(id) + " not found"); }

}  // namespace

BookService::BookService(std::shared_ptr<db::Database> db, const Clock& clock)
    : db_(std::move(db)), clock_(clock) {}

Result<Book> BookService::Get(int64_t id) const {
  try {
    auto book = BookRepository::Find(db_->Session(), id);
    if (!book) return NotFound(id);
    return std::move(*book);
  } catch (...) {
    return db::MapCurrentException("get book");
  }
}

Result<std::shared_ptr<const std::string>> BookService::Show(int64_t id, bool admin) const {
  // Their addresses tag the memoised texts of the two variants.
  static constexpr char kPublicJson[] = "book json";
  static constexpr char kAdminJson[] = "book json with imported price";
  try {
    soci::session& sql = db_->Session();
    auto json = db::MemoizedRow<std::string>(
        sql, admin ? kAdminJson : kPublicJson, id, [&]() -> std::shared_ptr<const std::string> {
          std::shared_ptr<const std::string> text;
          BookRepository::Visit(sql, id, [&](const BookView& book) {
            text = std::make_shared<const std::string>(BookJson(book, admin));
          });
          return text;
        });
    if (!json) return NotFound(id);
    return json;
  } catch (...) {
    return db::MapCurrentException("show book");
  }
}

Result<std::shared_ptr<const Page<Book>>> BookService::List(const BookQuery& query) const {
  try {
    return BookRepository::Search(db_->Session(), query);
  } catch (...) {
    return db::MapCurrentException("list books");
  }
}

Result<Book> BookService::Create(const BookFields& fields) {
  auto errors = ValidateBookFields(fields, /*creating=*/true);
  if (!errors.empty()) return Error::InvalidArgument("invalid book", std::move(errors));
  Book book;
  book.code = *fields.code;
  book.name = *fields.name;
  if (fields.publisher) book.publisher = *fields.publisher;
  book.quantity = fields.quantity.value_or(0);
  book.imported_price_cents = fields.imported_price_cents;
  book.sell_price_cents = fields.sell_price_cents ? *fields.sell_price_cents
                                                  : DeriveSellPrice(*fields.imported_price_cents);
  book.created_at = book.updated_at = clock_.Now();
  try {
    db::Transaction tx(*db_);
    if (BookRepository::FindIdByCode(tx.session(), book.code)) return DuplicateCode(book.code);
    book.id = BookRepository::Insert(tx.session(), book);
    tx.Commit();
    return book;
  } catch (...) {
    return db::MapCurrentException("create book", OnCodeViolation(book.code));
  }
}

Result<bool> BookService::CreateIfAbsent(const BookFields& fields) {
  auto created = Create(fields);
  if (created.ok()) return true;
  if (created.error().code == Errc::kConflict) return false;
  return std::move(created).error();
}

Result<Book> BookService::Update(int64_t id, const BookFields& fields) {
  auto errors = ValidateBookFields(fields, /*creating=*/false);
  if (!errors.empty()) return Error::InvalidArgument("invalid book", std::move(errors));
  const std::string code = fields.code.value_or("");
  try {
    db::Transaction tx(*db_);
    auto book = BookRepository::Find(tx.session(), id);
    if (!book) return NotFound(id);
    if (fields.code && *fields.code != book->code) {
      if (BookRepository::FindIdByCode(tx.session(), *fields.code)) return DuplicateCode(code);
      book->code = *fields.code;
    }
    if (fields.name) book->name = *fields.name;
    if (fields.publisher) book->publisher = *fields.publisher;
    if (fields.quantity) book->quantity = *fields.quantity;
    if (fields.imported_price_cents) book->imported_price_cents = fields.imported_price_cents;
    if (fields.sell_price_cents) book->sell_price_cents = *fields.sell_price_cents;
    book->updated_at = clock_.Now();
    if (!BookRepository::Update(tx.session(), *book)) return NotFound(id);
    tx.Commit();
    return *book;
  } catch (...) {
    return db::MapCurrentException("update book", OnCodeViolation(code));
  }
}

Status BookService::Remove(int64_t id) {
  const Error referenced =
      Error::Conflict("book " + std::to_string(id) + " is referenced by an order");
  try {
    db::Transaction tx(*db_);
    if (!BookRepository::Find(tx.session(), id)) return NotFound(id);
    if (BookRepository::IsReferenced(tx.session(), id)) return referenced;
    if (!BookRepository::Delete(tx.session(), id)) return NotFound(id);
    tx.Commit();
    return {};
  } catch (...) {
    return db::MapCurrentException("delete book", [&](db::Violation v) -> std::optional<Error> {
      if (v == db::Violation::kForeignKey) return referenced;
      return std::nullopt;
    });
  }
}

}  // namespace bookstore::book
