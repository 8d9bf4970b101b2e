#include "common/http/client_address.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace bookstore::http {
namespace {

TEST(AddressSetTest, AddressesAndRangesOfBothFamilies) {
  AddressSet set = AddressSet::Parse({"10.0.0.0/8", " 192.168.1.7 ", "fd00::/8", "::1", ""});
  EXPECT_TRUE(set.Contains("10.1.2.3"));
  EXPECT_TRUE(set.Contains("::ffff:10.1.2.3"));  // IPv4-mapped is the same address
  EXPECT_FALSE(set.Contains("11.0.0.1"));
  EXPECT_TRUE(set.Contains("192.168.1.7"));
  EXPECT_FALSE(set.Contains("192.168.1.8"));
  EXPECT_TRUE(set.Contains("fd12:3456::1"));
  EXPECT_TRUE(set.Contains("::1"));
  EXPECT_TRUE(set.Contains("[::1]"));
  EXPECT_FALSE(set.Contains("fe80::1"));
  EXPECT_FALSE(set.Contains("not an address"));
  EXPECT_TRUE(AddressSet::Parse({"0.0.0.0/0"}).Contains("8.8.8.8"));
  EXPECT_FALSE(AddressSet::Parse({"0.0.0.0/0"}).Contains("2001:db8::1"));
  EXPECT_TRUE(AddressSet::Parse({}).empty());
}

TEST(AddressSetTest, BadEntriesAreNamed) {
  for (const char* bad : {"10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0/8", "gateway",
                          "10.0.0.1/8x", "1.2.3.4/-1"}) {
    EXPECT_NE(AddressSet::Check(bad), "") << bad;
    EXPECT_THROW(AddressSet::Parse({bad}), std::invalid_argument) << bad;
  }
  EXPECT_EQ(AddressSet::Check("172.16.0.0/12"), "");
}

TEST(ClientAddressTest, ForwardedForOnlyFromTrustedPeers) {
  const AddressSet trusted = AddressSet::Parse({"10.0.0.0/8"});
  // From an untrusted peer the header is ignored (it could say anything).
  EXPECT_EQ(ClientAddress("203.0.113.9", "1.2.3.4", trusted), "203.0.113.9");
  // Through the gateway: the address it appended.
  EXPECT_EQ(ClientAddress("10.0.0.2", "198.51.100.7", trusted), "198.51.100.7");
  // A client's own forged entries sit to the left of what the proxies added.
  EXPECT_EQ(ClientAddress("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.5", trusted), "198.51.100.7");
  // All hops trusted: the left-most.
  EXPECT_EQ(ClientAddress("10.0.0.2", "10.0.0.9,10.0.0.5", trusted), "10.0.0.9");
  // Parsing stops at garbage: the last good hop counts.
  EXPECT_EQ(ClientAddress("10.0.0.2", "198.51.100.7, garbage", trusted), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", "", trusted), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", "1.2.3.4", AddressSet::Parse({})), "10.0.0.2");
}

}  // namespace
}  // namespace bookstore::http
