#pragma once
// Services of the book service on a fresh migrated database of each test
// dialect (SQLite file; PostgreSQL when BOOKSTORE_TEST_PG_URL is set).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <latch>
#include <memory>
#include <thread>

#include "book_service/services/book_service.h"
#include "book_service/services/order_service.h"
#include "book_service/services/user_service.h"
#include "common/clock.h"
#include "common/db/database.h"
#include "tests/support/test_env.h"

namespace bookstore::book::test {

class ServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  ServiceTest()
      : test_db_(GetParam()),
        db_(test_db_.OpenMigrated()),
        books_(db_, clock_),
        users_(db_, clock_, PasswordCost::Minimal()),
        orders_(db_, clock_) {}

  int64_t NewBook(const std::string& code, int64_t quantity, int64_t price_cents = 1000,
                  std::optional<std::string> publisher = std::nullopt,
                  const std::string& name = "") {
    BookFields f;
    f.code = code;
    f.name = name.empty() ? "Book " + code : name;
    f.publisher = publisher;
    f.quantity = quantity;
    f.sell_price_cents = price_cents;
    auto b = books_.Create(f);
    EXPECT_TRUE(b.ok()) << (b.ok() ? "" : b.error().message);
    return b.ok() ? b->id : 0;
  }

  int64_t NewUser(const std::string& name, const std::string& role = "customer") {
    auto u = users_.Create({name, "password-" + name, role});
    EXPECT_TRUE(u.ok()) << (u.ok() ? "" : u.error().message);
    return u.ok() ? u->id : 0;
  }

  int64_t Stock(int64_t id) { return books_.Get(id)->quantity; }

  // Runs fn(i) for i in [0, n) on n threads released together.
  template <class F>
  void Parallel(int n, F fn) {
    std::latch start(n);
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        fn(i);
      });
    }
    for (auto& t : threads) t.join();
  }

  FakeClock clock_;
  bookstore::test::TestDatabase test_db_;
  std::shared_ptr<db::Database> db_;
  BookService books_;
  UserService users_;
  OrderService orders_;
};

inline std::string DialectName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace bookstore::book::test
