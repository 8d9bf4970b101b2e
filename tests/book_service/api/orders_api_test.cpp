// §2.3 orders over HTTP: placement, stock, visibility, status machine.
#include "tests/book_service/api/orders_api_fixture.h"
#include "tests/support/metrics_text.h"

namespace bookstore::book::test {
namespace {

using ::testing::ElementsAre;

TEST_F(OrdersApiTest, PlaceOrderDecrementsStockAndPricesLines) {
  auto b1 = AddBook("O1", 5, "11.95");
  auto b2 = AddBook("O2", 3, "0.1");
  EXPECT_EQ(Stock(b1), 5);  // read (and memoised) before the order: must not be seen again
  auto r = Place(Items({{b1, 2}, {b2, 3}}), AliceAuth());
  ASSERT_EQ(r.status, 201) << r.body;
  auto o = Json(r.body);
  const auto id = o.at("id").as_int64();
  EXPECT_EQ(r.Header("Location"), "/orders/" + std::to_string(id));
  EXPECT_EQ(o.at("user_id").as_int64(), alice_id_);
  EXPECT_EQ(o.at("status").as_string(), "new");
  EXPECT_NE(r.body.find(R"("total":24.2)"), std::string::npos) << r.body;
  const auto& items = o.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("book_id").as_int64(), b1);
  EXPECT_EQ(items[0].at("order_id").as_int64(), id);
  EXPECT_EQ(items[0].at("quantity").as_int64(), 2);
  EXPECT_NE(r.body.find(R"("price_each":11.95)"), std::string::npos);
  EXPECT_EQ(Stock(b1), 3);
  EXPECT_EQ(Stock(b2), 0);
  auto again = client_->Get("/orders/" + std::to_string(id), AliceAuth());
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, r.body);
}

TEST_F(OrdersApiTest, LinesCarryTheBookAndListsFilterByCreationTime) {
  auto b = AddBook("HIST-1", 5, "4.50");
  auto r = Place(Items({{b, 1}}), AliceAuth());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r.body).at("items").at(0).at("book_code"), "HIST-1");
  EXPECT_FALSE(Json(r.body).at("items").at(0).at("book_name").as_string().empty());
  auto all =
      client_->Get("/orders?created_from=2000-01-01&created_to=2999-01-01T00:00:00Z", AliceAuth());
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(Json(all.body).at("total").as_int64(), 1);
  auto none = client_->Get("/orders?created_to=2000-01-01", AliceAuth());
  ASSERT_EQ(none.status, 200);
  EXPECT_EQ(Json(none.body).at("total").as_int64(), 0);
  auto bad = client_->Get("/orders?created_from=last%20week", AliceAuth());
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("created_from"), std::string::npos) << bad.body;
}

// A ~1 MiB order body was parsed on the event loop (30-43 ms each); the
// route refuses anything past 64 KiB before reading it.
TEST_F(OrdersApiTest, OversizedOrderBodyIs413) {
  std::string items;
  for (int i = 0; i < 4000; ++i) items += R"({"book_id":1,"quantity":1},)";
  items.pop_back();
  auto r = client_->PostJson("/orders", R"({"items":[)" + items + "]}", AliceAuth());
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 200);
}

TEST_F(OrdersApiTest, PriceEachIsTheSellPriceAtThatMoment) {
  auto b = AddBook("PR", 5, "10");
  auto first = PlaceOk({{b, 1}}, AliceAuth());
  ASSERT_EQ(
      client_->PutJson("/books/" + std::to_string(b), R"({"sell_price":12.5})", AdminAuth()).status,
      200);
  auto second = PlaceOk({{b, 1}}, AliceAuth());
  EXPECT_EQ(Json(client_->Get("/orders/" + std::to_string(first), AliceAuth()).body)
                .at("items")
                .at(0)
                .at("price_each")
                .as_int64(),
            10);
  EXPECT_EQ(Json(client_->Get("/orders/" + std::to_string(second), AliceAuth()).body)
                .at("items")
                .at(0)
                .at("price_each")
                .as_double(),
            12.5);
}

TEST_F(OrdersApiTest, UnknownBookIs404AndNothingChanges) {
  auto b = AddBook("NF", 5);
  auto r = Place(Items({{b, 1}, {999999, 1}}), AliceAuth());
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Stock(b), 5);
}

