// Text encodings of binary data: hex, RFC 4648 base32 and base64url.
// All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace cp::crypto {

// Lower-case hex.
std::string HexEncode(std::string_view bytes);
// Accepts upper or lower case; InvalidArgument on odd length or a non-hex digit.
Result<std::string> HexDecode(std::string_view hex);

// RFC 4648 base32 (A-Z2-7) without padding, as authenticator apps expect for TOTP keys.
std::string Base32Encode(std::string_view bytes);
// Case-insensitive; ignores spaces and trailing '=' padding. InvalidArgument otherwise.
Result<std::string> Base32Decode(std::string_view text);

// RFC 4648 base64url without padding.
std::string Base64UrlEncode(std::string_view bytes);
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace cp::crypto
