#include "search/text.h"

#include <array>

namespace cp::search {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Latin-1 Supplement U+00C0..U+00FF: one ASCII letter each, '*' where the letter folds to two
// letters (handled separately) and '-' for the two symbols (multiplication, division).
constexpr std::string_view kLatin1 =
    "AAAAAA*CEEEEIIII"   // C0..CF (C6 = AE)
    "DNOOOOO-OUUUUY**"   // D0..DF (DE = TH, DF = ss)
    "aaaaaa*ceeeeiiii"   // E0..EF (E6 = ae)
    "dnooooo-ouuuuy*y";  // F0..FF (FE = th)

// Latin Extended-A U+0100..U+017F; '*' for the ligatures IJ and OE.
constexpr std::string_view kLatinExtA =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi**JjKkkLlLlLlLlLlNnNnNnnNnOoOoOo**RrRrRrSsSs"
    "SsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

// Latin Extended Additional: pairs (upper, lower) from U+1E00 and from U+1EA0.
constexpr std::string_view kExtAdditional1 =  // U+1E00..U+1E95, one letter per pair.
    "ABBBCDDDDDEEEEEFGHHHHHIIKKKLLLLMMMNNNNOOOOPPRRRRSSSSSTTTTUUUUUVVWWWWWXXYZZZ";
constexpr std::string_view kExtAdditional2 =  // U+1EA0..U+1EF9, one letter per pair.
    "AAAAAAAAAAAAEEEEEEEEIIOOOOOOOOOOOOUUUUUUUYYYY";

// Appends the ASCII folding of `c` to `out`; returns false if `c` has none.
bool FoldOne(char32_t c, std::u32string& out) {
  auto put = [&out](std::string_view s) {
    for (char ch : s) out.push_back(static_cast<char32_t>(ch));
    return true;
  };
  if (c >= 0xC0 && c <= 0xFF) {
    char f = kLatin1[c - 0xC0];
    if (f == '-') return false;
    if (f != '*') return put(std::string_view(&f, 1));
    switch (c) {
      case 0xC6:
        return put("AE");
      case 0xDE:
        return put("TH");
      case 0xDF:
        return put("ss");
      case 0xE6:
        return put("ae");
      case 0xFE:
        return put("th");
      default:
        return false;
    }
  }
  if (c >= 0x100 && c <= 0x17F) {
    char f = kLatinExtA[c - 0x100];
    if (f != '*') return put(std::string_view(&f, 1));
    switch (c) {
      case 0x132:
        return put("IJ");
      case 0x133:
        return put("ij");
      case 0x152:
        return put("OE");
      case 0x153:
        return put("oe");
      default:
        return false;
    }
  }
  if (c >= 0x1E00 && c <= 0x1E95) {
    const size_t i = c - 0x1E00;
    char f = kExtAdditional1[i / 2];
    if (i % 2 == 1) f = static_cast<char>(f - 'A' + 'a');
    return put(std::string_view(&f, 1));
  }
  if (c >= 0x1EA0 && c <= 0x1EF9) {
    const size_t i = c - 0x1EA0;
    char f = kExtAdditional2[i / 2];
    if (i % 2 == 1) f = static_cast<char>(f - 'A' + 'a');
    return put(std::string_view(&f, 1));
  }
  if (c >= 0x1CD && c <= 0x1DC) {  // Pinyin tone letters.
    constexpr std::string_view kPinyin = "AaIiOoUuUuUuUuUu";
    return put(kPinyin.substr(c - 0x1CD, 1));
  }
  switch (c) {
    case 0x1E96:
      return put("h");
    case 0x1E97:
      return put("t");
    case 0x1E98:
      return put("w");
    case 0x1E99:
      return put("y");
    case 0x1E9A:
      return put("a");
    case 0x1E9B:
    case 0x1E9C:
    case 0x1E9D:
      return put("s");
    case 0x1E9E:
      return put("SS");
    case 0x180:
      return put("b");
    case 0x192:
      return put("f");
    case 0x1A0:
      return put("O");
    case 0x1A1:
      return put("o");
    case 0x1AF:
      return put("U");
    case 0x1B0:
      return put("u");
    case 0x1F4:
      return put("G");
    case 0x1F5:
      return put("g");
    case 0x218:
      return put("S");
    case 0x219:
      return put("s");
    case 0x21A:
      return put("T");
    case 0x21B:
      return put("t");
    default:
      return false;
  }
}

}  // namespace

std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    }
    int len;
    char32_t cp;
    char32_t min;
    if ((b0 & 0xE0) == 0xC0) {
      len = 2, cp = b0 & 0x1Fu, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3, cp = b0 & 0x0Fu, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4, cp = b0 & 0x07u, min = 0x10000;
    } else {
      out.push_back(kReplacement);
      ++i;
      continue;
    }
    bool ok = i + static_cast<size_t>(len) <= s.size();
    for (int k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((b & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if (!ok || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(kReplacement);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += static_cast<size_t>(len);
  }
  return out;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string EncodeUtf8(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t c : cps) AppendUtf8(c, out);
  return out;
}

std::u32string FoldToAscii(std::u32string_view in) {
  std::u32string out;
  out.reserve(in.size());
  for (char32_t c : in) {
    if (c < 0x80) {
      out.push_back(c);
    } else if (c >= 0x300 && c <= 0x36F) {
      // Combining diacritical mark: dropped.
    } else if (!FoldOne(c, out)) {
      out.push_back(c);
    }
  }
  return out;
}

char32_t ToUpper(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
  if (c == 0xFF) return 0x178;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x131) return 'I';
    if (c == 0x138 || c == 0x149 || c == 0x17F) return c;
    const bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper) return (c % 2 == 0) ? c - 1 : c;
    return (c % 2 == 1) ? c - 1 : c;
  }
  if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) return c - 32;
  if (c >= 0x430 && c <= 0x44F) return c - 32;
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  return c;
}

char32_t ToLower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c == 0x178) return 0xFF;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x130) return 'i';
    if (c == 0x138 || c == 0x149 || c == 0x17F) return c;
    const bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper) return (c % 2 == 1) ? c + 1 : c;
    return (c % 2 == 0) ? c + 1 : c;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

std::u32string ToUpper(std::u32string_view in) {
  std::u32string out(in);
  for (char32_t& c : out) c = ToUpper(c);
  return out;
}

}  // namespace cp::search
