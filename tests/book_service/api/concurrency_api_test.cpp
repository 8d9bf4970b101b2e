// Concurrency over real sockets, on SQLite and (when configured)
// PostgreSQL: stock never oversold, one order per Idempotency-Key, and
// concurrent status changes of one order cannot both win.
#include <latch>
#include <thread>

#include "tests/book_service/api/book_api_fixture.h"

namespace bookstore::book::test {
namespace {

class ConcurrencyApiTest : public BookApiTest, public ::testing::WithParamInterface<std::string> {
 protected:
  ConcurrencyApiTest() : BookApiTest(AppOptions{GetParam()}) {}

  // Runs `n` calls of `fn(i)` on their own threads, released together.
  template <class F>
  std::vector<HttpResponse> Parallel(int n, F fn) {
    std::vector<HttpResponse> results(n);
    std::latch start(n);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        HttpClient client(server_->port());
        start.arrive_and_wait();
        results[i] = fn(client, i);
      });
    }
    for (auto& t : threads) t.join();
    return results;
  }

  static int Count(const std::vector<HttpResponse>& rs, int status) {
    return static_cast<int>(std::count_if(
        rs.begin(), rs.end(), [&](const HttpResponse& r) { return r.status == status; }));
  }
};

TEST_P(ConcurrencyApiTest, FiftyOrdersAgainstStockTwentySellExactlyTwenty) {
  const auto book = AddBook("HOT", 20);
  const std::string body =
      R"({"items":[{"book_id":)" + std::to_string(book) + R"(,"quantity":1}]})";
  const auto auth = AliceAuth();
  auto results =
      Parallel(50, [&](HttpClient& c, int) { return c.PostJson("/orders", body, auth); });
  EXPECT_EQ(Count(results, 201), 20);
  EXPECT_EQ(Count(results, 409), 30);
  EXPECT_EQ(Stock(book), 0);
  EXPECT_EQ(Json(client_->Get("/orders", AdminAuth()).body).at("total").as_int64(), 20);
}

TEST_P(ConcurrencyApiTest, TwentyRequestsWithOneIdempotencyKeyMakeOneOrder) {
  const auto book = AddBook("IDEM", 100);
  const std::string body =
      R"({"items":[{"book_id":)" + std::to_string(book) + R"(,"quantity":2}]})";
  const HeaderList headers = {AliceAuth()[0], {"Idempotency-Key", "same-key"}};
  auto results =
      Parallel(20, [&](HttpClient& c, int) { return c.PostJson("/orders", body, headers); });
  std::string created_body;
  for (const auto& r : results) {
    ASSERT_TRUE(r.status == 201 || r.status == 409) << r.status << " " << r.body;
    if (r.status != 201) continue;
    if (created_body.empty()) created_body = r.body;
    EXPECT_EQ(r.body, created_body);
  }
  EXPECT_FALSE(created_body.empty());
  EXPECT_EQ(Stock(book), 98);
  EXPECT_EQ(Json(client_->Get("/orders", AliceAuth()).body).at("total").as_int64(), 1);
}

TEST_P(ConcurrencyApiTest, CancelRacingAnAdminChangeHasOneWinner) {
  const auto book = AddBook("RACE", 100);
  const auto alice = AliceAuth();
  const auto admin = AdminAuth();
  for (int round = 0; round < 8; ++round) {
    auto r = client_->PostJson(
        "/orders", R"({"items":[{"book_id":)" + std::to_string(book) + R"(,"quantity":5}]})",
        alice);
    ASSERT_EQ(r.status, 201);
    const std::string path =
        "/orders/" + std::to_string(Json(r.body).at("id").as_int64()) + "/status";
    const int64_t stock_before = Stock(book);
    auto results = Parallel(2, [&](HttpClient& c, int i) {
      return i == 0 ? c.PutJson(path, R"({"status":"canceled"})", alice)
                    : c.PutJson(path, R"({"status":"processing"})", admin);
    });
    ASSERT_EQ(Count(results, 200), 1) << results[0].status << " " << results[1].status;
    ASSERT_EQ(Count(results, 409), 1);
    const bool canceled = results[0].status == 200;
    EXPECT_EQ(Stock(book), canceled ? stock_before + 5 : stock_before);
    auto order = Json(client_->Get(path.substr(0, path.size() - 7), admin).body);
    EXPECT_EQ(order.at("status").as_string(), canceled ? "canceled" : "processing");
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, ConcurrencyApiTest,
                         ::testing::ValuesIn(bookstore::test::TestDialects()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace bookstore::book::test
