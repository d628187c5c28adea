// NetworkAllowlist: the set of client networks allowed to reach the service (or a part of it,
// such as the administration pages), configured as a CIDR list.
//
// Syntax: entries separated by commas, each an IPv4 or IPv6 network in CIDR form
// ("10.0.0.0/8", "2001:db8::/32") or a single address ("192.0.2.1", "::1"), with optional
// whitespace around entries. Validation is strict: IPv4 addresses are four decimal octets
// without leading zeros; the prefix length is decimal without leading zeros, at most 32 (IPv4)
// or 128 (IPv6); the address may not have bits set beyond the prefix ("10.0.0.1/8" is refused,
// since it usually means a typo); empty entries are refused. An entirely blank list is valid
// and means "no restriction".
//
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d), in the list or queried, are treated as the
// IPv4 address, so "10.0.0.0/8" matches a dual-stack socket's "::ffff:10.1.2.3"; a mapped
// network ("::ffff:10.0.0.0/104") is the IPv4 network with 96 bits fewer. An IPv6 network
// that covers ::ffff:0:0/96 (such as "::/0") therefore also covers every IPv4 address. Zone
// identifiers ("fe80::1%eth0") are not accepted.
//
// Immutable after Parse; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace cp::auth {

// An IP address in 16 bytes; IPv4 addresses use the IPv4-mapped form with is_v4 set.
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool is_v4 = false;

  // Parses a textual IPv4 or IPv6 address (strictly, as above). nullopt if malformed.
  static std::optional<IpAddress> Parse(std::string_view text);
  bool operator==(const IpAddress&) const = default;
};

class NetworkAllowlist {
 public:
  // The empty list: no restriction.
  NetworkAllowlist() = default;

  // Parses a CIDR list. InvalidArgument with field "allowed_networks" naming the first bad
  // entry and why.
  static Result<NetworkAllowlist> Parse(std::string_view list);

  // True when the list has no entries (no restriction).
  bool empty() const { return networks_.empty(); }
  size_t size() const { return networks_.size(); }

  // True if the list is empty, or `ip` (a textual address) parses and lies in one of the
  // networks. A malformed `ip` is not contained in a non-empty list.
  bool Contains(std::string_view ip) const;
  bool Contains(const IpAddress& ip) const;

 private:
  struct Network {
    IpAddress base;
    int prefix_bits = 0;  // Counted over the 16-byte form (IPv4 /8 is stored as 96 + 8).
  };
  std::vector<Network> networks_;
};

}  // namespace cp::auth
