#include "book_service/domain/representation.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>

#include "book_service/domain/json_writer.h"
#include "book_service/services/demo_seed.h"
#include "book_service/services/order_service.h"

namespace bookstore::book {
namespace {

TEST(RepresentationTest, BookWithAndWithoutImportedPrice) {
  Book b{7, "C-1", "Name \"quoted\"", std::nullopt, 3, 1055, 1161, 0, 0};
  EXPECT_EQ(
      BookJson(b, false),
      R"({"id":7,"code":"C-1","name":"Name \"quoted\"","publisher":null,"quantity":3,"sell_price":11.61})");
  EXPECT_EQ(
      BookJson(b, true),
      R"({"id":7,"code":"C-1","name":"Name \"quoted\"","publisher":null,"quantity":3,"sell_price":11.61,"imported_price":10.55})");
  b.imported_price_cents.reset();
  b.publisher = "P";
  EXPECT_NE(BookJson(b, true).find(R"("publisher":"P")"), std::string::npos);
  EXPECT_NE(BookJson(b, true).find(R"("imported_price":null)"), std::string::npos);
}

TEST(RepresentationTest, UserNeverHasSecrets) {
  User u{3, "alice", "customer", 1700000000, 1700000001};
  EXPECT_EQ(UserJson(u),
            R"({"id":3,"username":"alice","role":"customer","created_at":"2023-11-14T22:13:20Z"})");
}

TEST(RepresentationTest, OrderWithItemsAndTotal) {
  Order o{5,
          3,
          "new",
          2420,
          1700000000,
          1700000000,
          {{1, 5, 9, 2, 1195, "BK-9", "Dune \"Messiah\""}, {2, 5, 10, 3, 10, "BK-10", "Emma"}}};
  auto v = boost::json::parse(OrderJson(o));
  EXPECT_EQ(v.at("items").as_array().size(), 2u);
  // Each line carries the book's code and name as ordered.
  EXPECT_EQ(v.at("items").at(0).at("book_code"), "BK-9");
  EXPECT_EQ(v.at("items").at(0).at("book_name"), "Dune \"Messiah\"");
  EXPECT_EQ(v.at("total").as_double(), 24.2);
  EXPECT_NE(OrderJson(o).find(R"("price_each":11.95)"), std::string::npos);
  Page<Order> page{{o}, 2, 10, 11};
  auto p = boost::json::parse(OrderPageJson(page));
  EXPECT_EQ(p.at("page").as_int64(), 2);
  EXPECT_EQ(p.at("page_size").as_int64(), 10);
  EXPECT_EQ(p.at("total").as_int64(), 11);
}

// The plain-run scan reads 8 bytes at a time: every byte value at every
// offset of a long string must be escaped exactly as one at a time.
TEST(JsonWriterTest, EscapesEveryByteAtEveryOffsetLikeTheSimpleRule) {
  auto reference = [](const std::string& s) {
    std::string out = "\"";
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == '"')
        out += "\\\"";
      else if (c == '\\')
        out += "\\\\";
      else if (c == '\n')
        out += "\\n";
      else if (c == '\r')
        out += "\\r";
      else if (c == '\t')
        out += "\\t";
      else if (c == '\b')
        out += "\\b";
      else if (c == '\f')
        out += "\\f";
      else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += ch;
      }
    }
    return out + "\"";
  };
  for (int byte = 0; byte < 256; ++byte) {
    for (size_t at = 0; at < 19; ++at) {
      std::string s = "Crimson Dragon abc!";  // 19 plain bytes
      s[at] = static_cast<char>(byte);
      ASSERT_EQ(JsonQuote(s), reference(s)) << "byte " << byte << " at " << at;
    }
  }
}

TEST(JsonWriterTest, EscapesControlCharacters) {
  EXPECT_EQ(JsonQuote(std::string("a\nb\x01\"\\", 6)), R"("a\nb\u0001\"\\")");
  JsonWriter w;
  w.BeginObject().Key("a").BeginArray().Int(1).Bool(true).Null().EndArray().Key("b").String("x");
  w.EndObject();
  EXPECT_EQ(w.str(), R"({"a":[1,true,null],"b":"x"})");
}

TEST(JsonWriterTest, SeparatesMembersOfNestedAndEmptyContainers) {
  JsonWriter w(/*capacity=*/0);
  w.BeginArray().BeginObject().EndObject().BeginArray().EndArray();
  w.BeginObject().Key("a").BeginObject().Key("b").BeginArray().Int(1).EndArray().EndObject();
  w.Key("c").Raw("2.50").EndObject().Int(3).EndArray();
  EXPECT_EQ(w.str(), R"([{},[],{"a":{"b":[1]},"c":2.50},3])");
}

// A body larger than the room reserved up front grows intact, and Take()
// leaves an empty writer that can write again.
TEST(JsonWriterTest, GrowsPastItsCapacityAndStartsOverAfterTake) {
  JsonWriter w(/*capacity=*/4);
  w.BeginArray();
  std::string expected = "[";
  for (int i = 0; i < 200; ++i) {
    w.String("item \"" + std::to_string(i) + "\"").Int(-i);
    expected += (i ? "," : "") + std::string("\"item \\\"") + std::to_string(i) + "\\\"\"," +
                std::to_string(-i);
  }
  w.EndArray();
  EXPECT_EQ(w.str(), expected + "]");
  EXPECT_EQ(w.Take(), expected + "]");
  EXPECT_EQ(w.str(), "");
  w.BeginObject().Key("k").String("").EndObject();
  EXPECT_EQ(w.Take(), R"({"k":""})");
}

TEST(FingerprintTest, DependsOnLinesOnly) {
  EXPECT_EQ(OrderRequestFingerprint({{1, 2}}), OrderRequestFingerprint({{1, 2}}));
  EXPECT_NE(OrderRequestFingerprint({{1, 2}}), OrderRequestFingerprint({{1, 3}}));
  EXPECT_NE(OrderRequestFingerprint({{1, 2}, {3, 4}}), OrderRequestFingerprint({{3, 4}, {1, 2}}));
  EXPECT_NE(OrderRequestFingerprint({{12, 3}}), OrderRequestFingerprint({{1, 23}}));
}

TEST(CsvTest, ParsesQuotedFields) {
  auto r = ParseCsv("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\n\r\nlast,1,2");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1][0], "x, y");
  EXPECT_EQ((*r)[1][1], "say \"hi\"");
  EXPECT_EQ((*r)[1][2], "");
  EXPECT_EQ((*r)[2][2], "2");
  EXPECT_FALSE(ParseCsv("a,\"b").ok());
  EXPECT_FALSE(ParseCsv("a,b\"c\"").ok());
}

TEST(CsvTest, DemoCatalogueIsWellFormed) {
  auto r = ParseCsv(DemoBooksCsv());
  ASSERT_TRUE(r.ok());
  EXPECT_GE(r->size(), 201u);
  EXPECT_EQ((*r)[0][0], "code");
  for (const auto& rec : *r) EXPECT_EQ(rec.size(), 6u) << rec[0];
}

}  // namespace
}  // namespace bookstore::book