// /metrics counts orders placed and refused by the stock check.
TEST_F(OrdersApiTest, MetricsCountPlacedAndRejectedOrders) {
  const auto value = [&](const std::string& series) {
    return bookstore::test::MetricValue(client_->Get("/metrics").body, series);
  };
  const std::string placed = "bookstore_orders_placed_total";
  const std::string stock = "bookstore_orders_rejected_total{reason=\"stock\"}";
  const std::string unknown = "bookstore_orders_rejected_total{reason=\"unknown_book\"}";
  const double placed0 = value(placed), stock0 = value(stock), unknown0 = value(unknown);
  ASSERT_GE(placed0, 0);
  ASSERT_GE(stock0, 0);
  auto b = AddBook("MET-1", 1);
  EXPECT_EQ(Place(Items({{b, 1}}), AliceAuth()).status, 201);
  EXPECT_EQ(Place(Items({{b, 1}}), AliceAuth()).status, 409);
  EXPECT_EQ(Place(Items({{b + 1000, 1}}), AliceAuth()).status, 404);
  EXPECT_EQ(value(placed), placed0 + 1);
  EXPECT_EQ(value(stock), stock0 + 1);
  EXPECT_EQ(value(unknown), unknown0 + 1);
}

TEST_F(OrdersApiTest, NotEnoughStockIs409NamingTheBookAndIsAllOrNothing) {
  auto b1 = AddBook("S1", 5);
  auto b2 = AddBook("S2", 1);
  auto r = Place(Items({{b1, 2}, {b2, 2}}), AliceAuth());
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(Json(r.body).at("detail").as_string().find("book " + std::to_string(b2)),
            std::string::npos)
      << r.body;
  EXPECT_EQ(Stock(b1), 5);
  EXPECT_EQ(Stock(b2), 1);
  EXPECT_EQ(Json(client_->Get("/orders", AliceAuth()).body).at("total").as_int64(), 0);
}

TEST_F(OrdersApiTest, OrderValidation) {
  auto b = AddBook("V", 5);
  const std::string id = std::to_string(b);
  EXPECT_EQ(Place(R"({"items":[]})", AliceAuth()).status, 400);
  EXPECT_EQ(Place(R"({})", AliceAuth()).status, 400);
  EXPECT_EQ(Place(Items({{b, 0}}), AliceAuth()).status, 400);
  EXPECT_EQ(Place(Items({{b, 1001}}), AliceAuth()).status, 400);
  auto r = Place(Items({{b, 1}, {b, 2}}), AliceAuth());
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(ErrorFields(r.body), ElementsAre("items[1].book_id"));
  r = Place(R"({"items":[{"book_id":)" + id + R"(,"quantity":"1"},{"book_id":1.5,"quantity":1}]})",
            AliceAuth());
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(ErrorFields(r.body), ElementsAre("items[0].quantity", "items[1].book_id"));
  std::vector<std::pair<int64_t, int>> many;
  for (int i = 1; i <= 101; ++i) many.emplace_back(i, 1);
  EXPECT_EQ(Place(Items(many), AliceAuth()).status, 400);
  EXPECT_EQ(Stock(b), 5);
}

TEST_F(OrdersApiTest, PlacingNeedsTheOrdersScope) {
  auto b = AddBook("SC", 5);
  EXPECT_EQ(Place(Items({{b, 1}}), {}).status, 401);
  auto r = Place(Items({{b, 1}}), CustomerAuth(alice_id_, "profile"));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.Header("WWW-Authenticate").find("insufficient_scope"), std::string::npos);
}

TEST_F(OrdersApiTest, CustomersSeeTheirOwnAdminsSeeAll) {
  auto b = AddBook("VIS", 10);
  auto a1 = PlaceOk({{b, 1}}, AliceAuth());
  auto a2 = PlaceOk({{b, 1}}, AliceAuth());
  auto b1 = PlaceOk({{b, 1}}, BobAuth());
  auto list = Json(client_->Get("/orders", AliceAuth()).body);
  EXPECT_EQ(list.at("total").as_int64(), 2);
  EXPECT_EQ(list.at("items").at(0).at("id").as_int64(), a2);  // newest first
  EXPECT_EQ(list.at("items").at(1).at("id").as_int64(), a1);
  // A customer's user_id filter cannot widen the view.
  EXPECT_EQ(Json(client_->Get("/orders?user_id=" + std::to_string(bob_id_), AliceAuth()).body)
                .at("total")
                .as_int64(),
            0);
  auto all = Json(client_->Get("/orders", AdminAuth()).body);
  EXPECT_EQ(all.at("total").as_int64(), 3);
  EXPECT_EQ(all.at("items").at(0).at("id").as_int64(), b1);
  auto bobs = Json(client_->Get("/orders?user_id=" + std::to_string(bob_id_), AdminAuth()).body);
  EXPECT_EQ(bobs.at("total").as_int64(), 1);
  ASSERT_EQ(SetStatus(a1, "processing", AdminAuth()).status, 200);
  auto processing = Json(client_->Get("/orders?status=processing", AdminAuth()).body);
  ASSERT_EQ(processing.at("total").as_int64(), 1);
  EXPECT_EQ(processing.at("items").at(0).at("id").as_int64(), a1);
  auto paged = Json(client_->Get("/orders?page=2&page_size=2", AdminAuth()).body);
  EXPECT_EQ(paged.at("items").as_array().size(), 1u);
  EXPECT_EQ(client_->Get("/orders?status=lost", AdminAuth()).status, 400);
  EXPECT_EQ(client_->Get("/orders?user_id=x", AdminAuth()).status, 400);
  EXPECT_EQ(client_->Get("/orders?page=0", AliceAuth()).status, 400);
}

