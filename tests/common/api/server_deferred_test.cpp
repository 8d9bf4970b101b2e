// Deferred answers over a real server: the handler returns, another thread
// answers later; the io thread serves other connections meanwhile, and the
// global middleware (request id, metrics, CORS) applies to the final answer.
#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/http/deferred.h"
#include "common/metrics.h"
#include "tests/support/http_client.h"
#include "tests/support/test_env.h"

namespace bookstore::http {
namespace {

// Answers handed over by the /later handler, for the test to give.
struct Pending {
  std::mutex mu;
  std::condition_variable arrived;
  std::deque<Answer> answers;

  void Push(Answer answer) {
    std::lock_guard lock(mu);
    answers.push_back(std::move(answer));
    arrived.notify_all();
  }
  // Waits for the next Answer handed over (the handler has returned by
  // the time the test gives it, or will return without touching it).
  Answer Pop() {
    std::unique_lock lock(mu);
    arrived.wait(lock, [this] { return !answers.empty(); });
    Answer answer = answers.front();
    answers.pop_front();
    return answer;
  }
};

Router DeferringRouter(std::shared_ptr<Pending> pending) {
  Router router;
  router.Add("POST", "/later", [pending](Request&) {
    auto [placeholder, answer] = Defer();
    pending->Push(answer);
    return std::move(placeholder);
  });
  router.Add("GET", "/dropped", [](Request&) {
    auto [placeholder, answer] = Defer();
    return std::move(placeholder);  // `answer` goes unanswered
  });
  router.Add(
      "GET", "/answered-before-return",
      [](Request&) {
        auto [placeholder, answer] = Defer();
        answer(Response::Text(200, "already"));
        return std::move(placeholder);
      },
      RouteOptions{.blocking = true});
  router.Add("GET", "/now", [](Request&) { return Response::Text(200, "now"); });
  return router;
}

class DeferredServerTest : public ::testing::Test {
 protected:
  ServerOptions Options() {
    ServerOptions options = test::TestServerOptions();
    options.io_threads = 1;  // one io thread: a blocked thread would stall /now
    options.metrics = metrics_;
    return options;
  }

  std::shared_ptr<Pending> pending_ = std::make_shared<Pending>();
  std::shared_ptr<Metrics> metrics_ = std::make_shared<Metrics>("test");
  test::RunningServer server_{Options(), DeferringRouter(pending_)};
};

TEST_F(DeferredServerTest, TheAnswerGivenLaterGoesThroughTheMiddleware) {
  auto later = std::async(std::launch::async, [port = server_.port()] {
    test::HttpClient client(port);
    return client.PostJson("/later", "{}",
                           {{"Origin", "http://localhost:3000"}, {"X-Request-Id", "deferred-1"}});
  });
  Answer answer = pending_->Pop();
  // While /later waits, its io thread serves another connection.
  test::HttpClient other(server_.port());
  EXPECT_EQ(other.Get("/now").body, "now");
  EXPECT_EQ(later.wait_for(std::chrono::seconds(0)), std::future_status::timeout);

  Response created = Response::Json(201, R"({"id":7})");
  created.headers.Set("Location", "/things/7");
  answer(std::move(created));
  test::HttpResponse response = later.get();
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"id":7})");
  EXPECT_EQ(response.Header("Location"), "/things/7");
  EXPECT_EQ(response.Header("X-Request-Id"), "deferred-1");
  EXPECT_EQ(response.Header("Access-Control-Allow-Origin"), "http://localhost:3000");
  EXPECT_NE(metrics_->Render().find("method=\"POST\",route=\"/later\",status=\"201\"} 1\n"),
            std::string::npos)
      << metrics_->Render();
}

TEST_F(DeferredServerTest, TheConnectionIsKeptForTheNextRequest) {
  test::HttpClient client(server_.port());
  auto later =
      std::async(std::launch::async, [&client] { return client.PostJson("/later", "{}"); });
  pending_->Pop()(Response::Text(202, "first"));
  EXPECT_EQ(later.get().body, "first");
  EXPECT_EQ(client.Get("/now").body, "now");
}

TEST_F(DeferredServerTest, AnAnswerDroppedUnansweredIsA500ProblemAndIsLogged) {
  test::HttpClient client(server_.port());
  test::HttpResponse response = client.Get("/dropped");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.Header("Content-Type"), "application/problem+json");
  EXPECT_FALSE(response.Header("X-Request-Id").empty());
}

TEST_F(DeferredServerTest, ABlockingRouteMayAnswerBeforeItReturns) {
  test::HttpClient client(server_.port());
  test::HttpResponse response = client.Get("/answered-before-return");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "already");
  EXPECT_FALSE(response.Header("X-Request-Id").empty());
}

}  // namespace
}  // namespace bookstore::http
