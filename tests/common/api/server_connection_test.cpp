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

TEST_F(ServerTest, HeadIsAnsweredOnGetRoutesWithoutBodyBytes) {  // RFC 9110 §9.3.2
  test::RawConnection connection(server_.port());
  ASSERT_TRUE(
      connection.Write("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string replies = connection.ReadUntilClose(std::chrono::seconds(5));
  ASSERT_EQ(replies.rfind("HTTP/1.1 200", 0), 0u) << replies;
  size_t second = replies.find("\r\n\r\n") + 4;  // the HEAD answer has no body
  EXPECT_EQ(replies.compare(second, 12, "HTTP/1.1 200"), 0) << replies;
  // Content-Length of the head is that of the GET answer.
  std::string get_length = replies.substr(replies.find("Content-Length:", second), 20);
  EXPECT_NE(replies.substr(0, second).find(get_length.substr(0, get_length.find('\r'))),
            std::string::npos)
      << replies;
  std::string item = test::SendRaw(
      server_.port(), "HEAD /items/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(item.rfind("HTTP/1.1 200", 0), 0u) << item;
  EXPECT_EQ(item.find("{"), std::string::npos) << item;
  std::string post_only = test::SendRaw(
      server_.port(), "HEAD /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(post_only.rfind("HTTP/1.1 405", 0), 0u) << post_only;
}

// RFC 9112 §6.1/§6.3: a request framed by anything but a single final
// `chunked` is refused and the connection closed, so nothing after it is read
// as a second request.
TEST_F(ServerTest, TransferEncodingOtherThanChunkedIsRefusedAndClosed) {
  const std::string smuggled = "GET /items/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  struct Case {
    std::string coding;
    int status;
  };
  for (const Case& c :
       {Case{"xchunked", 400}, Case{"gzip", 400}, Case{"identity", 400}, Case{"chunked, gzip", 400},
        Case{"chunked, chunked", 400}, Case{"gzip, chunked", 501}}) {
    std::string reply =
        test::SendRaw(server_.port(),
                      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: " +
                          c.coding + "\r\n\r\n" + smuggled);
    EXPECT_EQ(reply.rfind("HTTP/1.1 " + std::to_string(c.status), 0), 0u) << c.coding << reply;
    EXPECT_NE(reply.find("Connection: close"), std::string::npos) << c.coding;
    EXPECT_EQ(reply.find("smuggled"), std::string::npos) << c.coding << reply;
    EXPECT_EQ(reply.find("HTTP/1.1", 1), std::string::npos) << c.coding << reply;
  }
  std::string two_fields =
      test::SendRaw(server_.port(),
                    "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(two_fields.rfind("HTTP/1.1 400", 0), 0u) << two_fields;
}

TEST_F(ServerTest, ChunkedBodyIsAccepted) {
  std::string reply = test::SendRaw(
      server_.port(),
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: Chunked\r\nConnection: close\r\n\r\n3\r\n[1,\r\n2\r\n2]\r\n0\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
  EXPECT_NE(reply.find("\r\n\r\n[1,2]"), std::string::npos) << reply;
}

TEST_F(ServerTest, ChunkedBodyWithBareLineFeedsIs400AtOnce) {
  // Without the check the server waits for a CRLF until its 30 s timeout;
  // the 5 s read here would then come back empty.
  std::string reply =
      test::SendRaw(server_.port(),
                    "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n3\n[1]\n0\n\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply;
  std::string long_line = test::SendRaw(
      server_.port(), "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;" +
                          std::string(5000, 'x'));
  EXPECT_EQ(long_line.rfind("HTTP/1.1 400", 0), 0u) << long_line.substr(0, 100);
}

TEST_F(ServerTest, AbsoluteFormTargetIsAccepted) {  // RFC 9112 §3.2.2
  std::string reply = test::SendRaw(
      server_.port(), "GET http://x/items/9?a=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
  EXPECT_NE(reply.find(R"("id":"9")"), std::string::npos) << reply;
  std::string root = test::SendRaw(server_.port(),
                                   "GET HTTP://x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(root.rfind("HTTP/1.1 404", 0), 0u) << root;  // "/" is routed, not refused
}

TEST_F(ServerTest, MalformedOrHostileQueryStringsAre400) {
  EXPECT_EQ(client_.Get("/items/1?min_price=%zz").status, 400);
  EXPECT_EQ(client_.Get("/items/1?q=abc%").status, 400);
  EXPECT_EQ(client_.Get("/items/1?q=%00%00%00").status, 400);
  EXPECT_EQ(client_.Get("/items/1?q=a%7Fb").status, 400);
  EXPECT_EQ(client_.Get("/items/1?a%01=b").status, 400);
  HttpResponse bad = client_.Get("/items/1?q=a%0Ab");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Header("Content-Type"), "application/problem+json");
  EXPECT_NE(bad.body.find("control character"), std::string::npos) << bad.body;
  EXPECT_EQ(client_.Get("/items/1?q=%C3%B6konomie+x&page=2").status, 200);

  std::string many;
  for (int i = 0; i < 1000; ++i) many += "p" + std::to_string(i) + "=1&";
  EXPECT_EQ(client_.Get("/items/1?" + many).status, 200);
  HttpResponse over = client_.Get("/items/1?" + many + "one=more");
  EXPECT_EQ(over.status, 400);
  EXPECT_NE(over.body.find("1000 parameters"), std::string::npos) << over.body;
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
