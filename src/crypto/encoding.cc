#include "crypto/encoding.h"

#include <array>
#include <cstdint>

namespace cp::crypto {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Builds a reverse lookup table for an alphabet; -1 marks characters outside it.
template <size_t N>
std::array<int, 256> ReverseTable(const char (&alphabet)[N]) {
  std::array<int, 256> table;
  table.fill(-1);
  for (size_t i = 0; i + 1 < N; ++i)
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
  return table;
}

// Generic bit-packing decoder for base32/base64 style alphabets.
Result<std::string> DecodeBits(std::string_view text, const std::array<int, 256>& table,
                               int bits_per_char, bool fold_case, std::string_view what) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char raw : text) {
    if (raw == ' ' || raw == '=') continue;
    char c = raw;
    if (fold_case && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    int v = table[static_cast<unsigned char>(c)];
    if (v < 0) return Status::InvalidArgument(std::string("is not valid ") + std::string(what));
    buffer = (buffer << bits_per_char) | static_cast<uint32_t>(v);
    bits += bits_per_char;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::string EncodeBits(std::string_view bytes, const char* alphabet, int bits_per_char) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  const uint32_t mask = (1u << bits_per_char) - 1;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= bits_per_char) {
      bits -= bits_per_char;
      out.push_back(alphabet[(buffer >> bits) & mask]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (bits_per_char - bits)) & mask]);
  return out;
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

Result<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return Status::InvalidArgument("hex text has an odd length");
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexValue(hex[i]);
    int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return Status::InvalidArgument("is not valid hex");
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string Base32Encode(std::string_view bytes) { return EncodeBits(bytes, kBase32, 5); }

Result<std::string> Base32Decode(std::string_view text) {
  static const auto kTable = ReverseTable(kBase32);
  return DecodeBits(text, kTable, 5, /*fold_case=*/true, "base32");
}

std::string Base64UrlEncode(std::string_view bytes) { return EncodeBits(bytes, kBase64Url, 6); }

Result<std::string> Base64UrlDecode(std::string_view text) {
  static const auto kTable = ReverseTable(kBase64Url);
  return DecodeBits(text, kTable, 6, /*fold_case=*/false, "base64url");
}

}  // namespace cp::crypto
