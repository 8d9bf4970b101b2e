#include "book_service/auth/token_verifier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>

#include "book_service/auth/jwks_cache.h"
#include "common/clock.h"
#include "common/http/message.h"
#include "common/thread_name.h"

namespace bookstore::book {
namespace {

std::shared_ptr<const jwt::SigningKey> Key() {
  static auto key = jwt::SigningKey::Generate();
  return key;
}

TEST(RefetchGateTest, LetsOneCallerThroughPerInterval) {
  RefetchGate gate(5000);
  EXPECT_TRUE(gate.TryAcquire(100));
  EXPECT_FALSE(gate.TryAcquire(100));
  EXPECT_FALSE(gate.TryAcquire(5099));
  EXPECT_TRUE(gate.TryAcquire(5100));
  EXPECT_FALSE(gate.TryAcquire(6000));
  RefetchGate open(0);
  EXPECT_TRUE(open.TryAcquire(1));
  EXPECT_TRUE(open.TryAcquire(1));
}

JwksOptions NoRateLimit() {
  JwksOptions o;
  o.min_refetch_interval = std::chrono::milliseconds(0);
  return o;
}

class TokenVerifierTest : public ::testing::Test {
 protected:
  TokenVerifierTest()
      : jwks_(
            [this]() -> Result<std::string> {
              ++fetches_;
              if (!available_) return Error::Unavailable("down");
              return jwt::MakeJwks({Key()->PublicJwk()});
            },
            NoRateLimit()),
        verifier_(jwks_, clock_, {"iss", "aud", 60}, 3) {}

  std::string Token(int64_t exp_in = 600, const std::string& sub = "7") {
    jwt::AccessClaims c;
    c.iss = "iss";
    c.aud = "aud";
    c.sub = sub;
    c.iat = clock_.Now();
    c.exp = clock_.Now() + exp_in;
    c.scope = "orders";
    c.role = "customer";
    return Key()->Sign(c);
  }

  FakeClock clock_;
  std::atomic<int> fetches_{0};
  std::atomic<bool> available_{true};
  JwksCache jwks_;
  TokenVerifier verifier_;
};

TEST_F(TokenVerifierTest, UnavailableUntilKeysLoadThenValid) {
  available_ = false;
  EXPECT_EQ(verifier_.Verify(Token()).check, TokenCheck::kUnavailable);
  EXPECT_EQ(fetches_.load(), 0);  // asked the refresh thread, fetched nothing itself
  available_ = true;
  const uint64_t before = jwks_.fetches();
  jwks_.Start();
  ASSERT_TRUE(jwks_.WaitForFetchAfter(before, std::chrono::seconds(10)));
  auto out = verifier_.Verify(Token());
  EXPECT_EQ(out.check, TokenCheck::kValid);
  EXPECT_EQ(out.principal.user_id, 7);
  EXPECT_TRUE(jwks_.loaded());
}

// Contract §6: no request waits for another service. With the JWKS endpoint
// hanging, Verify of an unknown kid answers at once (401) and the refetch
// runs on the refresh thread, one at a time.
TEST(JwksCacheTest, UnknownKidNeverWaitsForTheFetch) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  int started = 0;
  JwksCache cache(
      [&]() -> Result<std::string> {
        std::unique_lock lock(mu);
        ++started;
        cv.notify_all();
        cv.wait(lock, [&] { return release; });  // the auth service hangs
        return jwt::MakeJwks({Key()->PublicJwk()});
      },
      NoRateLimit());
  FakeClock clock;
  TokenVerifier verifier(cache, clock, {"iss", "aud", 60}, 3);
  ASSERT_TRUE([&] {
    std::unique_lock lock(mu);
    release = true;
    lock.unlock();
    return cache.FetchOnce();
  }());
  {
    std::lock_guard lock(mu);
    release = false;
    started = 0;
  }
  cache.Start();
  jwt::AccessClaims c;
  c.iss = "iss";
  c.aud = "aud";
  c.sub = "7";
  c.iat = clock.Now();
  c.exp = clock.Now() + 600;
  const std::string unknown = jwt::SigningKey::Generate()->Sign(c);
  // Each of these would block on the hanging fetch if Verify fetched itself.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(verifier.Verify(unknown).check, TokenCheck::kInvalid);
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return started >= 1; }));
    EXPECT_EQ(started, 1);  // one fetch in flight, however many asked
    release = true;
  }
  cv.notify_all();
  cache.Stop();
}

