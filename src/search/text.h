// Text helpers for the search layer: UTF-8 decoding, Latin diacritic folding and simple case
// mapping over Unicode code points.
//
// All functions are pure and thread-safe. Invalid UTF-8 bytes decode to U+FFFD; nothing here
// fails.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cp::search {

// Decodes UTF-8 into code points. Each invalid or truncated sequence becomes one U+FFFD.
std::u32string DecodeUtf8(std::string_view utf8);
// Encodes code points as UTF-8. Surrogates and values above U+10FFFF become U+FFFD.
std::string EncodeUtf8(std::u32string_view code_points);
void AppendUtf8(char32_t cp, std::string& out);

// Folds Latin letters with diacritics to ASCII, preserving case: "é" -> "e", "Ł" -> "L",
// "ß" -> "ss", "Æ" -> "AE", "Þ" -> "TH". Covers Latin-1 Supplement, Latin Extended-A, the
// common letters of Latin Extended-B and Latin Extended Additional (Vietnamese, "ẗ"...), and
// drops combining diacritical marks (U+0300..U+036F), so decomposed input folds the same way.
// Code points of other scripts are kept unchanged.
std::u32string FoldToAscii(std::u32string_view in);

// Simple (one-to-one) case mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic.
// Other code points are returned unchanged.
char32_t ToUpper(char32_t c);
char32_t ToLower(char32_t c);
std::u32string ToUpper(std::u32string_view in);

inline bool IsAsciiAlpha(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }

}  // namespace cp::search
