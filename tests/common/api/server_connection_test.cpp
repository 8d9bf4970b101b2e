// The server over real sockets: size limits, malformed requests, HEAD and
// keep-alive.
#include "tests/common/api/server_fixture.h"

namespace bookstore::http {
namespace {

TEST_F(ServerTest, BodyOverOneMebibyteIs413) {
  std::string json = "\"" + std::string((1 << 20) - 1, 'a') + "\"";  // 1 MiB + 1
  HttpResponse response = client_.PostJson("/echo", json);
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(response.Header("Connection"), "close");
}

TEST_F(ServerTest, BodyOfExactlyOneMebibyteIsAccepted) {
  std::string json = "\"" + std::string((1 << 20) - 2, 'a') + "\"";
  HttpResponse response = client_.PostJson("/echo", json);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body.size(), json.size());
}

TEST_F(ServerTest, ChunkedBodyOverLimitIs413) {
  std::string chunk = std::string(64 * 1024, 'a');
  std::string request =
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 17; ++i) request += "10000\r\n" + chunk + "\r\n";
  request += "0\r\n\r\n";
  std::string reply = test::SendRaw(server_.port(), request);
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply.substr(0, 100);
}

TEST_F(ServerTest, HeadersOver8KiBAre431) {
  HttpResponse response = client_.Get("/healthz", {{"X-Big", std::string(9 * 1024, 'h')}});
  EXPECT_EQ(response.status, 431);
  EXPECT_EQ(response.Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(client_.Get("/healthz", {{"X-Big", std::string(7 * 1024, 'h')}}).status, 200);
}

TEST_F(ServerTest, RejectedRequestsAreObserved) {
  EXPECT_EQ(client_.Get("/healthz", {{"X-Big", std::string(9 * 1024, 'h')}}).status, 431);
  std::string metrics = client_.Get("/metrics").body;
  EXPECT_NE(metrics.find("route=\"unmatched\",status=\"431\"} 1\n"), std::string::npos) << metrics;
}

TEST_F(ServerTest, HeadGets405WithoutBodyBytes) {
  test::RawConnection connection(server_.port());
  ASSERT_TRUE(
      connection.Write("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string replies = connection.ReadUntilClose(std::chrono::seconds(5));
  ASSERT_EQ(replies.rfind("HTTP/1.1 405", 0), 0u) << replies;
  size_t second = replies.find("\r\n\r\n") + 4;  // the HEAD answer has no body
  EXPECT_EQ(replies.compare(second, 12, "HTTP/1.1 200"), 0) << replies;
}

TEST_F(ServerTest, MalformedHttpIs400AndClosed) {
  std::string reply = test::SendRaw(server_.port(), "HELLO THERE\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  EXPECT_NE(reply.find("application/problem+json"), std::string::npos);
  std::string bad_length = test::SendRaw(
      server_.port(), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
  EXPECT_EQ(bad_length.rfind("HTTP/1.1 400", 0), 0u) << bad_length;
}

TEST_F(ServerTest, RequestWithoutExactlyOneHostIs400) {  // RFC 9112 §3.2
  std::string none = test::SendRaw(server_.port(), "GET /healthz HTTP/1.1\r\n\r\n");
  EXPECT_EQ(none.rfind("HTTP/1.1 400", 0), 0u) << none;
  EXPECT_NE(none.find("application/problem+json"), std::string::npos);
  std::string two =
      test::SendRaw(server_.port(), "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  EXPECT_EQ(two.rfind("HTTP/1.1 400", 0), 0u) << two;
  std::string two_old =
      test::SendRaw(server_.port(), "GET /healthz HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n");
  EXPECT_EQ(two_old.rfind("HTTP/1.1 400", 0), 0u) << two_old;
  // HTTP/1.0 has no Host requirement.
  std::string old = test::SendRaw(server_.port(), "GET /healthz HTTP/1.0\r\n\r\n");
  EXPECT_EQ(old.rfind("HTTP/1.0 200", 0), 0u) << old;
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  test::RawConnection connection(server_.port());
  ASSERT_TRUE(
      connection.Write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /items/7 HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string replies = connection.ReadUntilClose(std::chrono::seconds(5));
  size_t count = 0;
  for (size_t at = replies.find("HTTP/1.1 200"); at != std::string::npos;
       at = replies.find("HTTP/1.1 200", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u) << replies;
  EXPECT_NE(replies.find(R"({"id":"7")"), std::string::npos);
}

TEST_F(ServerTest, ResponseHeadIsExact) {
  // Handler fields in order, then Connection, then Content-Length (also on 204).
  EXPECT_EQ(test::SendRaw(server_.port(),
                          "PUT /items/7 HTTP/1.1\r\nHost: x\r\nX-Request-Id: r1\r\n"
                          "Content-Length: 0\r\nConnection: close\r\n\r\n"),
            "HTTP/1.1 204 No Content\r\nX-Request-Id: r1\r\nConnection: close\r\n"
            "Content-Length: 0\r\n\r\n");
  // HTTP/1.0: keep-alive only when asked for, and then said so.
  const std::string body = R"({"id":"7","route":"/items/{id}"})";
  const std::string head =
      "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: r2\r\n";
  const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  test::RawConnection connection(server_.port());
  ASSERT_TRUE(
      connection.Write("GET /items/7 HTTP/1.0\r\nConnection: keep-alive\r\nX-Request-Id: r2\r\n\r\n"
                       "GET /items/7 HTTP/1.0\r\nX-Request-Id: r2\r\n\r\n"));
  EXPECT_EQ(connection.ReadUntilClose(std::chrono::seconds(5)),
            head + "Connection: keep-alive\r\n" + length + body + head + length + body);
}

TEST_F(ServerTest, HttpClientReusesItsConnection) {
  EXPECT_EQ(client_.Get("/healthz").Header("Connection"), "");
  EXPECT_EQ(client_.Get("/healthz").status, 200);
}

TEST_F(ServerTest, ResponseKeepAliveFalseClosesConnection) {
  test::RawConnection connection(server_.port());
  ASSERT_TRUE(connection.Write("GET /bye HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto start = std::chrono::steady_clock::now();
  std::string reply = connection.ReadUntilClose(std::chrono::seconds(10));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
}

}  // namespace
}  // namespace bookstore::http
