// WinAnsiEncoding (PDF's standard Latin text encoding, close to Windows-1252) for the standard
// Helvetica fonts. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace cp::document {

// Converts UTF-8 text to WinAnsi bytes, one byte per character:
//  - ASCII printable characters and Latin-1 letters (U+00A0..U+00FF, e.g. é, ü, ñ) are kept;
//  - the Windows-1252 extras (curly quotes, en and em dashes, bullet, euro, ...) are kept;
//  - common accented Latin Extended-A letters lose their accent (Ł -> L, ő -> o, č -> c);
//  - tabs and line breaks become spaces, other control characters are dropped;
//  - anything else (and malformed UTF-8) becomes '?'.
std::string ToWinAnsi(std::string_view utf8);

}  // namespace cp::document
