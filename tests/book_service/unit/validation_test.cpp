#include "book_service/domain/validation.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "book_service/domain/order_status.h"

namespace bookstore::book {
namespace {

TEST(ValidationTest, BookCode) {
  EXPECT_FALSE(CheckBookCode("A"));
  EXPECT_FALSE(CheckBookCode("abc-DEF_123"));
  EXPECT_FALSE(CheckBookCode(std::string(32, 'x')));
  EXPECT_TRUE(CheckBookCode(""));
  EXPECT_TRUE(CheckBookCode(std::string(33, 'x')));
  EXPECT_TRUE(CheckBookCode("a b"));
  EXPECT_TRUE(CheckBookCode("a.b"));
  EXPECT_TRUE(CheckBookCode("caf\xc3\xa9"));
}

TEST(ValidationTest, BookNameCountsCodePoints) {
  std::string name;
  for (int i = 0; i < 200; ++i) name += "\xc3\xa9";
  EXPECT_FALSE(CheckBookName(name));
  EXPECT_TRUE(CheckBookName(name + "x"));
  EXPECT_TRUE(CheckBookName(""));
  EXPECT_TRUE(CheckBookName("\xff"));
}

TEST(ValidationTest, NameAndPublisherRefuseControlCharacters) {  // contract §6
  EXPECT_TRUE(CheckBookName(std::string("ab\0c", 4)));
  EXPECT_TRUE(CheckBookName("tab\tname"));
  EXPECT_TRUE(CheckBookName("del\x7f"));
  EXPECT_FALSE(CheckBookName("\xc3\x96konomie, 2. Auflage"));
  EXPECT_TRUE(CheckPublisher(std::string("\0", 1)));
  EXPECT_TRUE(CheckPublisher("line\nbreak"));
  EXPECT_FALSE(CheckPublisher("O'Reilly & Associates"));
}

TEST(ValidationTest, StockAndPrice) {
  EXPECT_FALSE(CheckStock(0));
  EXPECT_FALSE(CheckStock(1'000'000));
  EXPECT_TRUE(CheckStock(-1));
  EXPECT_TRUE(CheckStock(1'000'001));
  EXPECT_FALSE(CheckPriceCents(100'000'000));
  EXPECT_TRUE(CheckPriceCents(100'000'001));
  EXPECT_TRUE(CheckPriceCents(-1));
}

TEST(ValidationTest, Username) {
  EXPECT_FALSE(CheckUsername("abc"));
  EXPECT_FALSE(CheckUsername("a.b-c_D9"));
  EXPECT_FALSE(CheckUsername(std::string(32, 'u')));
  EXPECT_TRUE(CheckUsername("ab"));
  EXPECT_TRUE(CheckUsername(std::string(33, 'u')));
  EXPECT_TRUE(CheckUsername("a b c"));
  EXPECT_TRUE(CheckUsername("al@ce"));
}

TEST(ValidationTest, PasswordCountsCodePoints) {
  EXPECT_FALSE(CheckPassword("12345678"));
  EXPECT_TRUE(CheckPassword("1234567"));
  std::string eight, max, over;
  for (int i = 0; i < 8; ++i) eight += "\xe2\x82\xac";  // euro sign, 3 bytes
  for (int i = 0; i < 128; ++i) max += "\xc3\xa9";
  EXPECT_FALSE(CheckPassword(eight));
  EXPECT_FALSE(CheckPassword(max));
  EXPECT_TRUE(CheckPassword(max + "x"));
  EXPECT_TRUE(CheckPassword("\xff\xff\xff\xff\xff\xff\xff\xff"));
}

TEST(ValidationTest, Role) {
  EXPECT_FALSE(CheckRole("admin"));
  EXPECT_FALSE(CheckRole("customer"));
  EXPECT_TRUE(CheckRole("Admin"));
  EXPECT_TRUE(CheckRole(""));
}

TEST(ValidationTest, IdempotencyKey) {
  EXPECT_FALSE(CheckIdempotencyKey("a"));
  EXPECT_FALSE(CheckIdempotencyKey(std::string(128, 'k')));
  EXPECT_FALSE(CheckIdempotencyKey("with space ~!"));
  EXPECT_TRUE(CheckIdempotencyKey(""));
  EXPECT_TRUE(CheckIdempotencyKey(std::string(129, 'k')));
  EXPECT_TRUE(CheckIdempotencyKey("tab\there"));
  EXPECT_TRUE(CheckIdempotencyKey("caf\xc3\xa9"));
  EXPECT_TRUE(CheckIdempotencyKey(std::string("nul\0", 4)));
}

TEST(ValidationTest, BookFieldsOnCreate) {
  BookFields f;
  auto errors = ValidateBookFields(f, true);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].field, "code");
  EXPECT_EQ(errors[1].field, "name");
  EXPECT_EQ(errors[2].field, "sell_price");
  EXPECT_TRUE(ValidateBookFields(f, false).empty());
  f.code = "c";
  f.name = "n";
  f.imported_price_cents = 90909091;
  EXPECT_TRUE(ValidateBookFields(f, true).empty());
  f.imported_price_cents = 90909100;
  errors = ValidateBookFields(f, true);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "imported_price");
  f.sell_price_cents = 100;  // given explicitly: no derivation
  EXPECT_TRUE(ValidateBookFields(f, true).empty());
  EXPECT_TRUE(ValidateBookFields(f, false).empty());
}

