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
