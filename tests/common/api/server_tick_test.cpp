// http::AtEndOfTick over a real server: the callback runs on the io thread
// that served the request, before that connection's next request; blocking
// routes and non-io threads get false.
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/http/tick.h"
#include "tests/support/http_client.h"
#include "tests/support/test_env.h"

namespace bookstore::http {
namespace {

using namespace std::chrono_literals;

struct TickLog {
  std::mutex mu;
  std::thread::id handler_thread;
  std::thread::id callback_thread;
  int callbacks = 0;
};

Router TickRouter(std::shared_ptr<TickLog> log) {
  Router router;
  router.Add("GET", "/tick", [log](Request&) {
    {
      std::lock_guard lock(log->mu);
      log->handler_thread = std::this_thread::get_id();
    }
    bool queued = AtEndOfTick([log] {
      std::lock_guard lock(log->mu);
      log->callback_thread = std::this_thread::get_id();
      ++log->callbacks;
    });
    return Response::Text(200, queued ? "tick:queued" : "tick:not-queued");
  });
  // Answers what the callback of the previous /tick did by now.
  router.Add("GET", "/check", [log](Request&) {
    std::lock_guard lock(log->mu);
    bool same = log->callback_thread == log->handler_thread &&
                log->handler_thread == std::this_thread::get_id();
    return Response::Text(200, "check:callbacks=" + std::to_string(log->callbacks) +
                                   ",same_thread=" + (same ? "yes" : "no"));
  });
  router.Add("GET", "/throw", [](Request&) {
    AtEndOfTick([] { throw std::runtime_error("callback failed"); });
    return Response::Text(200, "throw:queued");
  });
  router.Add(
      "GET", "/blocking",
      [](Request&) {
        return Response::Text(200, AtEndOfTick([] {}) ? "blocking:queued" : "blocking:not-queued");
      },
      RouteOptions{.blocking = true});
  return router;
}

// True when every one of `bodies` occurs in `replies`, in this order.
bool InOrder(const std::string& replies, std::initializer_list<std::string_view> bodies) {
  size_t at = 0;
  for (std::string_view body : bodies) {
    at = replies.find(body, at);
    if (at == std::string::npos) return false;
    at += body.size();
  }
  return true;
}

TEST(AtEndOfTickTest, RunsOnTheSameIoThreadBeforeTheConnectionsNextRequest) {
  auto log = std::make_shared<TickLog>();
  ServerOptions options = test::TestServerOptions();
  options.io_threads = 2;
  test::RunningServer server(options, TickRouter(log));
  // Several connections, so that both io threads serve some; the requests
  // of one connection are pipelined in one write.
  for (int i = 0; i < 4; ++i) {
    {
      std::lock_guard lock(log->mu);
      log->callbacks = 0;
    }
    test::RawConnection connection(server.port());
    ASSERT_TRUE(
        connection.Write("GET /tick HTTP/1.1\r\nHost: x\r\n\r\n"
                         "GET /check HTTP/1.1\r\nHost: x\r\n\r\n"
                         "GET /blocking HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    std::string replies = connection.ReadUntilClose(10s);
    EXPECT_TRUE(InOrder(
        replies, {"tick:queued", "check:callbacks=1,same_thread=yes", "blocking:not-queued"}))
        << replies;
  }
}

TEST(AtEndOfTickTest, AThrowingCallbackIsLoggedAndTheServerGoesOn) {
  auto log = std::make_shared<TickLog>();
  test::RunningServer server(test::TestServerOptions(), TickRouter(log));
  test::RawConnection connection(server.port());
  ASSERT_TRUE(
      connection.Write("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /tick HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /check HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string replies = connection.ReadUntilClose(10s);
  EXPECT_TRUE(
      InOrder(replies, {"throw:queued", "tick:queued", "check:callbacks=1,same_thread=yes"}))
      << replies;
}

TEST(AtEndOfTickTest, OffAnIoThreadDoesNothing) {
  bool ran = false;
  EXPECT_FALSE(AtEndOfTick([&ran] { ran = true; }));
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace bookstore::http
