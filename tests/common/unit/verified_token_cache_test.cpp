// VerifiedTokenCache: entries until expiry (plus leeway), bounded size.
#include "common/verified_token_cache.h"

#include <gtest/gtest.h>

namespace bookstore {
namespace {

TEST(VerifiedTokenCache, RemembersUntilExpiryPlusLeeway) {
  VerifiedTokenCache<int> cache(10, 60);
  cache.Put("t", 7, /*expires_at=*/1000, /*now=*/900);
  EXPECT_EQ(cache.Find("t", 900), 7);
  EXPECT_EQ(cache.Find("t", 1060), 7);  // within the leeway
  EXPECT_EQ(cache.Find("t", 1061), std::nullopt);
  EXPECT_EQ(cache.size(), 0u);  // dropped when found expired
  EXPECT_EQ(cache.Find("other", 900), std::nullopt);
}

TEST(VerifiedTokenCache, NeverHoldsAnExpiredTokenOrMoreThanItsCapacity) {
  VerifiedTokenCache<int> cache(20, 0);
  cache.Put("old", 1, 100, 200);
  EXPECT_EQ(cache.size(), 0u);
  for (int i = 0; i < 100; ++i) cache.Put("t" + std::to_string(i), i, 1000, 500);
  EXPECT_LE(cache.size(), 20u);
  EXPECT_EQ(cache.Find("t99", 500), 99);  // the newest is kept
  // Expired entries are the first to go when full.
  VerifiedTokenCache<int> mixed(4, 0);
  mixed.Put("a", 1, 600, 500);
  mixed.Put("b", 2, 600, 500);
  mixed.Put("c", 3, 2000, 500);
  mixed.Put("d", 4, 2000, 500);
  mixed.Put("e", 5, 2000, 700);  // a and b have expired by now
  EXPECT_EQ(mixed.Find("e", 700), 5);
  EXPECT_EQ(mixed.Find("a", 700), std::nullopt);
  EXPECT_LE(mixed.size(), 3u);
}

TEST(VerifiedTokenCache, ZeroCapacityCachesNothing) {
  VerifiedTokenCache<int> cache(0, 0);
  cache.Put("t", 1, 1000, 0);
  EXPECT_EQ(cache.Find("t", 0), std::nullopt);
}

}  // namespace
}  // namespace bookstore
