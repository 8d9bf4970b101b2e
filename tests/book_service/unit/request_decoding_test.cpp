#include "book_service/domain/request_decoding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace bookstore::book {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Fields(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields) out.push_back(f.field);
  return out;
}

Result<BookFields> Book(const char* json, bool creating = true) {
  return DecodeBookFields(boost::json::parse(json), creating);
}

TEST(DecodeBookTest, AcceptsAFullBook) {
  auto f = Book(
      R"({"code":"C1","name":"N","publisher":"P","quantity":3,"imported_price":10.55,"sell_price":12})");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f->code, "C1");
  EXPECT_EQ(**f->publisher, "P");
  EXPECT_EQ(*f->quantity, 3);
  EXPECT_EQ(*f->imported_price_cents, 1055);
  EXPECT_EQ(*f->sell_price_cents, 1200);
}

TEST(DecodeBookTest, NullPublisherMeansClear) {
  auto f = Book(R"({"publisher":null})", false);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->publisher.has_value());
  EXPECT_FALSE(f->publisher->has_value());
  auto absent = Book(R"({})", false);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->publisher.has_value());
}

TEST(DecodeBookTest, IntegersMustBeJsonIntegers) {
  for (const char* q : {R"("5")", "5.5", "5.0", "true", "null", "[]", "18446744073709551615"}) {
    auto f = Book(
        (std::string(R"({"code":"C","name":"N","sell_price":1,"quantity":)") + q + "}").c_str());
    ASSERT_FALSE(f.ok()) << q;
    EXPECT_THAT(Fields(f.error()), ElementsAre("quantity")) << q;
  }
}

TEST(DecodeBookTest, NamesEveryBadField) {
  auto f = Book(
      R"({"code":7,"name":"","publisher":5,"quantity":-1,"sell_price":"1","imported_price":1.001})");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, Errc::kInvalidArgument);
  EXPECT_THAT(Fields(f.error()), UnorderedElementsAre("code", "name", "publisher", "quantity",
                                                      "sell_price", "imported_price"));
}

TEST(DecodeBookTest, BodyMustBeAnObject) {
  EXPECT_FALSE(Book("[]").ok());
  EXPECT_FALSE(Book("42").ok());
}

