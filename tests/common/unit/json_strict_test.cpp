#include "common/json_strict.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace bookstore::json {
namespace {

TEST(JsonStrictTest, ParsesOrdinaryDocuments) {
  auto r =
      ParseStrict(R"( {"a":[1,-2,3.5,"x",true,null,{"a":1}],"b":{"c":18446744073709551615}} )");
  ASSERT_EQ(r.problem, JsonProblem::kNone);
  EXPECT_EQ(boost::json::serialize(*r.value),
            R"({"a":[1,-2,3.5E0,"x",true,null,{"a":1}],"b":{"c":18446744073709551615}})");
}

TEST(JsonStrictTest, DuplicateKeysAreRefusedAtAnyDepth) {
  auto top = ParseStrict(R"({"code":"A","name":"x","code":"B"})");
  EXPECT_EQ(top.problem, JsonProblem::kDuplicateKey);
  EXPECT_EQ(top.detail, "code");
  EXPECT_EQ(ParseStrict(R"({"items":[{"book_id":1,"book_id":2}]})").problem,
            JsonProblem::kDuplicateKey);
  EXPECT_EQ(ParseStrict(R"({"a":{"k":1},"b":{"k":1}})").problem, JsonProblem::kNone);
  EXPECT_EQ(ParseStrict(R"({"\u0061":1,"a":2})").problem, JsonProblem::kDuplicateKey);  // escaped
}

TEST(JsonStrictTest, InexactNumbersRefusedOnlyWhenAsked) {
  const StrictOptions exact{.exact_numbers = true};
  for (const char* ok : {"10.55", "0.1", "1e2", "1.5E-7", "-0.0", "100.50", "1000000.00", "0"}) {
    EXPECT_EQ(ParseStrict(ok, exact).problem, JsonProblem::kNone) << ok;
  }
  auto money = ParseStrict(R"({"imported_price":1.100000000000000000001})", exact);
  EXPECT_EQ(money.problem, JsonProblem::kInexactNumber);
  EXPECT_EQ(money.detail, "1.100000000000000000001");
  EXPECT_EQ(ParseStrict("12345678901234567890.5", exact).problem, JsonProblem::kInexactNumber);
  EXPECT_EQ(ParseStrict("1.100000000000000000001").problem, JsonProblem::kNone);
}

// Found by fuzz_json: Boost.JSON 1.81 converts long numbers imprecisely, so
// its own output did not parse back to the same double.
TEST(JsonStrictTest, LongNumbersConvertCorrectlyRoundedAndRoundTrip) {
  const StrictOptions exact{.exact_numbers = true};
  auto r = ParseStrict("[10000100000000000000000000000000]", exact);
  ASSERT_EQ(r.problem, JsonProblem::kNone);
  EXPECT_EQ(r.value->as_array()[0].as_double(), 1.00001e31);
  const std::string text = boost::json::serialize(*r.value);
  auto again = ParseStrict(text, exact);
  ASSERT_EQ(again.problem, JsonProblem::kNone) << text;
  EXPECT_EQ(boost::json::serialize(*again.value), text);
}

TEST(JsonStrictTest, DepthAndSyntax) {
  std::string deep(64, '['), too_deep(65, '[');
  deep += std::string(64, ']');
  too_deep += std::string(65, ']');
  EXPECT_EQ(ParseStrict(deep).problem, JsonProblem::kNone);
  EXPECT_EQ(ParseStrict(too_deep).problem, JsonProblem::kTooDeep);
  for (const char* bad : {"", "{", "{\"a\":1}x", "[1,]", "{'a':1}", "nul"}) {
    EXPECT_EQ(ParseStrict(bad).problem, JsonProblem::kSyntax) << bad;
  }
}

TEST(JsonStrictTest, SameDecimal) {
  EXPECT_TRUE(SameDecimal("1.10", "1.1"));
  EXPECT_TRUE(SameDecimal("110e-2", "1.1"));
  EXPECT_TRUE(SameDecimal("0.000", "0"));
  EXPECT_TRUE(SameDecimal("-0", "0"));
  EXPECT_TRUE(SameDecimal("1E+21", "1e+21"));
  EXPECT_FALSE(SameDecimal("1.100000000000000000001", "1.1"));
  EXPECT_FALSE(SameDecimal("-1.5", "1.5"));
}

}  // namespace
}  // namespace bookstore::json
