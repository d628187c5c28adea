#include "auth/csrf.h"

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cp::auth {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// A DNS name or IPv4 address: labels of letters, digits and inner hyphens, separated by
// single dots, no leading or trailing dot.
bool ValidRegName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  size_t label = 0;
  for (size_t i = 0; i < host.size(); ++i) {
    const char c = host[i];
    if (c == '.') {
      if (label == 0 || host[i - 1] == '-') return false;
      label = 0;
    } else if (IsAlnum(c) || c == '-') {
      if (c == '-' && label == 0) return false;
      if (++label > 63) return false;
    } else {
      return false;
    }
  }
  return label > 0 && host.back() != '-';
}

// A bracketed IPv6 literal such as "[::1]": hex digits, colons and dots only (a loose check;
// the exact comparison with the expected origin does the rest).
bool ValidIpLiteral(std::string_view host) {
  if (host.size() < 4 || host.front() != '[' || host.back() != ']') return false;
  for (char c : host.substr(1, host.size() - 2)) {
    if (!IsHexDigit(c) && c != ':' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::string CsrfTokenFor(std::string_view session_binding, std::string_view server_key) {
  std::string message("contactpoint-csrf-v1");
  message.push_back('\0');
  message.append(session_binding);
  return crypto::Base64UrlEncode(crypto::HmacSha256(server_key, message));
}

bool CheckCsrf(std::string_view expected, std::string_view presented) {
  if (expected.empty() || presented.empty()) return false;
  return crypto::ConstantTimeEquals(expected, presented);
}

std::optional<std::string> NormalizeOrigin(std::string_view url) {
  for (char c : url) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7f) return std::nullopt;
  }
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  std::string scheme;
  for (char c : url.substr(0, sep)) scheme.push_back(AsciiLower(c));
  std::string_view default_port;
  if (scheme == "https") {
    default_port = "443";
  } else if (scheme == "http") {
    default_port = "80";
  } else {
    return std::nullopt;
  }
  std::string_view rest = url.substr(sep + 3);
  const size_t end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;
  if (authority.find('\\') != std::string_view::npos) return std::nullopt;

  std::string_view host = authority;
  std::string_view port;
  const size_t colon = authority.rfind(':');
  const size_t bracket = authority.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5) return std::nullopt;
    int value = 0;
    for (char c : port) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) return std::nullopt;
    while (port.size() > 1 && port.front() == '0') port.remove_prefix(1);
  }
  if (!ValidRegName(host) && !ValidIpLiteral(host)) return std::nullopt;

  std::string out = scheme + "://";
  for (char c : host) out.push_back(AsciiLower(c));
  if (!port.empty() && port != default_port) {
    out.push_back(':');
    out.append(port);
  }
  return out;
}

bool OriginAllowed(std::string_view header, std::string_view expected_origin) {
  const std::optional<std::string> presented = NormalizeOrigin(header);
  const std::optional<std::string> expected = NormalizeOrigin(expected_origin);
  return presented.has_value() && expected.has_value() && *presented == *expected;
}

bool RequestOriginAllowed(std::optional<std::string_view> origin_header,
                          std::optional<std::string_view> referer_header,
                          std::string_view expected_origin) {
  if (origin_header.has_value()) return OriginAllowed(*origin_header, expected_origin);
  if (referer_header.has_value()) return OriginAllowed(*referer_header, expected_origin);
  return false;
}

}  // namespace cp::auth
