// The schema's constraints hold in both dialects, so services can rely on
// the database for uniqueness, ranges and references.

#include "tests/common/integration/db_test_util.h"

namespace bookstore::test {
namespace {

using SchemaConstraintsTest = DialectTest;

void InsertBook(soci::session& s, const std::string& code, int quantity) {
  s << "INSERT INTO books (code, name, quantity, sell_price_cents, created_at, updated_at) "
       "VALUES (:c, 'A book', :q, 1195, 1, 1)",
      soci::use(code), soci::use(quantity);
}

TEST_P(SchemaConstraintsTest, ReturningIdGivesIncreasingIds) {
  auto db = test_db_->OpenMigrated();
  const long long a = InsertUser(db->Session(), "alice");
  const long long b = InsertUser(db->Session(), "bobby");
  EXPECT_GT(a, 0);
  EXPECT_GT(b, a);
  std::string name;
  db->Session() << "SELECT username FROM users WHERE id = :id", soci::use(b), soci::into(name);
  EXPECT_EQ(name, "bobby");
}

TEST_P(SchemaConstraintsTest, UsernameUniqueIgnoringCase) {
  auto db = test_db_->OpenMigrated();
  InsertUser(db->Session(), "Alice");
  EXPECT_THROW(InsertUser(db->Session(), "alice"), soci::soci_error);
  EXPECT_THROW(InsertUser(db->Session(), "ALICE"), soci::soci_error);
  EXPECT_NO_THROW(InsertUser(db->Session(), "alice2"));
  EXPECT_EQ(CountRows(db->Session(), "users"), 2);
}

TEST_P(SchemaConstraintsTest, BookCodeUnique) {
  auto db = test_db_->OpenMigrated();
  InsertBook(db->Session(), "B-1", 1);
  EXPECT_THROW(InsertBook(db->Session(), "B-1", 2), soci::soci_error);
  EXPECT_NO_THROW(InsertBook(db->Session(), "B-2", 2));
}

TEST_P(SchemaConstraintsTest, NegativeQuantityRejected) {
  auto db = test_db_->OpenMigrated();
  EXPECT_THROW(InsertBook(db->Session(), "B-1", -1), soci::soci_error);
  EXPECT_THROW(InsertBook(db->Session(), "B-2", 1'000'001), soci::soci_error);
  EXPECT_NO_THROW(InsertBook(db->Session(), "B-3", 0));
  EXPECT_NO_THROW(InsertBook(db->Session(), "B-4", 1'000'000));
  EXPECT_THROW(db->Session() << "UPDATE books SET quantity = quantity - 1 WHERE code = 'B-3'",
               soci::soci_error);
  EXPECT_EQ(CountRows(db->Session(), "books"), 2);
}

TEST_P(SchemaConstraintsTest, OrderNeedsExistingUser) {
  auto db = test_db_->OpenMigrated();
  EXPECT_THROW(InsertOrder(db->Session(), 12345), soci::soci_error);
  const long long user = InsertUser(db->Session(), "carol");
  EXPECT_GT(InsertOrder(db->Session(), user), 0);
  // ON DELETE RESTRICT: a user with orders cannot be deleted.
  EXPECT_THROW((db->Session() << "DELETE FROM users WHERE id = :id", soci::use(user)),
               soci::soci_error);
  EXPECT_EQ(CountRows(db->Session(), "users"), 1);
}

TEST_P(SchemaConstraintsTest, OrderStatusMustBeKnown) {
  auto db = test_db_->OpenMigrated();
  const long long order = InsertOrder(db->Session(), InsertUser(db->Session(), "dave1"));
  EXPECT_THROW(
      (db->Session() << "UPDATE orders SET status = 'lost' WHERE id = :id", soci::use(order)),
      soci::soci_error);
  EXPECT_NO_THROW(
      (db->Session() << "UPDATE orders SET status = 'shipping' WHERE id = :id", soci::use(order)));
}

INSTANTIATE_TEST_SUITE_P(Dialects, SchemaConstraintsTest, ::testing::ValuesIn(TestDialects()),
                         DialectName);

}  // namespace
}  // namespace bookstore::test