TEST_F(TokenVerifierTest, CachesVerifiedTokensBoundedAndUntilExpiry) {
  ASSERT_TRUE(jwks_.FetchOnce());
  const std::string t = Token(100, "1");
  ASSERT_EQ(verifier_.Verify(t).check, TokenCheck::kValid);
  EXPECT_EQ(verifier_.cached(), 1u);
  EXPECT_EQ(verifier_.Verify(t).check, TokenCheck::kValid);
  EXPECT_EQ(verifier_.cached(), 1u);
  for (int i = 2; i <= 6; ++i) verifier_.Verify(Token(100, std::to_string(i)));
  EXPECT_LE(verifier_.cached(), 3u);
  clock_.Advance(100 + 60);  // the last second of the leeway
  EXPECT_EQ(verifier_.Verify(t).check, TokenCheck::kValid);
  clock_.Advance(1);
  EXPECT_EQ(verifier_.Verify(t).check, TokenCheck::kInvalid);
}

TEST_F(TokenVerifierTest, InvalidTokensAreNotCached) {
  ASSERT_TRUE(jwks_.FetchOnce());
  EXPECT_EQ(verifier_.Verify("a.b.c").check, TokenCheck::kInvalid);
  EXPECT_EQ(verifier_.Verify(Token(-120)).check, TokenCheck::kInvalid);
  EXPECT_EQ(verifier_.Verify(Token(600, "x")).check, TokenCheck::kInvalid);
  EXPECT_EQ(verifier_.cached(), 0u);
}

// Contract §5: an ID token never works as an access token at the book
// service, even one signed by the same key for the API's audience.
TEST_F(TokenVerifierTest, IdTokensAreRefused) {
  ASSERT_TRUE(jwks_.FetchOnce());
  jwt::IdClaims id;
  id.iss = "iss";
  id.aud = "aud";
  id.sub = "7";
  id.iat = clock_.Now();
  id.exp = clock_.Now() + 600;
  EXPECT_EQ(verifier_.Verify(Key()->SignIdToken(id)).check, TokenCheck::kInvalid);
  EXPECT_EQ(verifier_.Verify(Token()).check, TokenCheck::kValid);
}

TEST(JwksCacheTest, BackgroundLoopRetriesUntilSuccessAndStops) {
  std::atomic<int> calls{0};
  std::mutex mu;
  std::condition_variable cv;
  JwksOptions options;
  options.initial_backoff = std::chrono::milliseconds(1);
  options.max_backoff = std::chrono::milliseconds(4);
  JwksCache cache(
      [&]() -> Result<std::string> {
        int n = 0;
        {
          std::lock_guard lock(mu);
          n = ++calls;
        }
        cv.notify_all();
        if (n < 4) return Error::Unavailable("down");
        return jwt::MakeJwks({Key()->PublicJwk()});
      },
      options);
  cache.Start();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return calls >= 4; }));
  }
  cache.Stop();
  EXPECT_TRUE(cache.loaded());
  EXPECT_EQ(calls.load(), 4);
}

// The background refresh runs on a thread named "jwks-refresh" (top -H).
TEST(JwksCacheTest, RefreshesOnANamedThread) {
  std::mutex mu;
  std::condition_variable cv;
  std::string name;
  JwksCache cache([&]() -> Result<std::string> {
    {
      std::lock_guard lock(mu);
      name = ThisThreadName();
    }
    cv.notify_all();
    return jwt::MakeJwks({Key()->PublicJwk()});
  });
  cache.Start();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return !name.empty(); }));
  }
  cache.Stop();
  EXPECT_EQ(name, "jwks-refresh");
}

}  // namespace
}  // namespace bookstore::book
