#pragma once
// Who the client is behind trusted proxies (contract §6,
// BOOKSTORE_TRUSTED_PROXIES). Free of Boost; immutable after Parse, so
// thread-safe to share.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bookstore::http {

// Addresses and CIDR ranges, IPv4 and IPv6 ("10.0.0.0/8", "::1",
// "192.168.1.7"). IPv4 and IPv4-mapped IPv6 addresses are the same address.
class AddressSet {
 public:
  // Throws std::invalid_argument naming the first bad entry.
  static AddressSet Parse(const std::vector<std::string>& entries);
  // "" when `entry` is an address or CIDR range, else what was expected.
  static std::string Check(std::string_view entry);

  bool Contains(std::string_view address) const;
  bool empty() const { return nets_.empty(); }

 private:
  struct Net {
    std::array<uint8_t, 16> bytes{};
    int prefix = 128;
  };
  std::vector<Net> nets_;
};

// The client address of a request that came from `peer`: when `peer` is
// trusted, the right-most address of `forwarded_for` (the X-Forwarded-For
// values, comma separated) that is not itself trusted — or the left-most one
// when all are; parsing stops at the first entry that is not an IP address.
// From any other peer the header is ignored and the peer is the client.
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const AddressSet& trusted);

}  // namespace bookstore::http
