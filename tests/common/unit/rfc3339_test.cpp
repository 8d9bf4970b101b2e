// ParseRfc3339: strict parsing of outside timestamps, the inverse of
// FormatRfc3339 for what that prints.
#include "common/rfc3339.h"

#include <gtest/gtest.h>

#include "common/clock.h"

namespace bookstore {
namespace {

TEST(ParseRfc3339, DateTimesWithZoneAndFullDates) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("2026-11-26T05:30:00Z"), 1'795'671'000);
  EXPECT_EQ(ParseRfc3339("2026-11-26t05:30:00z"), 1'795'671'000);
  EXPECT_EQ(ParseRfc3339("2026-11-26T06:30:00+01:00"), 1'795'671'000);
  EXPECT_EQ(ParseRfc3339("2026-11-25T23:30:00-06:00"), 1'795'671'000);
  EXPECT_EQ(ParseRfc3339("2026-11-26T05:30:00.999Z"), 1'795'671'000);  // fraction dropped
  EXPECT_EQ(ParseRfc3339("2000-02-29"), 951'782'400);
  EXPECT_EQ(ParseRfc3339("1969-12-31T23:59:59Z"), -1);
  for (int64_t t : {0LL, 951'782'400LL, 1'700'000'000LL, 253'402'300'799LL, -62'135'596'800LL}) {
    EXPECT_EQ(ParseRfc3339(FormatRfc3339(t)), t) << t;
  }
}

TEST(ParseRfc3339, RefusesEverythingElse) {
  for (const char* bad : {"",
                          "2026",
                          "2026-11",
                          "2026-13-01",
                          "2026-00-10",
                          "2026-02-29",
                          "2026-02-30",
                          "2026-11-26 05:30:00Z",
                          "2026-11-26T05:30:00",
                          "2026-11-26T24:00:00Z",
                          "2026-11-26T05:60:00Z",
                          "2026-11-26T05:30:61Z",
                          "2026-11-26T05:30Z",
                          "2026-11-26T05:30:00.Z",
                          "2026-11-26T05:30:00+0100",
                          "2026-11-26T05:30:00+01:00x",
                          "2026-11-26T05:30:00ZZ",
                          "+2026-11-26",
                          "2026-11-26T05:30:00.1234567890Z",
                          "２０２６-11-26",
                          "1234567890"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace bookstore
