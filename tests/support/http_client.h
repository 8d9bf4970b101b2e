#pragma once
// Test HTTP client over a real TCP socket (keep-alive, optional cookie jar)
// and raw-socket helpers for limit and timeout tests.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace bookstore::test {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  HeaderList headers;
  std::string body;
  // First value of a header (case-insensitive), "" when absent.
  std::string Header(std::string_view name) const;
  // Every value of a header (e.g. Set-Cookie).
  std::vector<std::string> Headers(std::string_view name) const;
};

class HttpClient {
 public:
  explicit HttpClient(uint16_t port, std::string host = "127.0.0.1");
  ~HttpClient();

  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::string& body = "", const HeaderList& headers = {});
  HttpResponse Get(const std::string& target, const HeaderList& headers = {});
  HttpResponse PostJson(const std::string& target, const std::string& json,
                        const HeaderList& headers = {});
  HttpResponse PutJson(const std::string& target, const std::string& json,
                       const HeaderList& headers = {});
  HttpResponse PostForm(const std::string& target, const std::string& form,
                        const HeaderList& headers = {});
  HttpResponse Delete(const std::string& target, const HeaderList& headers = {});

  // Called with every exchange (method, target, response) after it completes,
  // e.g. to check responses against an OpenAPI document.
  using Observer = std::function<void(const std::string&, const std::string&, const HttpResponse&)>;
  void SetObserver(Observer observer);

  // When on, Set-Cookie values are kept and sent back (name=value only).
  void EnableCookies(bool on = true);
  std::string Cookie(const std::string& name) const;
  void ClearCookies();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Opens a connection, writes `bytes`, reads until the peer closes or
// `timeout` passes; returns what was read ("" on timeout with no data).
std::string SendRaw(uint16_t port, const std::string& bytes,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5));

// A raw connection the test controls byte by byte.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port);
  ~RawConnection();
  bool Write(const std::string& bytes);  // false when the peer has closed
  // Reads until close or timeout; returns the bytes read.
  std::string ReadUntilClose(std::chrono::milliseconds timeout);
  // True when the peer closed the connection within `timeout`.
  bool WaitClosed(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
};

// URL-encodes a form from pairs.
std::string FormEncode(const HeaderList& fields);

}  // namespace bookstore::test
