#include "search/phonetic.h"

#include <algorithm>

#include "search/text.h"

namespace cp::search {
namespace {

bool IsVowel(char32_t c) { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U'; }

std::u32string FoldedUpper(std::string_view s) { return ToUpper(FoldToAscii(DecodeUtf8(s))); }

// Soundex digit of an upper-case ASCII letter; '0' for vowels and Y, 'H' for H/W (which do
// not separate equal codes), '\0' for anything else.
char SoundexCode(char32_t c) {
  if (c < 'A' || c > 'Z') return '\0';
  constexpr std::string_view kCodes = "01230120022455012623010202";
  if (c == 'H' || c == 'W') return 'H';
  return kCodes[c - 'A'];
}

}  // namespace

std::string Soundex(std::string_view name) {
  const std::u32string s = FoldedUpper(name);
  if (s.empty()) return "";
  std::string out;
  AppendUtf8(s[0], out);
  char last = SoundexCode(s[0]);
  size_t digits = 0;
  for (size_t i = 1; i < s.size() && digits < 3; ++i) {
    const char code = SoundexCode(s[i]);
    if (code == '\0' || code == 'H') continue;
    if (code == '0') {
      last = '0';
      continue;
    }
    if (code != last) {
      out.push_back(code);
      ++digits;
    }
    last = code;
  }
  out.append(3 - digits, '0');
  return out;
}

std::string Nysiis(std::string_view name) {
  std::u32string s = ToUpper(DecodeUtf8(name));
  if (s.empty()) return "";
  auto starts = [&s](std::u32string_view p) {
    return s.size() >= p.size() && s.substr(0, p.size()) == p;
  };
  auto ends = [&s](std::u32string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
  };
  // Leading letter groups.
  if (starts(U"MAC")) {
    s.replace(0, 3, U"MCC");
  } else if (starts(U"KN")) {
    s.replace(0, 2, U"NN");
  } else if (starts(U"K")) {
    s[0] = 'C';
  } else if (starts(U"PH") || starts(U"PF")) {
    s.replace(0, 2, U"FF");
  } else if (starts(U"SCH")) {
    s.replace(0, 3, U"SSS");
  }
  // Trailing letter groups.
  if (ends(U"EE") || ends(U"IE")) {
    s.replace(s.size() - 2, 2, U"Y");
  } else if (ends(U"DT") || ends(U"RT") || ends(U"RD") || ends(U"NT") || ends(U"ND")) {
    s.replace(s.size() - 2, 2, U"D");
  }
  std::u32string key(1, s[0]);
  // True while the key ends in the S of a transcribed "SCH", which the final-S rule keeps.
  bool ends_in_sch = false;
  auto emit = [&key, &ends_in_sch](char32_t c) {
    if (key.back() != c) {
      key.push_back(c);
      ends_in_sch = false;
    }
  };
  size_t i = 1;
  while (i < s.size()) {
    const char32_t c = s[i];
    const char32_t next = i + 1 < s.size() ? s[i + 1] : U'\0';
    if (c == 'E' && next == 'V') {
      emit('A');
      emit('F');
      i += 2;
      continue;
    }
    if (IsVowel(c)) {
      emit('A');
    } else if (c == 'Q') {
      emit('G');
    } else if (c == 'Z') {
      emit('S');
    } else if (c == 'M') {
      emit('N');
    } else if (c == 'K') {
      emit(next == 'N' ? 'N' : 'C');
    } else if (c == 'S' && next == 'C' && i + 2 < s.size() && s[i + 2] == 'H') {
      emit('S');
      ends_in_sch = key.back() == 'S';
      i += 3;
      continue;
    } else if (c == 'P' && next == 'H') {
      emit('F');
      i += 2;
      continue;
    } else if (c == 'H') {
      // Kept only between two vowels; otherwise it repeats the previous letter.
      if (IsVowel(s[i - 1]) && next != U'\0' && IsVowel(next)) emit('H');
    } else if (c == 'W') {
      if (!IsVowel(s[i - 1])) emit('W');
    } else {
      emit(c);
    }
    ++i;
  }
  if (key.size() > 1 && key.back() == 'S' && !ends_in_sch) key.pop_back();
  if (key.size() > 1 && key.ends_with(U"AY")) key.replace(key.size() - 2, 2, U"Y");
  if (key.size() > 1 && key.back() == 'A') key.pop_back();
  return EncodeUtf8(key);
}

namespace {

// Metaphone of one upper-case ASCII-letter word.
std::string MetaphoneWord(std::u32string w) {
  std::string out;
  if (w.empty()) return out;
  auto starts = [&w](std::u32string_view p) { return w.substr(0, p.size()) == p; };
  // Initial letter exceptions.
  if (starts(U"AE") || starts(U"GN") || starts(U"KN") || starts(U"PN") || starts(U"WR")) {
    w.erase(0, 1);
  }
  const size_t n = w.size();
  auto at = [&w, n](size_t i) -> char32_t { return i < n ? w[i] : U'\0'; };
  auto front_vowel = [](char32_t c) { return c == 'E' || c == 'I' || c == 'Y'; };
  for (size_t i = 0; i < n; ++i) {
    const char32_t c = w[i];
    const char32_t prev = i > 0 ? w[i - 1] : U'\0';
    const char32_t next = at(i + 1);
    const char32_t next2 = at(i + 2);
    if (c == next && c != 'C') continue;  // A run is coded once, at its last letter.
    switch (c) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
        if (i == 0) out.push_back(static_cast<char>(c));
        break;
      case 'B':
        if (!(prev == 'M' && i + 1 == n)) out.push_back('B');
        break;
      case 'C':
        if (next == 'I' && next2 == 'A') {
          out.push_back('X');
        } else if (next == 'H') {
          out.push_back(prev == 'S' ? 'K' : 'X');
          ++i;
        } else if (front_vowel(next)) {
          if (prev != 'S') out.push_back('S');
        } else {
          out.push_back('K');
        }
        break;
      case 'D':
        if (next == 'G' && front_vowel(next2)) {
          out.push_back('J');
          ++i;
        } else {
          out.push_back('T');
        }
        break;
      case 'G':
        if (next == 'H' && !(i + 2 >= n || IsVowel(next2))) {
          // Silent "gh" before a consonant ("night").
        } else if (next == 'N' &&
                   (i + 2 == n || (next2 == 'E' && at(i + 3) == 'D' && i + 4 == n))) {
          // Silent in a final "gn" / "gned".
        } else if (front_vowel(next) && prev != 'G') {
          out.push_back('J');
        } else {
          out.push_back('K');
        }
        break;
      case 'H':
        if ((IsVowel(prev) && !IsVowel(next)) ||
            (prev == 'C' || prev == 'G' || prev == 'P' || prev == 'S' || prev == 'T')) {
          break;
        }
        out.push_back('H');
        break;
      case 'K':
        if (prev != 'C') out.push_back('K');
        break;
      case 'P':
        out.push_back(next == 'H' ? 'F' : 'P');
        break;
      case 'Q':
        out.push_back('K');
        break;
      case 'S':
        if (next == 'H') {
          out.push_back('X');
          ++i;
        } else if (next == 'I' && (next2 == 'O' || next2 == 'A')) {
          out.push_back('X');
        } else {
          out.push_back('S');
        }
        break;
      case 'T':
        if (next == 'I' && (next2 == 'O' || next2 == 'A')) {
          out.push_back('X');
        } else if (next == 'H') {
          out.push_back('0');
          ++i;
        } else if (!(next == 'C' && next2 == 'H')) {
          out.push_back('T');
        }
        break;
      case 'V':
        out.push_back('F');
        break;
      case 'W':
        if (i == 0 && next == 'H') {
          out.push_back('W');
          ++i;
        } else if (IsVowel(next)) {
          out.push_back('W');
        }
        break;
      case 'X':
        if (i == 0) {
          // Initial X sounds like S, except before H ("Xhosa") or "ia"/"io".
          const bool keep = next == 'H' || (next == 'I' && (next2 == 'A' || next2 == 'O'));
          out.push_back(keep ? 'X' : 'S');
        } else {
          out += "KS";
        }
        break;
      case 'Y':
        if (IsVowel(next)) out.push_back('Y');
        break;
      case 'Z':
        out.push_back('S');
        break;
      case 'F':
      case 'J':
      case 'L':
      case 'M':
      case 'N':
      case 'R':
        out.push_back(static_cast<char>(c));
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace

std::string Metaphone(std::string_view text) {
  const std::u32string s = FoldedUpper(text);
  std::string out;
  std::u32string word;
  auto flush = [&]() {
    if (word.empty()) return;
    std::string code = MetaphoneWord(word);
    word.clear();
    if (code.empty()) return;
    if (!out.empty()) out.push_back(' ');
    out += code;
  };
  for (char32_t c : s) {
    if (c == ' ') {
      flush();
    } else if (c >= 'A' && c <= 'Z') {
      word.push_back(c);
    }
  }
  flush();
  return out;
}

std::string MatchRatingCodex(std::string_view name) {
  const std::u32string s = ToUpper(DecodeUtf8(name));
  std::u32string codex;
  bool first = true;
  char32_t prev = U'\0';
  for (char32_t c : s) {
    const char32_t before = prev;
    prev = c;
    if (c == ' ') continue;
    const bool keep = first || !IsVowel(c);
    first = false;
    if (!keep) continue;
    if (c == before) continue;  // Second letter of a double ("William" -> "WLM").
    codex.push_back(c);
  }
  if (codex.size() > 6) codex = codex.substr(0, 3) + codex.substr(codex.size() - 3);
  return EncodeUtf8(codex);
}

std::optional<bool> MatchRatingCompare(std::string_view a, std::string_view b) {
  std::u32string x = DecodeUtf8(MatchRatingCodex(a));
  std::u32string y = DecodeUtf8(MatchRatingCodex(b));
  const size_t lx = x.size();
  const size_t ly = y.size();
  if ((lx > ly ? lx - ly : ly - lx) >= 3) return std::nullopt;
  const size_t sum = lx + ly;
  const size_t minimum = sum <= 4 ? 5 : sum <= 7 ? 4 : sum <= 11 ? 3 : 2;
  // Remove characters equal at the same position, first left to right, then right to left.
  auto strip = [](std::u32string& p, std::u32string& q) {
    std::u32string np, nq;
    const size_t common = std::min(p.size(), q.size());
    for (size_t i = 0; i < common; ++i) {
      if (p[i] != q[i]) {
        np.push_back(p[i]);
        nq.push_back(q[i]);
      }
    }
    np += p.substr(common);
    nq += q.substr(common);
    p = std::move(np);
    q = std::move(nq);
  };
  strip(x, y);
  std::reverse(x.begin(), x.end());
  std::reverse(y.begin(), y.end());
  strip(x, y);
  const size_t unmatched = std::max(x.size(), y.size());
  const size_t similarity = unmatched >= 6 ? 0 : 6 - unmatched;
  return similarity >= minimum;
}

}  // namespace cp::search
