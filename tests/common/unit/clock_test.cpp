#include "common/clock.h"

#include <gtest/gtest.h>

#include <set>

namespace bookstore {
namespace {

TEST(FormatRfc3339, FormatsUtcWithZSuffix) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1'795'671'000), "2026-11-26T05:30:00Z");
  EXPECT_EQ(FormatRfc3339(951'782'400), "2000-02-29T00:00:00Z");  // leap day
  EXPECT_EQ(FormatRfc3339(1'700'000'000), "2023-11-14T22:13:20Z");
  EXPECT_EQ(FormatRfc3339(253'402'300'799), "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(253'402'300'800), "10000-01-01T00:00:00Z");  // wider, not cut
  EXPECT_EQ(FormatRfc3339(-62'135'596'800), "0001-01-01T00:00:00Z");
}

TEST(SystemClock, IsCloseToTimeOfDay) {
  const int64_t now = SystemClock::Instance().Now();
  EXPECT_GT(now, 1'700'000'000);  // after this code was written
  EXPECT_LT(now, 4'102'444'800);  // before 2100
}

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(100);
  EXPECT_EQ(clock.Now(), 100);
  clock.Advance(5);
  EXPECT_EQ(clock.Now(), 105);
  clock.Set(7);
  EXPECT_EQ(clock.Now(), 7);
}

TEST(SodiumRandom, TokensAreBase64UrlWithoutPaddingAndDistinct) {
  auto& random = SodiumRandom::Instance();
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = random.Token(32);
    EXPECT_EQ(token.size(), 43u);  // ceil(32 * 4 / 3), no '='
    EXPECT_EQ(
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(random.Token(1).size(), 2u);
  EXPECT_EQ(random.Token(0), "");
}

}  // namespace
}  // namespace bookstore