TEST(DecodeOrderTest, LinesAndErrors) {
  auto ok = DecodeOrderLines(boost::json::parse(R"({"items":[{"book_id":2,"quantity":3}]})"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)[0].book_id, 2);
  EXPECT_EQ((*ok)[0].quantity, 3);
  auto bad = DecodeOrderLines(boost::json::parse(
      R"({"items":[{"book_id":"2","quantity":1},{"book_id":3,"quantity":1.5},5,{"book_id":3,"quantity":1}]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(Fields(bad.error()),
              ElementsAre("items[0].book_id", "items[1].quantity", "items[2]", "items[3].book_id"));
  EXPECT_FALSE(DecodeOrderLines(boost::json::parse(R"({"items":{}})")).ok());
  EXPECT_FALSE(DecodeOrderLines(boost::json::parse(R"({"items":[]})")).ok());
  EXPECT_FALSE(DecodeOrderLines(boost::json::parse(R"([])")).ok());
}

TEST(DecodeStatusTest, OnlyKnownStatuses) {
  EXPECT_EQ(*DecodeStatus(boost::json::parse(R"({"status":"canceled"})")), "canceled");
  EXPECT_FALSE(DecodeStatus(boost::json::parse(R"({"status":"lost"})")).ok());
  EXPECT_FALSE(DecodeStatus(boost::json::parse(R"({"status":1})")).ok());
  EXPECT_FALSE(DecodeStatus(boost::json::parse(R"({})")).ok());
}

TEST(DecodeUserTest, TypesAreChecked) {
  auto u = DecodeUserFields(boost::json::parse(R"({"username":"a","password":"b","role":"c"})"));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(*u->role, "c");
  auto bad = DecodeUserFields(boost::json::parse(R"({"username":1,"password":null})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(Fields(bad.error()), ElementsAre("username", "password"));
}

TEST(SortTest, WhitelistMapsToColumns) {
  EXPECT_EQ(SortColumn("id"), (std::pair<std::string, bool>{"id", false}));
  EXPECT_EQ(SortColumn("-sell_price"), (std::pair<std::string, bool>{"sell_price_cents", true}));
  EXPECT_EQ(SortColumn("name")->first, "name");
  EXPECT_EQ(SortColumn("code")->first, "code");
  EXPECT_EQ(SortColumn("-quantity")->first, "quantity");
  for (const char* bad : {"", "-", "price", "name desc", "--id", "id;DROP TABLE books", "NAME"}) {
    EXPECT_FALSE(SortColumn(bad)) << bad;
  }
}

TEST(BookQueryTest, ParsesEveryParameter) {
  auto q = ParseBookQuery({{"q", "dune"},
                           {"publisher", "Ace"},
                           {"min_price", "1.5"},
                           {"max_price", "20"},
                           {"in_stock", "true"},
                           {"sort", "-name"},
                           {"page", "2"},
                           {"page_size", "5"},
                           {"unknown", "x"}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q->q, "dune");
  EXPECT_EQ(*q->publisher, "Ace");
  EXPECT_EQ(*q->min_price_cents, 150);
  EXPECT_EQ(*q->max_price_cents, 2000);
  EXPECT_TRUE(*q->in_stock);
  EXPECT_EQ(q->sort_sql, "name");
  EXPECT_TRUE(q->descending);
  EXPECT_EQ(q->page.page, 2);
  EXPECT_EQ(q->page.page_size, 5);
  auto d = ParseBookQuery({});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->sort_sql, "id");
  EXPECT_FALSE(d->in_stock.has_value());
  EXPECT_EQ(*ParseBookQuery({{"in_stock", "false"}})->in_stock, false);
}

TEST(BookQueryTest, BadValuesNameTheParameter) {
  auto q = ParseBookQuery({{"min_price", "1.001"},
                           {"max_price", "x"},
                           {"in_stock", "1"},
                           {"sort", "rating"},
                           {"page", "0"},
                           {"page_size", "101"}});
  ASSERT_FALSE(q.ok());
  EXPECT_THAT(Fields(q.error()), UnorderedElementsAre("min_price", "max_price", "in_stock", "sort",
                                                      "page", "page_size"));
  auto inverted = ParseBookQuery({{"min_price", "5"}, {"max_price", "4"}});
  ASSERT_FALSE(inverted.ok());
  EXPECT_THAT(Fields(inverted.error()), ElementsAre("min_price"));
}

TEST(UserAndOrderQueryTest, Filters) {
  EXPECT_TRUE(ParseUserQuery({{"role", "admin"}, {"q", "al"}}).ok());
  EXPECT_FALSE(ParseUserQuery({{"role", "root"}}).ok());
  auto o = ParseOrderQuery({{"status", "new"}, {"user_id", "7"}});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(*o->user_id, 7);
  EXPECT_FALSE(ParseOrderQuery({{"status", "old"}}).ok());
  EXPECT_FALSE(ParseOrderQuery({{"user_id", "0"}}).ok());
}

TEST(OrderQueryTest, CreationTimeRangeInRfc3339) {
  auto q = ParseOrderQuery(
      {{"created_from", "2026-12-01"}, {"created_to", "2026-12-01T10:00:00+01:00"}});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q->created_from, 1'796'083'200);
  EXPECT_EQ(*q->created_to, 1'796'083'200 + 9 * 3600);
  auto bad = ParseOrderQuery({{"created_from", "yesterday"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields.at(0).field, "created_from");
  auto reversed = ParseOrderQuery({{"created_from", "2026-12-02"}, {"created_to", "2026-12-01"}});
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.error().fields.at(0).field, "created_to");
  EXPECT_FALSE(
      ParseOrderQuery({{"created_from", "2026-12-01"}, {"created_to", "2026-12-01"}}).ok());
}

}  // namespace
}  // namespace bookstore::book
