#include "common/http/client_address.h"

#include <arpa/inet.h>

#include <cstring>
#include <optional>
#include <stdexcept>

#include "common/http/message.h"

namespace bookstore::http {
namespace {

// The 16 bytes of an IPv6 address or of an IPv4 address mapped to IPv6.
// `v4` tells which it was.
std::optional<std::array<uint8_t, 16>> ParseIp(std::string_view text, bool* v4 = nullptr) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::string s(text);
  if (s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);  // "[::1]"
  std::array<uint8_t, 16> out{};
  in_addr a4{};
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &a4, 4);
    if (v4) *v4 = true;
    return out;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    std::memcpy(out.data(), &a6, 16);
    if (v4) *v4 = false;
    return out;
  }
  return std::nullopt;
}

bool InNet(const std::array<uint8_t, 16>& address, const std::array<uint8_t, 16>& net, int prefix) {
  for (int i = 0; i < 16 && prefix > 0; ++i, prefix -= 8) {
    const int bits = prefix >= 8 ? 8 : prefix;
    const auto mask = static_cast<uint8_t>(0xff << (8 - bits));
    if ((address[i] & mask) != (net[i] & mask)) return false;
  }
  return true;
}

}  // namespace

std::string AddressSet::Check(std::string_view entry) {
  AddressSet probe;
  try {
    probe = Parse({std::string(entry)});
  } catch (const std::invalid_argument&) {
    return "an IP address or CIDR range (10.0.0.0/8, fd00::/8)";
  }
  return "";
}

AddressSet AddressSet::Parse(const std::vector<std::string>& entries) {
  AddressSet set;
  for (const std::string& raw : entries) {
    std::string_view entry = TrimBlanks(raw);
    if (entry.empty()) continue;
    const size_t slash = entry.find('/');
    bool v4 = false;
    auto bytes = ParseIp(entry.substr(0, slash), &v4);
    int prefix = 128;
    if (bytes && slash != std::string_view::npos) {
      std::string_view digits = entry.substr(slash + 1);
      int bits = digits.empty() || digits.size() > 3 ? -1 : 0;
      for (char c : digits) bits = c >= '0' && c <= '9' && bits >= 0 ? bits * 10 + (c - '0') : -1;
      const int max = v4 ? 32 : 128;
      prefix = bits < 0 || bits > max ? -1 : (v4 ? 96 + bits : bits);
    }
    if (!bytes || prefix < 0) {
      throw std::invalid_argument("not an IP address or CIDR range: '" + std::string(entry) + "'");
    }
    set.nets_.push_back(Net{*bytes, prefix});
  }
  return set;
}

bool AddressSet::Contains(std::string_view address) const {
  const auto bytes = ParseIp(TrimBlanks(address));
  if (!bytes) return false;
  for (const Net& net : nets_) {
    if (InNet(*bytes, net.bytes, net.prefix)) return true;
  }
  return false;
}

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const AddressSet& trusted) {
  std::string_view client = peer;
  if (trusted.empty() || !trusted.Contains(peer)) return std::string(client);
  while (!forwarded_for.empty()) {
    const size_t comma = forwarded_for.rfind(',');
    std::string_view hop = TrimBlanks(
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    if (!ParseIp(hop)) break;
    client = hop;
    if (!trusted.Contains(hop)) break;
  }
  return std::string(client);
}

}  // namespace bookstore::http
