// Contract §6 over real sockets: the connection limit, and the client
// address behind trusted proxies.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/http/server.h"
#include "tests/support/http_client.h"
#include "tests/support/test_env.h"

namespace bookstore::http {
namespace {

using namespace std::chrono_literals;

Router ClientRouter() {
  Router router;
  router.Add("GET", "/client",
             [](Request& request) { return Response::Text(200, request.client); });
  return router;
}

const std::string kGet = "GET /client HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

TEST(ConnectionLimitTest, PastTheLimitNewConnectionsAreClosedAndOpenOnesServed) {
  ServerOptions options = test::TestServerOptions();
  options.max_connections = 2;
  test::RunningServer server(options, ClientRouter());
  test::RawConnection first(server.port()), second(server.port());
  ASSERT_TRUE(first.Write("GET /client HTTP/1.1\r\nHost: x\r\n"));  // both idle, mid-request
  ASSERT_TRUE(second.Write("GET /client HTTP/1.1\r\nHost: x\r\n"));
  for (int i = 0; i < 3; ++i) {
    test::RawConnection extra(server.port());
    EXPECT_TRUE(extra.WaitClosed(5s)) << i;  // closed at once, not queued
  }
  ASSERT_TRUE(first.Write("Connection: close\r\n\r\n"));
  EXPECT_EQ(first.ReadUntilClose(5s).rfind("HTTP/1.1 200", 0), 0u);
  ASSERT_TRUE(second.Write("Connection: close\r\n\r\n"));
  EXPECT_EQ(second.ReadUntilClose(5s).rfind("HTTP/1.1 200", 0), 0u);
}

TEST(ConnectionLimitTest, DefaultLimitServesOrdinaryLoads) {
  test::RunningServer server(test::TestServerOptions(), ClientRouter());
  std::vector<std::unique_ptr<test::RawConnection>> open;
  for (int i = 0; i < 50; ++i) open.push_back(std::make_unique<test::RawConnection>(server.port()));
  EXPECT_EQ(test::SendRaw(server.port(), kGet).rfind("HTTP/1.1 200", 0), 0u);
}

TEST(RouteBodyLimitTest, ARoutesOwnLimitIsEnforcedBeforeTheBodyIsRead) {
  Router router;
  router.Add(
      "POST", "/small", [](Request& request) { return Response::Text(200, request.body); },
      RouteOptions{.body_limit = 16});
  router.Add("POST", "/large", [](Request& request) { return Response::Text(200, request.body); });
  test::RunningServer server(test::TestServerOptions(), std::move(router));
  test::HttpClient client(server.port());
  EXPECT_EQ(client.Send("POST", "/small", std::string(16, 'a')).status, 200);
  EXPECT_EQ(client.Send("POST", "/small", std::string(17, 'a')).status, 413);
  test::HttpClient other(server.port());
  EXPECT_EQ(other.Send("POST", "/large", std::string(4096, 'a')).status, 200);
  // Announced too large: refused before a byte of the body is sent.
  test::RawConnection announced(server.port());
  ASSERT_TRUE(
      announced.Write("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"));
  EXPECT_EQ(announced.ReadUntilClose(5s).rfind("HTTP/1.1 413", 0), 0u);
  std::string chunked = test::SendRaw(
      server.port(), "POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" +
                         std::string(32, 'a') + "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.rfind("HTTP/1.1 413", 0), 0u) << chunked;
}

TEST(TrustedProxyTest, ForwardedForBelievedOnlyFromTrustedPeers) {
  ServerOptions options = test::TestServerOptions();
  options.trusted_proxies = {"127.0.0.0/8"};
  test::RunningServer trusting(options, ClientRouter());
  test::HttpClient via_gateway(trusting.port());
  EXPECT_EQ(via_gateway.Get("/client", {{"X-Forwarded-For", "6.6.6.6, 198.51.100.7"}}).body,
            "198.51.100.7");
  EXPECT_EQ(via_gateway.Get("/client").body, "127.0.0.1");

  test::RunningServer direct(test::TestServerOptions(), ClientRouter());
  test::HttpClient client(direct.port());
  EXPECT_EQ(client.Get("/client", {{"X-Forwarded-For", "198.51.100.7"}}).body, "127.0.0.1");
}

TEST(TrustedProxyTest, BadTrustedProxyStopsStartUp) {
  ServerOptions options = test::TestServerOptions();
  options.trusted_proxies = {"gateway"};
  EXPECT_THROW(Server(options, ClientRouter()), std::invalid_argument);
}

}  // namespace
}  // namespace bookstore::http
