// Migration 007 (order lines keep the book's code and name) against a
// database that already holds orders, in both dialects.

#include <soci/soci.h>

#include "common/db/migrations.h"
#include "tests/common/integration/db_test_util.h"

namespace bookstore::test {
namespace {

using OrderSnapshotMigrationTest = DialectTest;

constexpr int kBeforeSnapshot = 6;

TEST_P(OrderSnapshotMigrationTest, ExistingLinesTakeTheirBooksCodeAndName) {
  auto db = test_db_->Open();
  ASSERT_EQ(db::Migrate(*db, kBeforeSnapshot), kBeforeSnapshot);
  auto& s = db->Session();
  long long book = 0, item = 0;
  s << "INSERT INTO books (code, name, quantity, sell_price_cents, created_at, updated_at) "
       "VALUES ('OLD-1', 'An Old Order''s Book', 5, 1195, 1, 1) RETURNING id",
      soci::into(book);
  const long long order = InsertOrder(s, InsertUser(s, "gina"));
  s << "INSERT INTO order_items (order_id, book_id, quantity, price_each_cents) "
       "VALUES (:o, :b, 1, 1195) RETURNING id",
      soci::use(order), soci::use(book), soci::into(item);

  EXPECT_GE(db::Migrate(*db), 1);  // this one and any later
  EXPECT_TRUE(db::CheckSchema(*db).ok());
  std::string code, name;
  s << "SELECT book_code, book_name FROM order_items WHERE id = :id", soci::use(item),
      soci::into(code), soci::into(name);
  EXPECT_EQ(code, "OLD-1");
  EXPECT_EQ(name, "An Old Order's Book");
}

INSTANTIATE_TEST_SUITE_P(Dialects, OrderSnapshotMigrationTest, ::testing::ValuesIn(TestDialects()),
                         DialectName);

}  // namespace
}  // namespace bookstore::test