TEST_F(OrdersApiTest, OthersOrdersAre404ForCustomers) {
  auto b = AddBook("OTH", 10);
  auto order = PlaceOk({{b, 1}}, AliceAuth());
  const std::string path = "/orders/" + std::to_string(order);
  EXPECT_EQ(client_->Get(path, BobAuth()).status, 404);
  EXPECT_EQ(client_->Get(path, AdminAuth()).status, 200);
  EXPECT_EQ(client_->Get("/orders/999999", AliceAuth()).status, 404);
  EXPECT_EQ(client_->Get("/orders/abc", AliceAuth()).status, 404);
}

TEST_F(OrdersApiTest, AdminWalksTheStateMachine) {
  auto b = AddBook("SM", 10);
  auto order = PlaceOk({{b, 2}}, AliceAuth());
  EXPECT_EQ(SetStatus(order, "delivered", AdminAuth()).status, 409);
  auto r = SetStatus(order, "processing", AdminAuth());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json(r.body).at("status").as_string(), "processing");
  EXPECT_EQ(SetStatus(order, "processing", AdminAuth()).status, 409);
  EXPECT_EQ(SetStatus(order, "canceled", AdminAuth()).status, 409);
  EXPECT_EQ(SetStatus(order, "shipping", AdminAuth()).status, 200);
  EXPECT_EQ(SetStatus(order, "rejected", AdminAuth()).status, 409);
  EXPECT_EQ(SetStatus(order, "delivered", AdminAuth()).status, 200);
  EXPECT_EQ(SetStatus(order, "new", AdminAuth()).status, 409);
  EXPECT_EQ(Stock(b), 8);
  EXPECT_EQ(SetStatus(order, "lost", AdminAuth()).status, 400);
  EXPECT_EQ(SetStatus(999999, "processing", AdminAuth()).status, 404);
  EXPECT_EQ(
      client_
          ->PutJson("/orders/" + std::to_string(order) + "/status", R"({"status":1})", AdminAuth())
          .status,
      400);
}

TEST_F(OrdersApiTest, RejectAndCancelPutStockBack) {
  auto b = AddBook("RS", 10);
  auto o1 = PlaceOk({{b, 3}}, AliceAuth());
  auto o2 = PlaceOk({{b, 4}}, AliceAuth());
  EXPECT_EQ(Stock(b), 3);
  ASSERT_EQ(SetStatus(o1, "processing", AdminAuth()).status, 200);
  ASSERT_EQ(SetStatus(o1, "rejected", AdminAuth()).status, 200);
  EXPECT_EQ(Stock(b), 6);
  auto r = SetStatus(o2, "canceled", AliceAuth());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json(r.body).at("status").as_string(), "canceled");
  EXPECT_EQ(Stock(b), 10);
  EXPECT_EQ(SetStatus(o2, "canceled", AliceAuth()).status, 409);
  EXPECT_EQ(Stock(b), 10);
}

TEST_F(OrdersApiTest, CustomerRulesForStatusChanges) {
  auto b = AddBook("CR", 10);
  auto order = PlaceOk({{b, 1}}, AliceAuth());
  EXPECT_EQ(SetStatus(order, "processing", AliceAuth()).status, 403);
  EXPECT_EQ(SetStatus(order, "canceled", BobAuth()).status, 404);
  EXPECT_EQ(SetStatus(order, "processing", BobAuth()).status, 404);
  EXPECT_EQ(SetStatus(order, "lost", AliceAuth()).status, 400);
  ASSERT_EQ(SetStatus(order, "processing", AdminAuth()).status, 200);
  EXPECT_EQ(SetStatus(order, "canceled", AliceAuth()).status, 409);
  // An admin token without orders:manage cannot move orders.
  auto other = PlaceOk({{b, 1}}, AliceAuth());
  auto r = SetStatus(other, "processing", AdminAuth("books:write users:manage orders"));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.Header("WWW-Authenticate").find("insufficient_scope"), std::string::npos);
  EXPECT_EQ(SetStatus(other, "canceled", CustomerAuth(alice_id_, "profile")).status, 403);
  EXPECT_EQ(SetStatus(other, "canceled", {}).status, 401);
}

}  // namespace
}  // namespace bookstore::book::test
