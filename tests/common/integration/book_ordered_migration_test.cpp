// Migration 004 (books.ordered instead of an index on order_items (book_id))
// against a database that already holds orders, in both dialects.

#include <soci/soci.h>

#include "common/db/migrations.h"
#include "tests/common/integration/db_test_util.h"

namespace bookstore::test {
namespace {

using BookOrderedMigrationTest = DialectTest;

constexpr int kBeforeFlag = 3;

long long InsertBook(soci::session& s, const std::string& code) {
  long long id = 0;
  s << "INSERT INTO books (code, name, quantity, sell_price_cents, created_at, updated_at) "
       "VALUES (:c, 'A book', 5, 1195, 1, 1) RETURNING id",
      soci::use(code), soci::into(id);
  return id;
}

long long InsertItem(soci::session& s, long long order_id, long long book_id) {
  long long id = 0;
  s << "INSERT INTO order_items (order_id, book_id, quantity, price_each_cents) "
       "VALUES (:o, :b, 1, 1195) RETURNING id",
      soci::use(order_id), soci::use(book_id), soci::into(id);
  return id;
}

long long Ordered(soci::session& s, long long book_id) {
  long long ordered = -1;
  s << "SELECT ordered FROM books WHERE id = :id", soci::use(book_id), soci::into(ordered);
  return ordered;
}

TEST_P(BookOrderedMigrationTest, FlagsOrderedBooksAndKeepsTheItems) {
  auto db = test_db_->Open();
  ASSERT_EQ(db::Migrate(*db, kBeforeFlag), kBeforeFlag);
  auto& s = db->Session();
  const long long user = InsertUser(s, "erin");
  const long long sold = InsertBook(s, "SOLD-1");
  const long long unsold = InsertBook(s, "NEW-1");
  const long long first = InsertOrder(s, user);
  const long long second = InsertOrder(s, user);
  const long long kept = InsertItem(s, first, sold);
  const long long dropped = InsertItem(s, second, sold);
  s << "DELETE FROM orders WHERE id = :id", soci::use(second);  // cascades to its item

  EXPECT_GE(db::Migrate(*db), 1);
  EXPECT_TRUE(db::CheckSchema(*db).ok());
  EXPECT_EQ(Ordered(s, sold), 1);
  EXPECT_EQ(Ordered(s, unsold), 0);
  long long book = 0;
  s << "SELECT book_id FROM order_items WHERE id = :id", soci::use(kept), soci::into(book);
  EXPECT_EQ(book, sold);
  EXPECT_EQ(CountRows(s, "order_items"), 1);
  // Ids are never reused: the sequence went past the deleted item.
  EXPECT_GT(InsertItem(s, InsertOrder(s, user), unsold), dropped);
  // Deleting an order still deletes its items.
  s << "DELETE FROM orders WHERE id = :id", soci::use(first);
  EXPECT_EQ(CountRows(s, "order_items"), 1);
  EXPECT_THROW((s << "UPDATE books SET ordered = 2 WHERE id = :id", soci::use(sold)),
               soci::soci_error);
}

// SQLite drops the foreign key from order_items (book_id) and its index;
// PostgreSQL keeps both. The cascade from orders stays in both.
TEST_P(BookOrderedMigrationTest, BookReferenceIsKeptOnlyOnPostgres) {
  auto db = test_db_->OpenMigrated();
  auto& s = db->Session();
  const long long order = InsertOrder(s, InsertUser(s, "frank"));
  if (IsSqlite()) {
    long long indexes = -1, book_keys = -1, order_keys = -1;
    s << "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'order_items_book'",
        soci::into(indexes);
    s << "SELECT count(*) FROM pragma_foreign_key_list('order_items') WHERE \"from\" = 'book_id'",
        soci::into(book_keys);
    s << "SELECT count(*) FROM pragma_foreign_key_list('order_items') "
         "WHERE \"from\" = 'order_id' AND \"table\" = 'orders' AND on_delete = 'CASCADE'",
        soci::into(order_keys);
    EXPECT_EQ(indexes, 0);
    EXPECT_EQ(book_keys, 0);
    EXPECT_EQ(order_keys, 1);
    EXPECT_GT(InsertItem(s, order, 999999), 0);  // only the services check the book
  } else {
    EXPECT_THROW(InsertItem(s, order, 999999), soci::soci_error);
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, BookOrderedMigrationTest, ::testing::ValuesIn(TestDialects()),
                         DialectName);

}  // namespace
}  // namespace bookstore::test
