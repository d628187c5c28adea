// Hashes and message authentication codes. Outputs are raw bytes in a std::string.
// All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace cp::crypto {

constexpr size_t kSha256Size = 32;

std::string Sha256(std::string_view data);
std::string HmacSha1(std::string_view key, std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
std::string HmacSha512(std::string_view key, std::string_view data);

// Compares two byte strings in time independent of where they differ (lengths may leak).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace cp::crypto
