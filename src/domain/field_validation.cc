#include "domain/field_validation.h"

#include <cctype>

namespace cp::domain {
namespace {

// Decodes one UTF-8 code point at `i`; returns false on invalid UTF-8.
bool NextCodePoint(std::string_view s, size_t& i, uint32_t& cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + static_cast<size_t>(len) > s.size()) return false;
  cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((cc >> 6) != 0x2) return false;
    cp = (cp << 6) | (cc & 0x3Fu);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += static_cast<size_t>(len);
  return true;
}

bool IsControl(uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp < 0xA0); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status Bad(std::string_view field, std::string message) {
  return Status::InvalidArgument(std::move(message), std::string(field));
}

}  // namespace

Result<std::string> ValidateText(std::string_view text, std::string_view field, size_t max) {
  std::string_view t = Trim(text);
  if (t.size() > max) return Bad(field, "must be " + std::to_string(max) + " characters or fewer");
  size_t i = 0;
  while (i < t.size()) {
    uint32_t cp = 0;
    if (!NextCodePoint(t, i, cp)) return Bad(field, "contains characters that are not valid text");
    if (IsControl(cp)) return Bad(field, "must not contain control characters");
  }
  return std::string(t);
}

Result<std::string> ValidatePersonName(std::string_view name, std::string_view field,
                                       bool required) {
  CP_ASSIGN_OR_RETURN(std::string trimmed, ValidateText(name, field, 100));
  if (trimmed.empty()) {
    if (required) return Bad(field, "Enter a name");
    return trimmed;
  }
  // At least one letter: ASCII letters, or any non-ASCII code point (letters of other scripts;
  // we do not carry Unicode tables, and marks or symbols alone are caught by the ASCII rule).
  bool letter = false;
  size_t i = 0;
  while (i < trimmed.size()) {
    uint32_t cp = 0;
    NextCodePoint(trimmed, i, cp);
    if ((cp < 0x80 && std::isalpha(static_cast<int>(cp))) || cp >= 0xC0) letter = true;
    if (cp < 0x80 && !std::isalpha(static_cast<int>(cp)) &&
        std::string_view(" '-.,\u2019").find(static_cast<char>(cp)) == std::string_view::npos) {
      return Bad(field,
                 "Names can only include letters, spaces, hyphens, apostrophes and full stops");
    }
  }
  if (!letter) return Bad(field, "Names must include a letter");
  return trimmed;
}

Result<std::string> NormalisePostcode(std::string_view postcode, std::string_view field) {
  std::string compact;
  for (char c : postcode) {
    if (c == ' ') continue;
    compact.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  auto bad = [&] { return Bad(field, "Enter a real postcode, like SW1A 1AA"); };
  if (compact == "GIR0AA") return std::string("GIR 0AA");
  if (compact.size() < 5 || compact.size() > 7) return bad();
  std::string_view inward = std::string_view(compact).substr(compact.size() - 3);
  std::string_view outward = std::string_view(compact).substr(0, compact.size() - 3);
  auto alpha = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!digit(inward[0]) || !alpha(inward[1]) || !alpha(inward[2])) return bad();
  // Outward: A9, A99, A9A, AA9, AA99, AA9A.
  bool ok = false;
  if (outward.size() == 2) ok = alpha(outward[0]) && digit(outward[1]);
  if (outward.size() == 3) {
    ok = (alpha(outward[0]) && digit(outward[1]) && (digit(outward[2]) || alpha(outward[2]))) ||
         (alpha(outward[0]) && alpha(outward[1]) && digit(outward[2]));
  }
  if (outward.size() == 4) {
    ok = alpha(outward[0]) && alpha(outward[1]) && digit(outward[2]) &&
         (digit(outward[3]) || alpha(outward[3]));
  }
  if (!ok) return bad();
  return std::string(outward) + " " + std::string(inward);
}

Status ValidatePhone(std::string_view phone, std::string_view field) {
  std::string_view p = Trim(phone);
  std::string digits;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '+' && i == 0) {
      continue;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
      return Bad(field, "Enter a telephone number, like 01632 960 001 or +44 808 157 0192");
    }
  }
  bool international = !p.empty() && p[0] == '+';
  bool ok = international
                ? digits.size() >= 8 && digits.size() <= 15
                : !digits.empty() && digits[0] == '0' && digits.size() >= 10 && digits.size() <= 11;
  if (!ok) return Bad(field, "Enter a telephone number, like 01632 960 001 or +44 808 157 0192");
  return Status::Ok();
}

Status ValidateEmail(std::string_view email, std::string_view field) {
  std::string_view e = Trim(email);
  size_t at = e.find('@');
  bool ok = at != std::string_view::npos && at > 0 && at + 1 < e.size() && e.size() <= 254 &&
            e.find('@', at + 1) == std::string_view::npos &&
            e.find('.', at + 2) != std::string_view::npos && e.back() != '.' &&
            e.find_first_of(" \t\r\n<>\"") == std::string_view::npos;
  if (!ok) return Bad(field, "Enter an email address, like name@example.org.uk");
  return Status::Ok();
}

}  // namespace cp::domain
