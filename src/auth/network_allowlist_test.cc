#include "auth/network_allowlist.h"

#include <gtest/gtest.h>

namespace cp::auth {
namespace {

NetworkAllowlist MustParse(std::string_view list) {
  Result<NetworkAllowlist> parsed = NetworkAllowlist::Parse(list);
  EXPECT_TRUE(parsed.ok()) << list << ": " << parsed.status().ToString();
  return parsed.ok() ? *parsed : NetworkAllowlist();
}

TEST(IpAddressTest, ParsesStrictly) {
  EXPECT_TRUE(IpAddress::Parse("0.0.0.0").has_value());
  EXPECT_TRUE(IpAddress::Parse("255.255.255.255").has_value());
  EXPECT_TRUE(IpAddress::Parse("10.1.2.3")->is_v4);
  EXPECT_FALSE(IpAddress::Parse("::1")->is_v4);
  EXPECT_TRUE(IpAddress::Parse("::ffff:10.1.2.3")->is_v4);
  EXPECT_EQ(IpAddress::Parse("::ffff:10.1.2.3"), IpAddress::Parse("10.1.2.3"));
  EXPECT_EQ(IpAddress::Parse("::FFFF:0a01:0203"), IpAddress::Parse("10.1.2.3"));
  EXPECT_EQ(IpAddress::Parse("2001:DB8::1"), IpAddress::Parse("2001:db8:0:0:0:0:0:1"));
  for (std::string_view bad : {"",
                               "1.2.3",
                               "1.2.3.4.5",
                               "256.1.1.1",
                               "01.2.3.4",
                               "1.2.3.04",
                               "1..2.3",
                               "1.2.3.4 ",
                               " 1.2.3.4",
                               "-1.2.3.4",
                               "1.2.3.4/32",
                               "0x1.2.3.4",
                               "1234",
                               ":::",
                               "1::2::3",
                               "2001:db8::g",
                               "fe80::1%eth0",
                               "::ffff:01.2.3.4",
                               "::ffff:1.2.3",
                               "[::1]",
                               "1:2:3:4:5:6:7:8:9",
                               "localhost"}) {
    EXPECT_FALSE(IpAddress::Parse(bad).has_value()) << bad;
  }
}

TEST(NetworkAllowlistTest, EmptyListAllowsEverything) {
  for (std::string_view blank : {"", "   ", "\n\t "}) {
    NetworkAllowlist list = MustParse(blank);
    EXPECT_TRUE(list.empty());
    EXPECT_TRUE(list.Contains("10.1.2.3"));
    EXPECT_TRUE(list.Contains("2001:db8::1"));
    EXPECT_TRUE(list.Contains("not an address"));
  }
  EXPECT_TRUE(NetworkAllowlist().Contains("1.2.3.4"));
}

TEST(NetworkAllowlistTest, MatchesMixedList) {
  NetworkAllowlist list = MustParse("10.0.0.0/8, 192.168.1.0/24, ::1/128");
  EXPECT_EQ(list.size(), 3u);
  EXPECT_TRUE(list.Contains("10.0.0.0"));
  EXPECT_TRUE(list.Contains("10.255.255.255"));
  EXPECT_FALSE(list.Contains("11.0.0.0"));
  EXPECT_FALSE(list.Contains("9.255.255.255"));
  EXPECT_TRUE(list.Contains("192.168.1.0"));
  EXPECT_TRUE(list.Contains("192.168.1.255"));
  EXPECT_FALSE(list.Contains("192.168.2.1"));
  EXPECT_FALSE(list.Contains("192.168.0.255"));
  EXPECT_TRUE(list.Contains("::1"));
  EXPECT_FALSE(list.Contains("::2"));
  EXPECT_FALSE(list.Contains("::"));
  // Malformed input is never contained.
  EXPECT_FALSE(list.Contains(""));
  EXPECT_FALSE(list.Contains("10.0.0.1 "));
  EXPECT_FALSE(list.Contains("garbage"));
}

TEST(NetworkAllowlistTest, Ipv4MappedAddressesAreIpv4) {
  NetworkAllowlist list = MustParse("10.0.0.0/8");
  EXPECT_TRUE(list.Contains("::ffff:10.1.2.3"));
  EXPECT_FALSE(list.Contains("::ffff:11.1.2.3"));
  EXPECT_FALSE(list.Contains("::10.1.2.3"));  // Deprecated IPv4-compatible form: not mapped.
  NetworkAllowlist mapped = MustParse("::ffff:192.168.0.0/112");
  EXPECT_TRUE(mapped.Contains("192.168.4.5"));
  EXPECT_FALSE(mapped.Contains("192.169.0.1"));
}

TEST(NetworkAllowlistTest, PrefixBoundaries) {
  NetworkAllowlist all_v4 = MustParse("0.0.0.0/0");
  EXPECT_TRUE(all_v4.Contains("1.2.3.4"));
  EXPECT_TRUE(all_v4.Contains("255.255.255.255"));
  EXPECT_FALSE(all_v4.Contains("2001:db8::1"));
  NetworkAllowlist all_v6 = MustParse("::/0");
  EXPECT_TRUE(all_v6.Contains("2001:db8::1"));
  EXPECT_TRUE(all_v6.Contains("1.2.3.4"));  // ::ffff:0:0/96 lies inside ::/0.
  NetworkAllowlist host = MustParse("203.0.113.7/32");
  EXPECT_TRUE(host.Contains("203.0.113.7"));
  EXPECT_FALSE(host.Contains("203.0.113.6"));
  EXPECT_FALSE(host.Contains("203.0.113.8"));
  NetworkAllowlist bare = MustParse("203.0.113.7, 2001:db8::7");
  EXPECT_TRUE(bare.Contains("203.0.113.7"));
  EXPECT_FALSE(bare.Contains("203.0.113.70"));
  EXPECT_TRUE(bare.Contains("2001:db8::7"));
  EXPECT_FALSE(bare.Contains("2001:db8::8"));
  NetworkAllowlist odd = MustParse("172.16.0.0/12, 2001:db8:8000::/33");
  EXPECT_TRUE(odd.Contains("172.31.255.255"));
  EXPECT_FALSE(odd.Contains("172.32.0.0"));
  EXPECT_FALSE(odd.Contains("172.15.255.255"));
  EXPECT_TRUE(odd.Contains("2001:db8:ffff::1"));
  EXPECT_FALSE(odd.Contains("2001:db8:7fff::1"));
  NetworkAllowlist v6host = MustParse("2001:db8::1/128");
  EXPECT_TRUE(v6host.Contains("2001:db8::1"));
  EXPECT_FALSE(v6host.Contains("2001:db8::"));
}

TEST(NetworkAllowlistTest, RejectsBadLists) {
  for (std::string_view bad : {"10.0.0.1/8",
                               "192.168.1.1/24",
                               "2001:db8::1/64",
                               "10.0.0.0/33",
                               "::/129",
                               "10.0.0.0/",
                               "10.0.0.0/08",
                               "10.0.0.0/-1",
                               "10.0.0.0/8/8",
                               "10.0.0.0/ 8",
                               "10.0.0.0 /8",
                               "10.0.0.0/8,",
                               ",10.0.0.0/8",
                               "10.0.0.0/8,,::1",
                               "10.0.0.0/8 192.168.0.0/16",
                               "garbage",
                               "10.0.0.256/32",
                               "010.0.0.0/8",
                               "fe80::/10%eth0",
                               "*",
                               "10.0.0.0/8;",
                               "::ffff:10.0.0.1/104",
                               "10.0.0.0/1000"}) {
    Result<NetworkAllowlist> parsed = NetworkAllowlist::Parse(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().field(), "allowed_networks");
  }
  Result<NetworkAllowlist> parsed = NetworkAllowlist::Parse("10.0.0.0/8, 10.0.0.1/8");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("10.0.0.1/8"), std::string::npos);
}

TEST(NetworkAllowlistTest, ToleratesWhitespaceAroundEntries) {
  NetworkAllowlist list = MustParse("  10.0.0.0/8 ,\n192.168.1.0/24\t,::1  ");
  EXPECT_EQ(list.size(), 3u);
  EXPECT_TRUE(list.Contains("192.168.1.9"));
}

}  // namespace
}  // namespace cp::auth
