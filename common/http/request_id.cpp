#include <random>

#include "common/http/deferred.h"
#include "common/http/middleware.h"

namespace bookstore::http::internal {

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string NewRequestId() {
  // Unique, not secret: a per-thread generator seeded from the OS is enough.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int half = 0; half < 2; ++half) {
    uint64_t bits = generator();
    for (int i = 0; i < 16; ++i) {
      id[half * 16 + i] = kHex[bits & 0xF];
      bits >>= 4;
    }
  }
  return id;
}

Middleware RequestIdMiddleware() {
  return [](Request& request, const Handler& next) {
    const std::string* sent = request.headers.Get("X-Request-Id");
    request.request_id = sent && IsSaneRequestId(*sent) ? *sent : NewRequestId();
    Response response = next(request);
    OnAnswer(response, [&request](Response& answer) {
      answer.headers.Set("X-Request-Id", request.request_id);
    });
    return response;
  };
}

}  // namespace bookstore::http::internal
