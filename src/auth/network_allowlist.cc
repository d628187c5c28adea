#include "auth/network_allowlist.h"

#include <arpa/inet.h>

#include <cstring>
#include <string>

namespace cp::auth {
namespace {

const char kField[] = "allowed_networks";
constexpr std::array<uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool IsMapped(const std::array<uint8_t, 16>& bytes) {
  return std::memcmp(bytes.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size()) == 0;
}

std::string_view Trim(std::string_view s) {
  const char* const kSpace = " \t\r\n";
  const size_t start = s.find_first_not_of(kSpace);
  if (start == std::string_view::npos) return {};
  const size_t end = s.find_last_not_of(kSpace);
  return s.substr(start, end - start + 1);
}

// Strict IPv4 dotted quad: four decimal octets 0..255 without leading zeros.
bool ParseV4(std::string_view text, uint8_t out[4]) {
  int part = 0;
  size_t i = 0;
  while (part < 4) {
    const size_t start = i;
    int value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + (text[i] - '0');
      if (value > 255) return false;
      ++i;
    }
    const size_t digits = i - start;
    if (digits == 0 || digits > 3 || (digits > 1 && text[start] == '0')) return false;
    out[part++] = static_cast<uint8_t>(value);
    if (part < 4) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
  }
  return i == text.size();
}

// True iff every bit of `bytes` after the first `prefix_bits` is zero.
bool HostBitsClear(const std::array<uint8_t, 16>& bytes, int prefix_bits) {
  for (int bit = prefix_bits; bit < 128; ++bit) {
    if ((bytes[static_cast<size_t>(bit / 8)] >> (7 - bit % 8)) & 1) return false;
  }
  return true;
}

bool PrefixMatches(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b,
                   int prefix_bits) {
  const size_t whole = static_cast<size_t>(prefix_bits / 8);
  if (std::memcmp(a.data(), b.data(), whole) != 0) return false;
  const int rest = prefix_bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  IpAddress ip;
  if (text.empty() || text.size() > 45) return std::nullopt;
  if (text.find(':') == std::string_view::npos) {
    uint8_t v4[4];
    if (!ParseV4(text, v4)) return std::nullopt;
    std::memcpy(ip.bytes.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size());
    std::memcpy(ip.bytes.data() + 12, v4, 4);
    ip.is_v4 = true;
    return ip;
  }
  for (char c : text) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                    c == ':' || c == '.';
    if (!ok) return std::nullopt;
  }
  // If an embedded IPv4 part is present, hold it to the same strict rules.
  const size_t last_colon = text.rfind(':');
  const std::string_view tail = text.substr(last_colon + 1);
  if (tail.find('.') != std::string_view::npos) {
    uint8_t v4[4];
    if (!ParseV4(tail, v4)) return std::nullopt;
  }
  const std::string terminated(text);
  if (inet_pton(AF_INET6, terminated.c_str(), ip.bytes.data()) != 1) return std::nullopt;
  ip.is_v4 = IsMapped(ip.bytes);
  return ip;
}

Result<NetworkAllowlist> NetworkAllowlist::Parse(std::string_view list) {
  NetworkAllowlist allowlist;
  if (Trim(list).empty()) return allowlist;
  size_t pos = 0;
  while (true) {
    const size_t comma = list.find(',', pos);
    const std::string_view raw =
        list.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    const std::string_view entry = Trim(raw);
    const std::string shown(entry.substr(0, 64));
    if (entry.empty()) {
      return Status::InvalidArgument("The network list has an empty entry.", kField);
    }
    const size_t slash = entry.find('/');
    const std::string_view address_text = entry.substr(0, slash);
    const std::optional<IpAddress> address = IpAddress::Parse(address_text);
    if (!address) {
      return Status::InvalidArgument("\"" + shown + "\" is not an IP address or network.", kField);
    }
    const bool written_v4 = address_text.find(':') == std::string_view::npos;
    const int max_bits = written_v4 ? 32 : 128;
    int bits = max_bits;
    if (slash != std::string_view::npos) {
      const std::string_view prefix = entry.substr(slash + 1);
      if (prefix.empty() || prefix.size() > 3 || (prefix.size() > 1 && prefix[0] == '0')) {
        return Status::InvalidArgument("\"" + shown + "\" has an invalid prefix length.", kField);
      }
      bits = 0;
      for (char c : prefix) {
        if (c < '0' || c > '9') {
          return Status::InvalidArgument("\"" + shown + "\" has an invalid prefix length.", kField);
        }
        bits = bits * 10 + (c - '0');
      }
      if (bits > max_bits) {
        return Status::InvalidArgument(
            "\"" + shown + "\" has a prefix length over " + std::to_string(max_bits) + ".", kField);
      }
    }
    Network network;
    network.base = *address;
    network.prefix_bits = written_v4 ? 96 + bits : bits;
    if (!HostBitsClear(network.base.bytes, network.prefix_bits)) {
      return Status::InvalidArgument(
          "\"" + shown + "\" has address bits set beyond its prefix length.", kField);
    }
    allowlist.networks_.push_back(network);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return allowlist;
}

bool NetworkAllowlist::Contains(const IpAddress& ip) const {
  if (networks_.empty()) return true;
  for (const Network& network : networks_) {
    if (PrefixMatches(network.base.bytes, ip.bytes, network.prefix_bits)) return true;
  }
  return false;
}

bool NetworkAllowlist::Contains(std::string_view ip) const {
  if (networks_.empty()) return true;
  const std::optional<IpAddress> address = IpAddress::Parse(ip);
  return address.has_value() && Contains(*address);
}

}  // namespace cp::auth
