// OrderService + repositories on SQLite and PostgreSQL: stock, rollback,
// state machine, idempotency and concurrency.
#include <boost/json.hpp>
#include <future>
#include <thread>

#include "tests/book_service/integration/service_fixture.h"

namespace bookstore::book::test {
namespace {

class OrderServiceTest : public ServiceTest {
 protected:
  void SetUp() override {
    alice_ = NewUser("alice");
    bob_ = NewUser("bob");
  }
  int64_t PlaceOk(int64_t user, const std::vector<OrderLine>& lines) {
    auto placed = orders_.Place(user, lines, std::nullopt);
    EXPECT_TRUE(placed.ok()) << (placed.ok() ? "" : placed.error().message);
    return placed.ok() ? placed->order_id : 0;
  }
  int64_t alice_ = 0, bob_ = 0;
  const OrderActor manager_{999, true};
};

TEST_P(OrderServiceTest, PlacementDecrementsStockAndRecordsPrices) {
  const auto b1 = NewBook("B1", 5, 1195);
  const auto b2 = NewBook("B2", 2, 10);
  auto placed = orders_.Place(alice_, {{b2, 2}, {b1, 1}}, std::nullopt);
  ASSERT_TRUE(placed.ok());
  EXPECT_FALSE(placed->replayed);
  auto order = orders_.Get({alice_, false}, placed->order_id);
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(order->status, "new");
  EXPECT_EQ(order->total_cents, 1215);
  ASSERT_EQ(order->items.size(), 2u);
  EXPECT_EQ(order->items[0].book_id, b2);  // request order kept
  EXPECT_EQ(order->items[0].price_each_cents, 10);
  EXPECT_EQ(order->items[1].price_each_cents, 1195);
  EXPECT_EQ(Stock(b1), 4);
  EXPECT_EQ(Stock(b2), 0);
  EXPECT_EQ(boost::json::parse(placed->body).at("id").as_int64(), placed->order_id);
}

TEST_P(OrderServiceTest, LinesKeepTheBooksCodeAndNameAsOrdered) {
  const auto b = NewBook("SNAP-1", 5, 1195, std::nullopt, "The First Title");
  auto placed = orders_.Place(alice_, {{b, 1}}, std::nullopt);
  ASSERT_TRUE(placed.ok());
  const auto line = boost::json::parse(placed->body).at("items").at(0);
  EXPECT_EQ(line.at("book_code"), "SNAP-1");
  EXPECT_EQ(line.at("book_name"), "The First Title");
  BookFields rename;
  rename.code = "SNAP-2";
  rename.name = "A Later Title";
  ASSERT_TRUE(books_.Update(b, rename).ok());
  auto order = orders_.Get({alice_, false}, placed->order_id);
  ASSERT_TRUE(order.ok());
  ASSERT_EQ(order->items.size(), 1u);
  EXPECT_EQ(order->items[0].book_code, "SNAP-1");  // a snapshot, like the price
  EXPECT_EQ(order->items[0].book_name, "The First Title");
  const int64_t later = PlaceOk(alice_, {{b, 1}});
  EXPECT_EQ(orders_.Get({alice_, false}, later)->items[0].book_name, "A Later Title");
}

TEST_P(OrderServiceTest, ListFiltersByCreationTime) {
  const auto b = NewBook("B", 10);
  const int64_t t0 = clock_.Now();
  const auto first = PlaceOk(alice_, {{b, 1}});
  clock_.Advance(100);
  const auto second = PlaceOk(alice_, {{b, 1}});
  clock_.Advance(100);
  const auto third = PlaceOk(alice_, {{b, 1}});
  const auto ids = [&](std::optional<int64_t> from, std::optional<int64_t> to) {
    OrderQuery q;
    q.created_from = from;
    q.created_to = to;
    std::vector<int64_t> out;
    auto page = orders_.List({alice_, false}, q);
    EXPECT_TRUE(page.ok());
    for (const auto& o : page->items) out.push_back(o.id);
    EXPECT_EQ(page->total, static_cast<int64_t>(out.size()));
    return out;
  };
  EXPECT_EQ(ids(t0 + 100, std::nullopt), (std::vector<int64_t>{third, second}));  // inclusive
  EXPECT_EQ(ids(std::nullopt, t0 + 200), (std::vector<int64_t>{second, first}));  // exclusive
  EXPECT_EQ(ids(t0 + 1, t0 + 101), (std::vector<int64_t>{second}));
  EXPECT_EQ(ids(t0 + 201, std::nullopt), (std::vector<int64_t>{}));
}

TEST_P(OrderServiceTest, InsufficientStockRollsBackEveryLine) {
  const auto b1 = NewBook("B1", 5);
  const auto b2 = NewBook("B2", 1);
  auto placed = orders_.Place(alice_, {{b1, 3}, {b2, 2}}, std::nullopt);
  ASSERT_FALSE(placed.ok());
  EXPECT_EQ(placed.error().code, Errc::kConflict);
  EXPECT_EQ(placed.error().message, "not enough stock for book " + std::to_string(b2));
  EXPECT_EQ(Stock(b1), 5);
  EXPECT_EQ(Stock(b2), 1);
  EXPECT_EQ(orders_.List(manager_, {})->total, 0);
}

// Defined rule: cancelling always succeeds; when restoring its stock would
// pass the 1,000,000 limit (the admin refilled meanwhile) the stock stops at
// the limit.
TEST_P(OrderServiceTest, CancelRestoresStockCappedAtTheLimit) {
  const auto b = NewBook("CAP", 10);
  const int64_t o = PlaceOk(alice_, {{b, 7}});
  BookFields refill;
  refill.quantity = 999'999;
  ASSERT_TRUE(books_.Update(b, refill).ok());
  auto cancelled = orders_.ChangeStatus(manager_, o, "canceled");
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().message;
  EXPECT_EQ(Stock(b), 1'000'000);
  const int64_t o2 = PlaceOk(alice_, {{b, 3}});
  ASSERT_TRUE(orders_.ChangeStatus(manager_, o2, "canceled").ok());
  EXPECT_EQ(Stock(b), 1'000'000);
}

TEST_P(OrderServiceTest, UnknownBookIsNotFound) {
  const auto b1 = NewBook("B1", 5);
  auto placed = orders_.Place(alice_, {{b1, 1}, {b1 + 100, 1}}, std::nullopt);
  ASSERT_FALSE(placed.ok());
  EXPECT_EQ(placed.error().code, Errc::kNotFound);
  EXPECT_EQ(Stock(b1), 5);
}

TEST_P(OrderServiceTest, InvalidLinesAreRejectedBeforeTouchingStock) {
  const auto b1 = NewBook("B1", 5);
  EXPECT_EQ(orders_.Place(alice_, {{b1, 1}, {b1, 1}}, std::nullopt).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(orders_.Place(alice_, {}, std::nullopt).error().code, Errc::kInvalidArgument);
  EXPECT_EQ(orders_.Place(alice_, {{b1, 1}}, std::string(129, 'k')).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(Stock(b1), 5);
}

// PlaceAsync reports once per call: from a writer thread once the order is
// durable (the caller is not held), on both engines; request errors before
// it returns.
TEST_P(OrderServiceTest, PlaceAsyncReportsEachOutcomeOnce) {
  const auto b1 = NewBook("B1", 1, 250);
  struct Report {
    std::promise<Result<PlacedOrder>> result;
    std::thread::id thread;
    int calls = 0;
  };
  auto place = [&](std::vector<OrderLine> lines, Report& report) {
    orders_.PlaceAsync(alice_, std::move(lines), std::nullopt,
                       [&report](Result<PlacedOrder> placed) {
                         report.thread = std::this_thread::get_id();
                         ++report.calls;
                         report.result.set_value(std::move(placed));
                       });
  };
  Report invalid, ok, conflict;
  place({}, invalid);
  EXPECT_EQ(invalid.calls, 1);  // before returning
  EXPECT_EQ(invalid.result.get_future().get().error().code, Errc::kInvalidArgument);

  place({{b1, 1}}, ok);
  auto placed = ok.result.get_future().get();
  ASSERT_TRUE(placed.ok());
  EXPECT_EQ(Stock(b1), 0);  // committed when reported
  EXPECT_TRUE(orders_.Get({alice_, false}, placed->order_id).ok());
  EXPECT_NE(ok.thread, std::this_thread::get_id());  // on a writer thread, on both engines

  place({{b1, 1}}, conflict);
  EXPECT_EQ(conflict.result.get_future().get().error().code, Errc::kConflict);
  EXPECT_EQ(ok.calls + conflict.calls, 2);
}

TEST_P(OrderServiceTest, VisibilityAndNewestFirst) {
  const auto b = NewBook("B", 10);
  const auto a1 = PlaceOk(alice_, {{b, 1}});
  clock_.Advance(1);
  const auto b1 = PlaceOk(bob_, {{b, 1}});
  clock_.Advance(1);
  const auto a2 = PlaceOk(alice_, {{b, 1}});
  auto mine = orders_.List({alice_, false}, {});
  ASSERT_EQ(mine->total, 2);
  EXPECT_EQ(mine->items[0].id, a2);
  EXPECT_EQ(mine->items[1].id, a1);
  EXPECT_EQ(mine->items[0].items.size(), 1u);
  auto all = orders_.List(manager_, {});
  ASSERT_EQ(all->total, 3);
  EXPECT_EQ(all->items[1].id, b1);
  OrderQuery by_bob;
  by_bob.user_id = bob_;
  EXPECT_EQ(orders_.List(manager_, by_bob)->total, 1);
  EXPECT_EQ(orders_.List({alice_, false}, by_bob)->total, 0);
  EXPECT_EQ(orders_.Get({bob_, false}, a1).error().code, Errc::kNotFound);
  EXPECT_TRUE(orders_.Get(manager_, a1).ok());
}

TEST_P(OrderServiceTest, StatusMachineAndStockRestore) {
  const auto b = NewBook("B", 10);
  const auto o = PlaceOk(alice_, {{b, 4}});
  EXPECT_EQ(orders_.ChangeStatus(manager_, o, "shipping").error().code, Errc::kConflict);
  EXPECT_EQ(orders_.ChangeStatus(manager_, o, "new").error().code, Errc::kConflict);
  EXPECT_EQ(orders_.ChangeStatus(manager_, o, "bogus").error().code, Errc::kInvalidArgument);
  clock_.Advance(5);
  auto moved = orders_.ChangeStatus(manager_, o, "processing");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->status, "processing");
  EXPECT_EQ(moved->updated_at, clock_.Now());
  EXPECT_EQ(Stock(b), 6);
  ASSERT_TRUE(orders_.ChangeStatus(manager_, o, "rejected").ok());
  EXPECT_EQ(Stock(b), 10);
  EXPECT_EQ(orders_.ChangeStatus(manager_, o, "processing").error().code, Errc::kConflict);
  EXPECT_EQ(Stock(b), 10);
}

TEST_P(OrderServiceTest, OwnersMayOnlyCancelNewOrders) {
  const auto b = NewBook("B", 10);
  const auto o = PlaceOk(alice_, {{b, 2}});
  EXPECT_EQ(orders_.ChangeStatus({bob_, false}, o, "canceled").error().code, Errc::kNotFound);
  EXPECT_EQ(orders_.ChangeStatus({alice_, false}, o, "processing").error().code, Errc::kForbidden);
  ASSERT_TRUE(orders_.ChangeStatus({alice_, false}, o, "canceled").ok());
  EXPECT_EQ(Stock(b), 10);
  EXPECT_EQ(orders_.ChangeStatus({alice_, false}, o, "canceled").error().code, Errc::kConflict);
  const auto o2 = PlaceOk(alice_, {{b, 2}});
  ASSERT_TRUE(orders_.ChangeStatus(manager_, o2, "processing").ok());
  EXPECT_EQ(orders_.ChangeStatus({alice_, false}, o2, "canceled").error().code, Errc::kConflict);
  EXPECT_EQ(Stock(b), 8);
}

TEST_P(OrderServiceTest, IdempotencyKeys) {
  const auto b = NewBook("B", 10);
  auto first = orders_.Place(alice_, {{b, 2}}, "key-1");
  ASSERT_TRUE(first.ok());
  auto again = orders_.Place(alice_, {{b, 2}}, "key-1");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->order_id, first->order_id);
  EXPECT_EQ(again->body, first->body);
  EXPECT_EQ(orders_.Place(alice_, {{b, 1}}, "key-1").error().code, Errc::kUnprocessable);
  auto bobs = orders_.Place(bob_, {{b, 2}}, "key-1");
  ASSERT_TRUE(bobs.ok());
  EXPECT_FALSE(bobs->replayed);
  EXPECT_EQ(Stock(b), 6);
  clock_.Advance(kIdempotencyRetentionSeconds + 1);
  auto later = orders_.Place(alice_, {{b, 2}}, "key-1");
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(later->replayed);
  EXPECT_EQ(Stock(b), 4);
}

TEST_P(OrderServiceTest, ParallelOrdersNeverOversell) {
  const auto b = NewBook("HOT", 20);
  std::atomic<int> ok{0}, conflict{0};
  Parallel(50, [&](int) {
    auto r = orders_.Place(alice_, {{b, 1}}, std::nullopt);
    if (r.ok())
      ++ok;
    else if (r.error().code == Errc::kConflict)
      ++conflict;
  });
  EXPECT_EQ(ok.load(), 20);
  EXPECT_EQ(conflict.load(), 30);
  EXPECT_EQ(Stock(b), 0);
}

TEST_P(OrderServiceTest, ParallelMultiLineOrdersInOppositeOrderDoNotDeadlock) {
  const auto x = NewBook("X", 100);
  const auto y = NewBook("Y", 100);
  std::atomic<int> ok{0};
  Parallel(20, [&](int i) {
    auto lines =
        i % 2 ? std::vector<OrderLine>{{x, 1}, {y, 1}} : std::vector<OrderLine>{{y, 1}, {x, 1}};
    if (orders_.Place(i % 2 ? alice_ : bob_, lines, std::nullopt).ok()) ++ok;
  });
  EXPECT_EQ(ok.load(), 20);
  EXPECT_EQ(Stock(x), 80);
  EXPECT_EQ(Stock(y), 80);
}

TEST_P(OrderServiceTest, ParallelRetriesWithOneKeyCreateOneOrder) {
  const auto b = NewBook("B", 100);
  std::atomic<int> created{0}, replayed{0}, in_progress{0};
  Parallel(20, [&](int) {
    auto r = orders_.Place(alice_, {{b, 1}}, "same");
    if (!r.ok()) {
      if (r.error().code == Errc::kConflict) ++in_progress;
      return;
    }
    ++(r->replayed ? replayed : created);
  });
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(created + replayed + in_progress, 20);
  EXPECT_EQ(Stock(b), 99);
}

TEST_P(OrderServiceTest, ConcurrentStatusChangesHaveOneWinner) {
  const auto b = NewBook("B", 100);
  for (int round = 0; round < 5; ++round) {
    const auto o = PlaceOk(alice_, {{b, 3}});
    const int64_t before = Stock(b);
    std::atomic<int> wins{0}, conflicts{0};
    std::atomic<bool> cancel_won{false};
    Parallel(2, [&](int i) {
      auto r = i == 0 ? orders_.ChangeStatus({alice_, false}, o, "canceled")
                      : orders_.ChangeStatus(manager_, o, "processing");
      if (r.ok()) {
        ++wins;
        if (i == 0) cancel_won = true;
      } else if (r.error().code == Errc::kConflict) {
        ++conflicts;
      }
    });
    EXPECT_EQ(wins.load(), 1);
    EXPECT_EQ(conflicts.load(), 1);
    EXPECT_EQ(Stock(b), cancel_won ? before + 3 : before);
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, OrderServiceTest,
                         ::testing::ValuesIn(bookstore::test::TestDialects()), DialectName);

}  // namespace
}  // namespace bookstore::book::test