TEST(ValidationTest, OrderLines) {
  EXPECT_EQ(ValidateOrderLines({}).size(), 1u);
  EXPECT_TRUE(ValidateOrderLines({{1, 1}, {2, 1000}}).empty());
  auto errors = ValidateOrderLines({{1, 0}, {1, 1001}, {-3, 1}});
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].field, "items[0].quantity");
  EXPECT_EQ(errors[1].field, "items[1].book_id");
  EXPECT_EQ(errors[2].field, "items[1].quantity");
  EXPECT_EQ(errors[3].field, "items[2].book_id");
  std::vector<OrderLine> many(101, OrderLine{1, 1});
  for (size_t i = 0; i < many.size(); ++i) many[i].book_id = static_cast<int64_t>(i + 1);
  EXPECT_EQ(ValidateOrderLines(many).size(), 1u);
  many.pop_back();
  EXPECT_TRUE(ValidateOrderLines(many).empty());
}

TEST(ValidationTest, PageRequest) {
  std::vector<FieldError> errors;
  auto p = ParsePageRequest(std::nullopt, std::nullopt, errors);
  EXPECT_EQ(p.page, 1);
  EXPECT_EQ(p.page_size, 20);
  p = ParsePageRequest("3", "100", errors);
  EXPECT_EQ(p.page, 3);
  EXPECT_EQ(p.offset(), 200);
  EXPECT_TRUE(errors.empty());
  ParsePageRequest("0", "101", errors);
  ASSERT_EQ(errors.size(), 2u);
  errors.clear();
  ParsePageRequest("-1", "0", errors);
  EXPECT_EQ(errors.size(), 2u);
  errors.clear();
  ParsePageRequest("1.0", "", errors);
  EXPECT_EQ(errors.size(), 2u);
}

TEST(ValidationTest, PositiveIds) {
  EXPECT_EQ(ParsePositiveId("1"), 1);
  EXPECT_EQ(ParsePositiveId("007"), 7);
  EXPECT_EQ(ParsePositiveId("123456789012345678"), 123456789012345678);
  for (const char* bad : {"", "0", "-1", "+1", "1.5", "abc", " 1", "1234567890123456789"}) {
    EXPECT_FALSE(ParsePositiveId(bad)) << bad;
  }
}

TEST(OrderStatusTest, TransitionTable) {
  const std::vector<std::pair<std::string, std::string>> allowed = {
      {"new", "processing"},      {"new", "canceled"},        {"new", "rejected"},
      {"processing", "shipping"}, {"processing", "rejected"}, {"shipping", "delivered"}};
  const std::vector<std::string> all = {"new",       "processing", "shipping",
                                        "delivered", "canceled",   "rejected"};
  for (const auto& from : all) {
    EXPECT_TRUE(IsKnownStatus(from));
    for (const auto& to : all) {
      const bool expected =
          std::find(allowed.begin(), allowed.end(), std::pair{from, to}) != allowed.end();
      EXPECT_EQ(IsAllowedTransition(from, to), expected) << from << "->" << to;
    }
  }
  EXPECT_FALSE(IsKnownStatus("lost"));
  EXPECT_FALSE(IsKnownStatus("NEW"));
  EXPECT_TRUE(RestoresStock("canceled"));
  EXPECT_TRUE(RestoresStock("rejected"));
  EXPECT_FALSE(RestoresStock("delivered"));
  EXPECT_EQ(NextStatuses("new").size(), 3u);
  EXPECT_TRUE(NextStatuses("delivered").empty());
}

}  // namespace
}  // namespace bookstore::book
