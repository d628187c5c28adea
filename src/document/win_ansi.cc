#include "document/win_ansi.h"

#include <cstdint>

namespace cp::document {
namespace {

// Decodes one UTF-8 sequence at `pos`; returns the code point and advances `pos`, or returns
// -1 (and skips one byte) when the bytes are not valid UTF-8.
int32_t DecodeOne(std::string_view s, size_t& pos) {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  uint8_t b0 = byte(pos);
  int length = b0 < 0x80           ? 1
               : (b0 >> 5) == 0x6  ? 2
               : (b0 >> 4) == 0xE  ? 3
               : (b0 >> 3) == 0x1E ? 4
                                   : 0;
  if (length == 0 || pos + length > s.size()) {
    ++pos;
    return -1;
  }
  int32_t cp = length == 1   ? b0
               : length == 2 ? (b0 & 0x1F)
               : length == 3 ? (b0 & 0x0F)
                             : (b0 & 0x07);
  for (int i = 1; i < length; ++i) {
    uint8_t b = byte(pos + i);
    if ((b & 0xC0) != 0x80) {
      ++pos;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr int32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  pos += length;
  if (cp < kMinimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  return cp;
}

// The Windows-1252 characters in 0x80..0x9F, by code point.
struct Extra {
  int32_t code_point;
  char byte;
};
constexpr Extra kExtras[] = {
    {0x20AC, '\x80'}, {0x201A, '\x82'}, {0x0192, '\x83'}, {0x201E, '\x84'}, {0x2026, '\x85'},
    {0x2020, '\x86'}, {0x2021, '\x87'}, {0x02C6, '\x88'}, {0x2030, '\x89'}, {0x0160, '\x8A'},
    {0x2039, '\x8B'}, {0x0152, '\x8C'}, {0x017D, '\x8E'}, {0x2018, '\x91'}, {0x2019, '\x92'},
    {0x201C, '\x93'}, {0x201D, '\x94'}, {0x2022, '\x95'}, {0x2013, '\x96'}, {0x2014, '\x97'},
    {0x02DC, '\x98'}, {0x2122, '\x99'}, {0x0161, '\x9A'}, {0x203A, '\x9B'}, {0x0153, '\x9C'},
    {0x017E, '\x9E'}, {0x0178, '\x9F'},
};

// Latin Extended-A (U+0100..U+017F) without its accents, in code point order.
constexpr std::string_view kLatinExtendedA =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSs"
    "SsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

char Map(int32_t cp) {
  if (cp == '\t' || cp == '\n' || cp == '\r') return ' ';
  if (cp >= 0x20 && cp < 0x7F) return static_cast<char>(cp);
  if (cp >= 0xA0 && cp <= 0xFF) return static_cast<char>(static_cast<uint8_t>(cp));
  for (const Extra& e : kExtras) {
    if (e.code_point == cp) return e.byte;
  }
  if (cp >= 0x100 && cp < 0x100 + static_cast<int32_t>(kLatinExtendedA.size())) {
    return kLatinExtendedA[static_cast<size_t>(cp - 0x100)];
  }
  if (cp >= 0 && cp < 0x20) return '\0';  // Dropped.
  return '?';
}

}  // namespace

std::string ToWinAnsi(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t pos = 0;
  while (pos < utf8.size()) {
    int32_t cp = DecodeOne(utf8, pos);
    char c = cp < 0 ? '?' : Map(cp);
    if (c != '\0') out += c;
  }
  return out;
}

}  // namespace cp::document
