// Server timeouts, graceful drain, the worker pool and start/stop.
#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "common/http/server.h"
#include "common/thread_name.h"
#include "tests/support/http_client.h"
#include "tests/support/test_env.h"

namespace bookstore::http {
namespace {

using namespace std::chrono_literals;

Router HealthRouter() {
  Router router;
  router.Add("GET", "/healthz", [](Request&) { return Response::Json(200, R"({"status":"ok"})"); });
  return router;
}

TEST(ServerTimeoutTest, PartialHeaderIsClosedAfterHeaderTimeout) {
  ServerOptions options = test::TestServerOptions();
  options.header_timeout = 300ms;
  options.idle_timeout = 30s;
  test::RunningServer server(options, HealthRouter());
  test::RawConnection connection(server.port());
  ASSERT_TRUE(connection.Write("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_TRUE(connection.WaitClosed(5s));
}

TEST(ServerTimeoutTest, DribblingClientIsClosed) {
  ServerOptions options = test::TestServerOptions();
  options.header_timeout = 300ms;
  options.idle_timeout = 30s;
  test::RunningServer server(options, HealthRouter());
  test::RawConnection connection(server.port());
  const std::string request =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 's');
  auto start = std::chrono::steady_clock::now();
  bool closed = false;
  // One byte every 50 ms: each byte arrives well within any per-read timeout.
  for (char byte : request) {
    if (!connection.Write(std::string(1, byte)) || connection.WaitClosed(50ms)) {
      closed = true;
      break;
    }
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(ServerTimeoutTest, IdleKeepAliveConnectionIsClosed) {
  ServerOptions options = test::TestServerOptions();
  options.header_timeout = 30s;
  options.idle_timeout = 300ms;
  test::RunningServer server(options, HealthRouter());
  test::RawConnection connection(server.port());
  ASSERT_TRUE(connection.Write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto start = std::chrono::steady_clock::now();
  std::string reply = connection.ReadUntilClose(10s);
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
  EXPECT_EQ(reply.find("Connection: close"), std::string::npos);  // kept alive, then idle
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(ServerTimeoutTest, ActiveKeepAliveConnectionIsNotClosedByHeaderTimeout) {
  ServerOptions options = test::TestServerOptions();
  options.header_timeout = 300ms;
  options.idle_timeout = 30s;
  test::RunningServer server(options, HealthRouter());
  test::HttpClient client(server.port());
  EXPECT_EQ(client.Get("/healthz").status, 200);
  test::RawConnection connection(server.port());
  ASSERT_TRUE(connection.Write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  // Idle for longer than the header timeout: only idle_timeout applies now.
  EXPECT_FALSE(connection.WaitClosed(600ms));
  ASSERT_TRUE(connection.Write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string replies = connection.ReadUntilClose(5s);
  EXPECT_NE(replies.find("Connection: close"), std::string::npos) << replies;
}

// A blocking route the test holds until it releases `release`.
struct Gate {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
};

TEST(ServerShutdownTest, StopDrainsInFlightRequestAndClosesIdleConnections) {
  auto gate = std::make_shared<Gate>();
  Router router = HealthRouter();
  router.Add(
      "GET", "/slow",
      [gate](Request&) {
        gate->entered.set_value();
        gate->released.wait();
        return Response::Json(200, R"({"done":true})");
      },
      RouteOptions{.blocking = true});
  ServerOptions options = test::TestServerOptions();
  options.drain_timeout = 10s;
  Server server(options, std::move(router));
  uint16_t port = server.Listen();
  std::promise<void> run_returned;
  std::thread runner([&] {
    server.Run(false);
    run_returned.set_value();
  });
  auto run_done = run_returned.get_future();

  test::RawConnection idle(port);
  auto in_flight = std::async(std::launch::async, [port] {
    test::HttpClient client(port);
    return client.Get("/slow");
  });
  ASSERT_EQ(gate->entered.get_future().wait_for(10s), std::future_status::ready);

  std::thread stopper([&] { server.Stop(); });
  stopper.join();
  EXPECT_TRUE(idle.WaitClosed(5s));                                // idle connections go at once
  EXPECT_EQ(run_done.wait_for(0ms), std::future_status::timeout);  // still draining

  gate->release.set_value();
  test::HttpResponse response = in_flight.get();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"done":true})");
  EXPECT_EQ(response.Header("Connection"), "close");
  EXPECT_EQ(run_done.wait_for(10s), std::future_status::ready);
  runner.join();
  EXPECT_THROW(test::RawConnection late(port), std::runtime_error);
}

TEST(ServerShutdownTest, DrainTimeoutAbandonsAStuckRequest) {
  auto gate = std::make_shared<Gate>();
  Router router;
  router.Add(
      "GET", "/stuck",
      [gate](Request&) {
        gate->entered.set_value();
        gate->released.wait();
        return Response::NoContent();
      },
      RouteOptions{.blocking = true});
  ServerOptions options = test::TestServerOptions();
  options.drain_timeout = 200ms;
  auto server = std::make_unique<Server>(options, std::move(router));
  uint16_t port = server->Listen();
  std::thread runner([&] { server->Run(false); });
  test::RawConnection connection(port);
  ASSERT_TRUE(connection.Write("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(gate->entered.get_future().wait_for(10s), std::future_status::ready);
  server->Stop();
  // Past the drain deadline the io threads are gone, so the late answer is
  // never written: the client sees the connection close without a response.
  EXPECT_FALSE(connection.WaitClosed(500ms));
  gate->release.set_value();
  runner.join();  // Run() still waits for the worker before returning
  server.reset();
  std::string reply = connection.ReadUntilClose(5s);
  EXPECT_EQ(reply.find("204"), std::string::npos) << reply;
}

TEST(ServerThreadingTest, BlockingRouteRunsOnWorkerNotIoThread) {
  auto entered = std::make_shared<std::promise<void>>();
  auto unblock = std::make_shared<std::promise<void>>();
  std::mutex mu;
  std::thread::id io_thread, worker_thread;
  Router router;
  router.Add(
      "GET", "/wait",
      [&, entered, unblock](Request&) {
        {
          std::lock_guard lock(mu);
          worker_thread = std::this_thread::get_id();
        }
        entered->set_value();
        // Only a free io thread can serve /release; with one io thread this
        // times out if the route ran inline.
        bool released = unblock->get_future().wait_for(5s) == std::future_status::ready;
        return Response::Text(released ? 200 : 500, "");
      },
      RouteOptions{.blocking = true});
  router.Add("GET", "/release", [&, unblock](Request&) {
    {
      std::lock_guard lock(mu);
      io_thread = std::this_thread::get_id();
    }
    unblock->set_value();
    return Response::NoContent();
  });
  ServerOptions options = test::TestServerOptions();
  options.io_threads = 1;
  test::RunningServer server(options, std::move(router));
  auto waiting = std::async(std::launch::async,
                            [&] { return test::HttpClient(server.port()).Get("/wait").status; });
  ASSERT_EQ(entered->get_future().wait_for(10s), std::future_status::ready);
  EXPECT_EQ(test::HttpClient(server.port()).Get("/release").status, 204);
  EXPECT_EQ(waiting.get(), 200);
  std::lock_guard lock(mu);
  EXPECT_NE(io_thread, worker_thread);
}

// top -H / ps -L show what each thread is (README.md, "Configuration"): io threads
// "io-N" (connections go round-robin), the blocking pool "worker".
TEST(ServerThreadingTest, ThreadsAreNamedForOperators) {
  Router router;
  router.Add("GET", "/name", [](Request&) { return Response::Text(200, ThisThreadName()); });
  router.Add(
      "GET", "/blocking-name", [](Request&) { return Response::Text(200, ThisThreadName()); },
      RouteOptions{.blocking = true});
  ServerOptions options = test::TestServerOptions();
  options.io_threads = 2;
  test::RunningServer server(options, std::move(router));
  std::set<std::string> io_names;
  for (int i = 0; i < 4; ++i) io_names.insert(test::HttpClient(server.port()).Get("/name").body);
  EXPECT_EQ(io_names, (std::set<std::string>{"io-0", "io-1"}));
  EXPECT_EQ(test::HttpClient(server.port()).Get("/blocking-name").body, "worker");
}

TEST(ServerLifecycleTest, BindFailureIsAClearError) {
  ServerOptions options = test::TestServerOptions();
  test::RunningServer first(options, HealthRouter());
  options.port = first.port();
  Server second(options, HealthRouter());
  try {
    second.Listen();
    FAIL() << "expected Listen() to throw";
  } catch (const std::runtime_error& e) {
    std::string message = e.what();
    EXPECT_EQ(message, "cannot listen on 127.0.0.1:" + std::to_string(first.port()) +
                           ": Address already in use");
  }
  options.address = "not-an-address";
  options.port = 0;
  EXPECT_THROW(Server(options, HealthRouter()).Listen(), std::runtime_error);
}

TEST(ServerLifecycleTest, StartsAndStopsManyTimes) {
  for (int i = 0; i < 20; ++i) {
    test::RunningServer server(test::TestServerOptions(), HealthRouter());
    EXPECT_EQ(test::HttpClient(server.port()).Get("/healthz").status, 200);
  }
  for (int i = 0; i < 5; ++i) {  // stopped before serving anything
    test::RunningServer server(test::TestServerOptions(), HealthRouter());
  }
  Server never_run(test::TestServerOptions(), HealthRouter());
  EXPECT_GT(never_run.Listen(), 0);
}

}  // namespace
}  // namespace bookstore::http
