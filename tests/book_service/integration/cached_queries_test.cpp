// The repositories' cached statements and memoised list totals through the
// services: the same statements serve many calls with different values,
// totals follow every change (another connection's commit, this
// connection's own write), and no read transaction stays open on SQLite.
#include <soci/soci.h>

#include "book_service/domain/request_decoding.h"
#include "common/db/statement_cache.h"
#include "tests/book_service/integration/service_fixture.h"
#include "tests/common/integration/db_test_util.h"

namespace bookstore::book::test {
namespace {

using bookstore::test::NoTransaction;

class CachedQueriesTest : public ServiceTest {
 protected:
  bool IsSqlite() const { return GetParam() == "sqlite"; }
  Page<Book> List(const QueryList& params) {
    auto query = ParseBookQuery(params);
    EXPECT_TRUE(query.ok());
    auto page = books_.List(*query);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message);
    return page.ok() ? **page : Page<Book>{};
  }
  // A book inserted and committed through a second connection.
  void InsertElsewhere(const std::string& code, const std::string& name) {
    auto other = test_db_.Open();
    BookService elsewhere(other, clock_);
    BookFields f;
    f.code = code;
    f.name = name;
    f.quantity = 1;
    f.sell_price_cents = 100;
    ASSERT_TRUE(elsewhere.Create(f).ok());
  }
};

TEST_P(CachedQueriesTest, FindAndSearchReuseTheirStatements) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 12; ++i) {
    ids.push_back(
        NewBook("C-" + std::to_string(i), i, 100 + i, std::nullopt, "Dragon " + std::to_string(i)));
  }
  size_t after_first_round = 0;
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < ids.size(); ++i) {
      auto book = books_.Get(ids[i]);
      ASSERT_TRUE(book.ok());
      EXPECT_EQ(book->code, "C-" + std::to_string(i));
      if (IsSqlite()) {
        EXPECT_TRUE(NoTransaction(db_->Session()));
      }
    }
    EXPECT_EQ(books_.Get(ids.back() + 1).error().code, Errc::kNotFound);
    for (int page = 1; page <= 3; ++page) {
      const auto got = List({{"q", "dragon"}, {"page_size", "5"}, {"page", std::to_string(page)}});
      EXPECT_EQ(got.total, 12);
      ASSERT_EQ(got.items.size(), page < 3 ? 5u : 2u);
      EXPECT_EQ(got.items[0].id, ids[(page - 1) * 5]);
    }
    EXPECT_EQ(List({{"in_stock", "true"}}).total, 11);
    if (IsSqlite()) {
      EXPECT_TRUE(NoTransaction(db_->Session()));
    }
    if (round == 0) after_first_round = db::CachedStatementCount(db_->Session());
  }
  EXPECT_GT(after_first_round, 0u);
  EXPECT_EQ(db::CachedStatementCount(db_->Session()), after_first_round);
}

TEST_P(CachedQueriesTest, ListTotalsFollowEveryChange) {
  NewBook("D-1", 1, 100, std::nullopt, "Dragon One");
  NewBook("X-1", 1, 100, std::nullopt, "Other");
  EXPECT_EQ(List({{"q", "dragon"}}).total, 1);
  EXPECT_EQ(List({}).total, 2);
  EXPECT_EQ(List({{"q", "dragon"}}).total, 1);  // unchanged: may come from the memo
  InsertElsewhere("D-2", "Dragon Two");         // another connection commits
  EXPECT_EQ(List({{"q", "dragon"}}).total, 2);
  EXPECT_EQ(List({}).total, 3);
  NewBook("D-3", 1, 100, std::nullopt, "Dragon Three");  // this thread's connection
  EXPECT_EQ(List({{"q", "dragon"}}).total, 3);
  EXPECT_EQ(List({}).total, 4);
  ASSERT_TRUE(books_.Remove(List({{"q", "dragon three"}}).items.at(0).id).ok());
  EXPECT_EQ(List({{"q", "dragon"}}).total, 2);
  EXPECT_EQ(List({}).total, 3);
}

