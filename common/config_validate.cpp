// Finalize(): derived defaults and validation of CommonConfig.

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "common/config.h"
#include "common/http/client_address.h"

namespace bookstore {
namespace {

[[noreturn]] void Invalid(const std::string& env, const std::string& value,
                          const std::string& expected) {
  throw ConfigError("invalid " + env + " '" + value + "': expected " + expected);
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Hides a password in "scheme://user:password@host" before it is printed.
std::string RedactUrl(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const size_t at = url.find('@', scheme_end + 3);
  const size_t slash = url.find('/', scheme_end + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  const size_t colon = url.find(':', scheme_end + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
}

// host or [ipv6] with an optional :port, nothing else.
bool IsHostPort(const std::string& s) {
  std::string host = s;
  std::string port;
  if (StartsWith(s, "[")) {
    const size_t close = s.find(']');
    if (close == std::string::npos) return false;
    host = s.substr(1, close - 1);
    in6_addr addr{};
    if (inet_pton(AF_INET6, host.c_str(), &addr) != 1) return false;
    const std::string rest = s.substr(close + 1);
    if (rest.empty()) return true;
    if (rest[0] != ':') return false;
    port = rest.substr(1);
  } else {
    const size_t colon = s.find(':');
    if (colon != std::string::npos) {
      host = s.substr(0, colon);
      port = s.substr(colon + 1);
      if (port.empty()) return false;
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(), IsHostChar)) return false;
    if (host.front() == '.' || host.front() == '-' || host.find("..") != std::string::npos) {
      return false;
    }
  }
  if (port.empty()) return s.back() != ':';
  if (port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return false;
  const int p = std::stoi(port);
  return p >= 1 && p <= 65535;
}

bool IsBindAddress(const std::string& a) {
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, a.c_str(), &v4) == 1 || inet_pton(AF_INET6, a.c_str(), &v6) == 1) {
    return true;
  }
  return !a.empty() && a.find(':') == std::string::npos && IsHostPort(a);
}

// Splits "http(s)://rest" into rest; empty optional-like result when not http(s).
bool StripHttpScheme(const std::string& url, std::string& rest) {
  for (const char* scheme : {"http://", "https://"}) {
    if (StartsWith(url, scheme)) {
      rest = url.substr(std::string(scheme).size());
      return true;
    }
  }
  return false;
}

void CheckDatabaseUrl(const std::string& url) {
  const char* expected = "sqlite:PATH or postgresql://...";
  if (StartsWith(url, "sqlite:")) {
    std::string path = url.substr(7);
    if (StartsWith(path, "//")) path = path.substr(2);
    if (path.empty()) Invalid("BOOKSTORE_DATABASE_URL", url, expected);
    return;
  }
  for (const char* scheme : {"postgresql://", "postgres://"}) {
    if (StartsWith(url, scheme)) return;  // libpq validates the rest when connecting
  }
  Invalid("BOOKSTORE_DATABASE_URL", RedactUrl(url), expected);
}

}  // namespace

std::string CheckHttpUrl(const std::string& value) {
  const char* expected = "an absolute http(s) URL without query or fragment";
  std::string rest;
  if (!StripHttpScheme(value, rest)) return expected;
  if (value.find_first_of(" \t\r\n?#") != std::string::npos) return expected;
  const size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  if (authority.find('@') != std::string::npos || !IsHostPort(authority)) return expected;
  return "";
}

std::string CheckCorsOrigin(const std::string& value) {
  const char* expected = "origins like http(s)://host[:port] (no path), comma separated";
  std::string rest;
  if (!StripHttpScheme(value, rest) || !IsHostPort(rest)) return expected;
  return "";
}

void Finalize(CommonConfig& c) {
  if (c.data_dir.empty()) Invalid("BOOKSTORE_DATA_DIR", c.data_dir, "a folder path");
  if (c.database_url.empty()) c.database_url = "sqlite:" + c.data_dir + "/bookstore.db";
  CheckDatabaseUrl(c.database_url);

  static const char* const kLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
  if (std::find(std::begin(kLevels), std::end(kLevels), c.log_level) == std::end(kLevels)) {
    Invalid("LOG_LEVEL", c.log_level, "trace, debug, info, warn, error or off");
  }
  for (const auto& origin : c.cors_origins) {
    if (const std::string e = CheckCorsOrigin(origin); !e.empty()) {
      Invalid("BOOKSTORE_CORS_ORIGINS", origin, e);
    }
  }
  for (const auto& proxy : c.trusted_proxies) {
    if (const std::string e = http::AddressSet::Check(proxy); !e.empty()) {
      Invalid("BOOKSTORE_TRUSTED_PROXIES", proxy, e);
    }
  }
  if (!IsBindAddress(c.bind_address)) {
    Invalid("BOOKSTORE_BIND_ADDRESS", c.bind_address, "an IP address or host name");
  }
  if (c.io_threads < 0 || c.io_threads > 1024) {
    Invalid("BOOKSTORE_IO_THREADS", std::to_string(c.io_threads), "an integer in [0, 1024]");
  }
  if (c.worker_threads < 0 || c.worker_threads > 1024) {
    Invalid("BOOKSTORE_WORKER_THREADS", std::to_string(c.worker_threads),
            "an integer in [0, 1024]");
  }
  if (c.header_timeout_ms <= 0) {
    Invalid("BOOKSTORE_HEADER_TIMEOUT_MS", std::to_string(c.header_timeout_ms),
            "a positive integer");
  }
  if (c.idle_timeout_ms <= 0) {
    Invalid("BOOKSTORE_IDLE_TIMEOUT_MS", std::to_string(c.idle_timeout_ms), "a positive integer");
  }
  if (c.password_cost.ops < 1) {
    Invalid("PASSWORD_HASH_OPS", std::to_string(c.password_cost.ops), "an integer >= 1");
  }
  if (c.password_cost.mem_bytes < 8 * 1024) {
    Invalid("PASSWORD_HASH_MEM_KIB", std::to_string(c.password_cost.mem_bytes / 1024),
            "an integer >= 8");
  }
  if (const std::string e = CheckHttpUrl(c.issuer); !e.empty()) Invalid("AUTH_ISSUER", c.issuer, e);
  if (c.audience.empty() || c.audience.find_first_of(" \t\r\n") != std::string::npos) {
    Invalid("AUTH_AUDIENCE", c.audience, "a non-empty string without spaces");
  }
}

}  // namespace bookstore
