#include "book_service/domain/money.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace bookstore::book {
namespace {

std::optional<int64_t> FromJson(const char* text) {
  return ParseMoneyJson(boost::json::parse(text));
}

TEST(MoneyTest, ParsesJsonNumbersExactly) {
  EXPECT_EQ(FromJson("10.55"), 1055);
  EXPECT_EQ(FromJson("11.95"), 1195);
  EXPECT_EQ(FromJson("0.1"), 10);
  EXPECT_EQ(FromJson("0.29"), 29);
  EXPECT_EQ(FromJson("1.15"), 115);
  EXPECT_EQ(FromJson("4.35"), 435);
  EXPECT_EQ(FromJson("10"), 1000);
  EXPECT_EQ(FromJson("10.5"), 1050);
  EXPECT_EQ(FromJson("10.50"), 1050);
  EXPECT_EQ(FromJson("0"), 0);
  EXPECT_EQ(FromJson("1e2"), 10000);
  EXPECT_EQ(FromJson("1000000"), 100000000);
  EXPECT_EQ(FromJson("999999.99"), 99999999);
}

TEST(MoneyTest, RejectsMoreThanTwoDecimalsNegativesAndTooLarge) {
  EXPECT_FALSE(FromJson("10.555"));
  EXPECT_FALSE(FromJson("0.001"));
  EXPECT_FALSE(FromJson("-1"));
  EXPECT_FALSE(FromJson("-0.01"));
  EXPECT_FALSE(FromJson("1000000.01"));
  EXPECT_FALSE(FromJson("1000001"));
  EXPECT_FALSE(FromJson("1e300"));
  EXPECT_FALSE(FromJson("18446744073709551615"));
}

TEST(MoneyTest, RejectsNonNumbers) {
  EXPECT_FALSE(FromJson(R"("10.5")"));
  EXPECT_FALSE(FromJson("true"));
  EXPECT_FALSE(FromJson("null"));
  EXPECT_FALSE(FromJson("[1]"));
}

TEST(MoneyTest, ParsesPlainDecimalText) {
  EXPECT_EQ(ParseMoneyText("12"), 1200);
  EXPECT_EQ(ParseMoneyText("12.5"), 1250);
  EXPECT_EQ(ParseMoneyText("12.05"), 1205);
  EXPECT_EQ(ParseMoneyText("0.01"), 1);
  EXPECT_EQ(ParseMoneyText("1000000"), 100000000);
  for (const char* bad : {"", "-1", "+1", "1.", ".5", "1.234", "1e3", "abc", "1,5", " 1",
                          "1000000.01", "99999999999999999999", "1.2.3"}) {
    EXPECT_FALSE(ParseMoneyText(bad)) << bad;
  }
}

TEST(MoneyTest, FormatsWithAtMostTwoDecimals) {
  EXPECT_EQ(FormatMoney(1195), "11.95");
  EXPECT_EQ(FormatMoney(1050), "10.5");
  EXPECT_EQ(FormatMoney(1000), "10");
  EXPECT_EQ(FormatMoney(1), "0.01");
  EXPECT_EQ(FormatMoney(10), "0.1");
  EXPECT_EQ(FormatMoney(0), "0");
  EXPECT_EQ(FormatMoney(100000000), "1000000");
  EXPECT_EQ(FormatMoney(-150), "-1.5");
}

TEST(MoneyTest, DerivedSellPriceRoundsHalfUp) {
  EXPECT_EQ(DeriveSellPrice(1055), 1161);  // 11.605 -> 11.61
  EXPECT_EQ(DeriveSellPrice(1000), 1100);
  EXPECT_EQ(DeriveSellPrice(5), 6);    // 0.055 -> 0.06
  EXPECT_EQ(DeriveSellPrice(15), 17);  // 0.165 -> 0.17
  EXPECT_EQ(DeriveSellPrice(1), 1);    // 0.011 -> 0.01
  EXPECT_EQ(DeriveSellPrice(0), 0);
  EXPECT_EQ(DeriveSellPrice(90909091), 100000000);  // 909090.91 -> 1000000.001
  EXPECT_EQ(DeriveSellPrice(90909100), 100000010);
}

TEST(MoneyTest, RoundTripsEveryCentValueUpToAThousand) {
  for (int64_t cents = 0; cents <= 100000; ++cents) {
    const std::string text = FormatMoney(cents);
    ASSERT_EQ(ParseMoneyText(text), cents) << text;
    ASSERT_EQ(ParseMoneyJson(boost::json::parse(text)), cents) << text;
  }
}

}  // namespace
}  // namespace bookstore::book