TEST_P(CachedQueriesTest, SharedReadSeesOneSnapshotUntilEnded) {
  NewBook("D-1", 1, 100, std::nullopt, "Dragon One");
  const bool opened = db_->BeginSharedRead();
  EXPECT_EQ(opened, IsSqlite());
  EXPECT_EQ(List({{"q", "dragon"}}).total, 1);
  InsertElsewhere("D-2", "Dragon Two");
  EXPECT_EQ(List({{"q", "dragon"}}).total, IsSqlite() ? 1 : 2);
  db_->EndSharedRead();
  EXPECT_EQ(List({{"q", "dragon"}}).total, 2);
}

TEST_P(CachedQueriesTest, OrderListsCarryTheirItemsForEveryPageSize) {
  const auto alice = NewUser("alice");
  const auto b1 = NewBook("B1", 100), b2 = NewBook("B2", 100);
  std::vector<int64_t> placed;
  for (int i = 0; i < 7; ++i) {
    auto order = orders_.Place(alice, {{b1, i + 1}, {b2, 1}}, "key-" + std::to_string(i));
    ASSERT_TRUE(order.ok()) << order.error().message;
    placed.push_back(order->order_id);
  }
  const OrderActor actor{alice, false};
  for (int size = 1; size <= 8; ++size) {
    OrderQuery query;
    query.page.page_size = size;
    auto page = orders_.List(actor, query);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->total, 7);
    ASSERT_EQ(page->items.size(), static_cast<size_t>(std::min(size, 7)));
    for (const auto& order : page->items) {
      auto one = orders_.Get(actor, order.id);
      ASSERT_TRUE(one.ok());
      ASSERT_EQ(order.items.size(), 2u);
      EXPECT_EQ(order.items[0].id, one->items[0].id);
      EXPECT_EQ(order.items[0].quantity, one->items[0].quantity);
      EXPECT_EQ(order.items[1].book_id, b2);
    }
  }
  // A replayed key answers from its stored record.
  auto again = orders_.Place(alice, {{b1, 1}, {b2, 1}}, "key-0");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->order_id, placed[0]);
  EXPECT_EQ(Stock(b1), 100 - 28);
}

// Memoised pages (not only totals) follow every change: the page content of
// a repeated list, unchanged query, must show each committed change.
TEST_P(CachedQueriesTest, ListPagesFollowEveryChange) {
  const int64_t id = NewBook("D-1", 1, 100, std::nullopt, "Dragon One");
  EXPECT_EQ(List({{"q", "dragon"}}).items.at(0).name, "Dragon One");
  EXPECT_EQ(List({{"q", "dragon"}}).items.at(0).name, "Dragon One");  // may be memoised
  auto other = test_db_.Open();
  other->Session() << "UPDATE books SET name = 'Dragon Uno' WHERE id = " + std::to_string(id);
  EXPECT_EQ(List({{"q", "dragon"}}).items.at(0).name, "Dragon Uno");
  EXPECT_EQ(List({}).items.at(0).quantity, 1);
  BookFields restock;
  restock.quantity = 5;
  ASSERT_TRUE(books_.Update(id, restock).ok());  // this thread's connection
  EXPECT_EQ(List({}).items.at(0).quantity, 5);

  const auto alice = NewUser("alice");
  const OrderActor actor{alice, false};
  auto placed = orders_.Place(alice, {{id, 1}}, std::nullopt);
  ASSERT_TRUE(placed.ok());
  auto status_of_first = [&] {
    auto page = orders_.List(actor, OrderQuery{});
    EXPECT_TRUE(page.ok());
    return page.ok() && !page->items.empty() ? page->items[0].status : std::string();
  };
  EXPECT_EQ(status_of_first(), "new");
  EXPECT_EQ(status_of_first(), "new");  // may be memoised
  other->Session() << "UPDATE orders SET status = 'processing' WHERE id = " +
                          std::to_string(placed->order_id);
  EXPECT_EQ(status_of_first(), "processing");
  ASSERT_TRUE(orders_.ChangeStatus({alice, true}, placed->order_id, "shipping").ok());
  EXPECT_EQ(status_of_first(), "shipping");
}

INSTANTIATE_TEST_SUITE_P(Dialects, CachedQueriesTest,
                         ::testing::ValuesIn(bookstore::test::TestDialects()), DialectName);

}  // namespace
}  // namespace bookstore::book::test
