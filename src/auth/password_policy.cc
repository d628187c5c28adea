#include "auth/password_policy.h"

#include <cstdint>
#include <string>
#include <unordered_set>

namespace cp::auth {
namespace internal {
// Defined in the source generated from data/common-passwords.txt (see CMakeLists.txt).
extern const unsigned char kCommonPasswordsText[];
extern const size_t kCommonPasswordsTextSize;
}  // namespace internal

namespace {

const char kField[] = "password";

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Parses the embedded list once: one entry per line; blank lines and lines starting with '#'
// are ignored; a trailing '\r' is dropped; entries are folded to ASCII lower case.
const std::unordered_set<std::string>& CommonPasswords() {
  static const std::unordered_set<std::string>* const set = [] {
    auto* s = new std::unordered_set<std::string>();
    const std::string_view text(reinterpret_cast<const char*>(internal::kCommonPasswordsText),
                                internal::kCommonPasswordsTextSize);
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(pos, end - pos);
      pos = end + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line.front() == '#') continue;
      s->insert(AsciiLower(line));
    }
    return s;
  }();
  return *set;
}

bool IsDigitOrPunct(char c) {
  return (c >= '0' && c <= '9') || (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
         (c >= '[' && c <= '`') || (c >= '{' && c <= '~') || c == ' ';
}

}  // namespace

size_t Utf8CodePointCount(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<uint8_t>(text[i]);
    size_t extra;
    uint32_t cp;
    if (b < 0x80) {
      extra = 0;
      cp = b;
    } else if (b >= 0xc2 && b <= 0xdf) {
      extra = 1;
      cp = b & 0x1fu;
    } else if (b >= 0xe0 && b <= 0xef) {
      extra = 2;
      cp = b & 0x0fu;
    } else if (b >= 0xf0 && b <= 0xf4) {
      extra = 3;
      cp = b & 0x07u;
    } else {
      return SIZE_MAX;
    }
    if (i + extra >= text.size()) return SIZE_MAX;  // Truncated sequence.
    for (size_t k = 1; k <= extra; ++k) {
      const auto c = static_cast<uint8_t>(text[i + k]);
      if ((c & 0xc0) != 0x80) return SIZE_MAX;
      cp = (cp << 6) | (c & 0x3fu);
    }
    if ((extra == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (extra == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
      return SIZE_MAX;
    }
    i += extra + 1;
    ++count;
  }
  return count;
}

bool IsCommonPassword(std::string_view password) {
  return CommonPasswords().contains(AsciiLower(password));
}

size_t CommonPasswordCount() { return CommonPasswords().size(); }

Status CheckPasswordStrength(std::string_view password, std::string_view username) {
  const size_t length = Utf8CodePointCount(password);
  if (length == SIZE_MAX) {
    return Status::InvalidArgument("The password contains characters that cannot be read.", kField);
  }
  if (length < kMinPasswordLength) {
    return Status::InvalidArgument("Choose a password of at least 12 characters.", kField);
  }
  if (length > kMaxPasswordLength) {
    return Status::InvalidArgument("Choose a password of at most 128 characters.", kField);
  }

  const std::string lower = AsciiLower(password);

  // One code point repeated (ignoring ASCII case): compare each code point with the first.
  {
    size_t first_len = 1;
    const auto b = static_cast<uint8_t>(lower[0]);
    if (b >= 0xf0) {
      first_len = 4;
    } else if (b >= 0xe0) {
      first_len = 3;
    } else if (b >= 0xc0) {
      first_len = 2;
    }
    const std::string_view all = lower;
    const std::string_view first = all.substr(0, first_len);
    bool repeated = all.size() % first_len == 0;
    for (size_t i = 0; repeated && i < all.size(); i += first_len) {
      repeated = all.substr(i, first_len) == first;
    }
    if (repeated) {
      return Status::InvalidArgument("Choose a password that is not one character repeated.",
                                     kField);
    }
  }

  const size_t username_length = Utf8CodePointCount(username);
  if (username_length != SIZE_MAX && username_length >= kMinUsernameLengthForContainsCheck &&
      lower.find(AsciiLower(username)) != std::string::npos) {
    return Status::InvalidArgument("Choose a password that does not contain your username.",
                                   kField);
  }

  const auto& common = CommonPasswords();
  std::string_view base = lower;
  while (!base.empty() && IsDigitOrPunct(base.back())) base.remove_suffix(1);
  if (common.contains(lower) || (!base.empty() && common.contains(std::string(base)))) {
    return Status::InvalidArgument(
        "This password is too common and easy to guess. Choose a less predictable one, such "
        "as three or four random words.",
        kField);
  }
  return Status::Ok();
}

}  // namespace cp::auth
