#pragma once
// A minimal outbound HTTP/1.1 client for service-to-service calls (JWKS).
// Blocking: call from a worker or background thread, never an io thread.

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bookstore::http {

struct ClientResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

// GET `url` (http:// only; https is for a TLS-terminating proxy in front)
// with a total deadline of `timeout` covering resolve, connect, write and
// read; the body is capped at 1 MiB. Errors are kUnavailable with a short
// reason (never thrown).
Result<ClientResponse> HttpGet(std::string_view url, std::chrono::milliseconds timeout);

}  // namespace bookstore::http
