#include "search/normalize.h"

#include "search/text.h"

namespace cp::search {
namespace {

bool IsApostrophe(char32_t c) {
  return c == '\'' || c == '`' || c == 0xB4 || c == 0x2018 || c == 0x2019 || c == 0x02BC ||
         c == 0x02B9;
}

// True for characters that separate tokens: ASCII non-alphanumerics, Latin-1 punctuation and
// symbols, general punctuation (dashes, spaces), ideographic space and full-width hyphen.
bool IsBreak(char32_t c) {
  if (c < 0x80) return !IsAsciiAlpha(c) && !IsAsciiDigit(c);
  if (c < 0xC0) return true;
  if (c == 0xD7 || c == 0xF7) return true;
  if (c >= 0x2000 && c <= 0x206F) return true;
  return c == 0x3000 || c == 0xFF0D || c == 0xFFFD;
}

}  // namespace

std::vector<std::string> NameTokens(std::string_view name) {
  const std::u32string folded = FoldToAscii(DecodeUtf8(name));
  std::vector<std::string> raw;
  std::string current;
  for (char32_t c : folded) {
    if (IsApostrophe(c)) continue;
    if (IsBreak(c)) {
      if (!current.empty()) raw.push_back(std::move(current));
      current.clear();
      continue;
    }
    AppendUtf8(ToLower(c), current);
  }
  if (!current.empty()) raw.push_back(std::move(current));

  std::vector<std::string> tokens;
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string t = raw[i];
    const bool prefix = t == "mc" || t == "mac" || t == "o";
    if (prefix && i + 1 < raw.size()) {
      t = (t == "o" ? "o" : "mac") + raw[++i];
    }
    if (t.size() > 2 && t.starts_with("mc")) t = "mac" + t.substr(2);
    tokens.push_back(std::move(t));
  }
  return tokens;
}

std::string JoinedName(std::string_view name) {
  std::string out;
  for (const std::string& t : NameTokens(name)) out += t;
  return out;
}

std::string NormalizePostcode(std::string_view postcode) {
  std::string out;
  for (char c : postcode) {
    if (c >= 'a' && c <= 'z') {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view PostcodeOutward(std::string_view normalized) {
  if (normalized.size() < 5) return {};
  return normalized.substr(0, normalized.size() - 3);
}

}  // namespace cp::search
