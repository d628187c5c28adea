// The password strength rules for ContactPoint accounts (NCSC / NIST SP 800-63B style: length
// and a deny-list rather than composition rules).
//
// A password is refused when it:
//   - is not valid UTF-8;
//   - has fewer than 12 or more than 128 characters (Unicode code points, not bytes);
//   - is one character repeated;
//   - contains the username, ignoring ASCII case (only for usernames of 3 or more
//     characters, since a shorter one would refuse too many good passwords);
//   - is on the bundled common-password list (data/common-passwords.txt, compiled into the
//     binary), ignoring ASCII case, or is such a password followed only by digits and
//     punctuation ("Password2024!!" is refused because "password" is listed).
// Pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/status.h"

namespace cp::auth {

inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 128;
inline constexpr size_t kMinUsernameLengthForContainsCheck = 3;

// OK, or InvalidArgument with field "password" and a message telling the user what to change.
// The message never repeats the password.
Status CheckPasswordStrength(std::string_view password, std::string_view username);

// True iff `password` is on the common-password list, ignoring ASCII case (exact entry only;
// CheckPasswordStrength also strips a trailing run of digits and punctuation).
bool IsCommonPassword(std::string_view password);

// The number of distinct entries on the compiled-in list.
size_t CommonPasswordCount();

// The number of Unicode code points in `text`, or SIZE_MAX if it is not valid UTF-8
// (truncated sequences, overlong forms, surrogates and values above U+10FFFF are invalid).
size_t Utf8CodePointCount(std::string_view text);

}  // namespace cp::auth
