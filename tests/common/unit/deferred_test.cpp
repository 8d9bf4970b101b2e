// Deferred answers (common/http/deferred.h) without a server: first answer
// wins, a dropped Answer becomes a 500, middleware steps run in order.
#include "common/http/deferred.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>

namespace bookstore::http {
namespace {

TEST(DeferredTest, OnAnswerRunsAtOnceOnAnOrdinaryResponse) {
  Response response = Response::Text(200, "now");
  OnAnswer(response, [](Response& r) { r.headers.Set("X-Step", "ran"); });
  EXPECT_EQ(response.headers.GetOr("X-Step", ""), "ran");
  EXPECT_EQ(response.deferral, nullptr);
}

TEST(DeferredTest, StepsRunOnTheFinalAnswerInnermostFirst) {
  auto [placeholder, answer] = Defer();
  ASSERT_NE(placeholder.deferral, nullptr);
  // As middleware registers them: the innermost returns (and registers) first.
  OnAnswer(placeholder, [](Response& r) { r.headers.Add("X-Step", "inner"); });
  OnAnswer(placeholder, [](Response& r) { r.headers.Add("X-Step", "outer"); });
  EXPECT_EQ(placeholder.headers.Get("X-Step"), nullptr);  // nothing ran yet

  answer(Response::Text(201, "later"));
  bool woke = false;
  placeholder.deferral->Wait([&woke] { woke = true; });
  EXPECT_TRUE(woke);
  Response final = placeholder.deferral->Finish();
  EXPECT_EQ(final.status, 201);
  EXPECT_EQ(final.body, "later");
  ASSERT_EQ(final.headers.fields().size(), 3u);  // Content-Type, then the steps
  EXPECT_EQ(final.headers.fields()[1].second, "inner");
  EXPECT_EQ(final.headers.fields()[2].second, "outer");
  EXPECT_EQ(final.deferral, nullptr);
}

TEST(DeferredTest, TheFirstAnswerWins) {
  auto [placeholder, answer] = Defer();
  Answer copy = answer;
  copy(Response::Text(409, "first"));
  answer(Response::Text(200, "second"));
  placeholder.deferral->Wait([] {});
  EXPECT_EQ(placeholder.deferral->Finish().body, "first");
}

TEST(DeferredTest, AnAnswerDroppedWithoutAnsweringGives500) {
  Response placeholder;
  {
    auto [deferred, answer] = Defer();
    placeholder = std::move(deferred);
    Answer copy = answer;
  }  // every copy gone, none answered
  bool woke = false;
  placeholder.deferral->Wait([&woke] { woke = true; });
  EXPECT_TRUE(woke);
  Response final = placeholder.deferral->Finish();
  EXPECT_EQ(final.status, 500);
  EXPECT_EQ(final.headers.GetOr("Content-Type", ""), "application/problem+json");
}

TEST(DeferredTest, AWaiterIsWokenOnTheAnsweringThread) {
  auto [placeholder, answer] = Defer();
  std::optional<std::thread::id> woken_on;
  placeholder.deferral->Wait([&woken_on] { woken_on = std::this_thread::get_id(); });
  EXPECT_FALSE(woken_on);  // no answer yet
  std::thread::id answering;
  std::thread thread([&, answer = answer] {
    answering = std::this_thread::get_id();
    answer(Response::Text(200, "from a thread"));
  });
  thread.join();
  ASSERT_TRUE(woken_on);
  EXPECT_EQ(*woken_on, answering);
  EXPECT_EQ(placeholder.deferral->Finish().body, "from a thread");
}

}  // namespace
}  // namespace bookstore::http
