// Double Metaphone, after Lawrence Philips, "The Double Metaphone Search Algorithm",
// C/C++ Users Journal, June 2000. Written from the published rules.

#include <initializer_list>
#include <string>
#include <string_view>

#include "search/phonetic.h"
#include "search/text.h"

namespace cp::search {
namespace {

constexpr size_t kMaxCode = 4;

class DoubleMetaphoneCoder {
 public:
  // `word` is upper-case A-Z with single spaces. Like the published implementation, the word is
  // padded with spaces so rules may look past its end and see a word break.
  explicit DoubleMetaphoneCoder(const std::string& word)
      : w_(word + "     "), len_(static_cast<int>(word.size())) {
    last_ = len_ == 0 ? 0 : len_ - 1;
    slavo_germanic_ = w_.find('W') != std::string::npos || w_.find('K') != std::string::npos ||
                      w_.find("CZ") != std::string::npos || w_.find("WITZ") != std::string::npos;
  }

  DoubleMetaphoneCodes Run();

 private:
  char At(int i) const {
    return i >= 0 && i < static_cast<int>(w_.size()) ? w_[static_cast<size_t>(i)] : '\0';
  }
  int Len() const { return len_; }
  bool Vowel(int i) const {
    const char c = At(i);
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y';
  }
  // True if any of `options` occurs at position `i`.
  bool Is(int i, std::initializer_list<std::string_view> options) const {
    if (i < 0) return false;
    for (std::string_view o : options) {
      if (static_cast<size_t>(i) + o.size() <= w_.size() &&
          std::string_view(w_).substr(static_cast<size_t>(i), o.size()) == o) {
        return true;
      }
    }
    return false;
  }
  void Add(std::string_view both) { Add(both, both); }
  void Add(std::string_view p, std::string_view a) {
    primary_ += p;
    alternate_ += a;
  }
  bool Germanic() const { return Is(0, {"VAN ", "VON ", "SCH"}); }

  int DoC(int i);
  int DoG(int i);
  int DoJ(int i);
  int DoS(int i);

  std::string w_;
  int len_ = 0;
  int last_ = 0;
  bool slavo_germanic_ = false;
  std::string primary_;
  std::string alternate_;
};

int DoubleMetaphoneCoder::DoC(int i) {
  // Germanic "ach" as in "Bacher", "Macher".
  if (i > 1 && !Vowel(i - 2) && Is(i - 1, {"ACH"}) && At(i + 2) != 'I' &&
      (At(i + 2) != 'E' || Is(i - 2, {"BACHER", "MACHER"}))) {
    Add("K");
    return i + 2;
  }
  if (i == 0 && Is(i, {"CAESAR"})) {
    Add("S");
    return i + 2;
  }
  if (Is(i, {"CHIA"})) {  // "Chianti".
    Add("K");
    return i + 2;
  }
  if (Is(i, {"CH"})) {
    if (i > 0 && Is(i, {"CHAE"})) {  // "Michael".
      Add("K", "X");
      return i + 2;
    }
    if (i == 0 && (Is(i + 1, {"HARAC", "HARIS", "HOR", "HYM", "HIA", "HEM"})) &&
        !Is(0, {"CHORE"})) {  // Greek roots: "chemistry", "chorus".
      Add("K");
      return i + 2;
    }
    if (Germanic() || Is(i - 2, {"ORCHES", "ARCHIT", "ORCHID"}) || Is(i + 2, {"T", "S"}) ||
        ((Is(i - 1, {"A", "O", "U", "E"}) || i == 0) &&
         Is(i + 2, {"L", "R", "N", "M", "B", "H", "F", "V", "W", " "}))) {
      Add("K");
    } else if (i > 0) {
      if (Is(0, {"MC"})) {
        Add("K");
      } else {
        Add("X", "K");
      }
    } else {
      Add("X");
    }
    return i + 2;
  }
  if (Is(i, {"CZ"}) && !Is(i - 2, {"WICZ"})) {  // "Czerny".
    Add("S", "X");
    return i + 2;
  }
  if (Is(i + 1, {"CIA"})) {  // "Focaccia".
    Add("X");
    return i + 3;
  }
  if (Is(i, {"CC"}) && !(i == 1 && At(0) == 'M')) {
    if (Is(i + 2, {"I", "E", "H"}) && !Is(i + 2, {"HU"})) {
      if ((i == 1 && At(0) == 'A') || Is(i - 1, {"UCCEE", "UCCES"})) {
        Add("KS");  // "Accident", "succeed".
      } else {
        Add("X");  // "Bacci", "Bertucci".
      }
      return i + 3;
    }
    Add("K");
    return i + 2;
  }
  if (Is(i, {"CK", "CG", "CQ"})) {
    Add("K");
    return i + 2;
  }
  if (Is(i, {"CI", "CE", "CY"})) {
    if (Is(i, {"CIO", "CIE", "CIA"})) {
      Add("S", "X");
    } else {
      Add("S");
    }
    return i + 2;
  }
  Add("K");
  if (Is(i + 1, {" C", " Q", " G"})) return i + 3;
  if (Is(i + 1, {"C", "K", "Q"}) && !Is(i + 1, {"CE", "CI"})) return i + 2;
  return i + 1;
}

int DoubleMetaphoneCoder::DoG(int i) {
  if (At(i + 1) == 'H') {
    if (i > 0 && !Vowel(i - 1)) {
      Add("K");
      return i + 2;
    }
    if (i == 0) {  // "Ghislane", "Ghiradelli".
      Add(At(i + 2) == 'I' ? "J" : "K");
      return i + 2;
    }
    // Silent after B, H, D a little earlier: "Hugh", "bough", "broughton".
    if ((i > 1 && Is(i - 2, {"B", "H", "D"})) || (i > 2 && Is(i - 3, {"B", "H", "D"})) ||
        (i > 3 && Is(i - 4, {"B", "H"}))) {
      return i + 2;
    }
    if (i > 2 && At(i - 1) == 'U' && Is(i - 3, {"C", "G", "L", "R", "T"})) {
      Add("F");  // "laugh", "cough", "tough".
    } else if (i > 0 && At(i - 1) != 'I') {
      Add("K");
    }
    return i + 2;
  }
  if (At(i + 1) == 'N') {
    if (i == 1 && Vowel(0) && !slavo_germanic_) {
      Add("KN", "N");
    } else if (!Is(i + 2, {"EY"}) && At(i + 1) != 'Y' && !slavo_germanic_) {
      Add("N", "KN");
    } else {
      Add("KN");
    }
    return i + 2;
  }
  if (Is(i + 1, {"LI"}) && !slavo_germanic_) {  // "Tagliaro".
    Add("KL", "L");
    return i + 2;
  }
  if (i == 0 && (At(i + 1) == 'Y' ||
                 Is(i + 1, {"ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER"}))) {
    Add("K", "J");
    return i + 2;
  }
  if ((Is(i + 1, {"ER"}) || At(i + 1) == 'Y') && !Is(0, {"DANGER", "RANGER", "MANGER"}) &&
      !Is(i - 1, {"E", "I"}) && !Is(i - 1, {"RGY", "OGY"})) {
    Add("K", "J");
    return i + 2;
  }
  if (Is(i + 1, {"E", "I", "Y"}) || Is(i - 1, {"AGGI", "OGGI"})) {
    if (Germanic() || Is(i + 1, {"ET"})) {
      Add("K");
    } else if (Is(i + 1, {"IER "})) {
      Add("J");
    } else {
      Add("J", "K");
    }
    return i + 2;
  }
  Add("K");
  return At(i + 1) == 'G' ? i + 2 : i + 1;
}

int DoubleMetaphoneCoder::DoJ(int i) {
  if (Is(i, {"JOSE"}) || Is(0, {"SAN "})) {
    if ((i == 0 && At(i + 4) == ' ') || Is(0, {"SAN "})) {
      Add("H");
    } else {
      Add("J", "H");
    }
    return i + 1;
  }
  if (i == 0 && !Is(i, {"JOSE"})) {
    Add("J", "A");  // "Jankelowicz".
  } else if (Vowel(i - 1) && !slavo_germanic_ && (At(i + 1) == 'A' || At(i + 1) == 'O')) {
    Add("J", "H");  // Spanish "bajador".
  } else if (i == last_) {
    Add("J", "");
  } else if (!Is(i + 1, {"L", "T", "K", "S", "N", "M", "B", "Z"}) && !Is(i - 1, {"S", "K", "L"})) {
    Add("J");
  }
  return At(i + 1) == 'J' ? i + 2 : i + 1;
}

int DoubleMetaphoneCoder::DoS(int i) {
  if (Is(i - 1, {"ISL", "YSL"})) return i + 1;  // "island", "carlisle".
  if (i == 0 && Is(i, {"SUGAR"})) {
    Add("X", "S");
    return i + 1;
  }
  if (Is(i, {"SH"})) {
    Add(Is(i + 1, {"HEIM", "HOEK", "HOLM", "HOLZ"}) ? "S" : "X");
    return i + 2;
  }
  if (Is(i, {"SIO", "SIA"})) {
    if (slavo_germanic_) {
      Add("S");
    } else {
      Add("S", "X");
    }
    return i + 3;
  }
  if ((i == 0 && Is(i + 1, {"M", "N", "L", "W"})) || Is(i + 1, {"Z"})) {
    Add("S", "X");  // "Smith" / "Schmidt", "Snider" / "Schneider".
    return Is(i + 1, {"Z"}) ? i + 2 : i + 1;
  }
  if (Is(i, {"SC"})) {
    if (At(i + 2) == 'H') {
      if (Is(i + 3, {"OO", "ER", "EN", "UY", "ED", "EM"})) {
        if (Is(i + 3, {"ER", "EN"})) {
          Add("X", "SK");  // "Schermerhorn", "Schenker".
        } else {
          Add("SK");
        }
        return i + 3;
      }
      if (i == 0 && !Vowel(3) && At(3) != 'W') {
        Add("X", "S");
      } else {
        Add("X");
      }
      return i + 3;
    }
    if (Is(i + 2, {"I", "E", "Y"})) {
      Add("S");
      return i + 3;
    }
    Add("SK");
    return i + 3;
  }
  if (i == last_ && Is(i - 2, {"AI", "OI"})) {
    Add("", "S");  // French "Artois".
  } else {
    Add("S");
  }
  return Is(i + 1, {"S", "Z"}) ? i + 2 : i + 1;
}

DoubleMetaphoneCodes DoubleMetaphoneCoder::Run() {
  int i = 0;
  if (len_ == 0) return {};
  if (Is(0, {"GN", "KN", "PN", "WR", "PS"})) i = 1;
  if (At(0) == 'X') {  // "Xavier".
    Add("S");
    i = 1;
  }
  while (i < Len() && (primary_.size() < kMaxCode || alternate_.size() < kMaxCode)) {
    const char c = At(i);
    switch (c) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        if (i == 0) Add("A");
        ++i;
        break;
      case 'B':
        Add("P");
        i += At(i + 1) == 'B' ? 2 : 1;
        break;
      case 'C':
        i = DoC(i);
        break;
      case 'D':
        if (Is(i, {"DG"})) {
          if (Is(i + 2, {"I", "E", "Y"})) {
            Add("J");  // "edge".
            i += 3;
          } else {
            Add("TK");  // "Edgar".
            i += 2;
          }
        } else {
          Add("T");
          i += Is(i, {"DT", "DD"}) ? 2 : 1;
        }
        break;
      case 'F':
        Add("F");
        i += At(i + 1) == 'F' ? 2 : 1;
        break;
      case 'G':
        i = DoG(i);
        break;
      case 'H':
        if ((i == 0 || Vowel(i - 1)) && Vowel(i + 1)) {
          Add("H");
          i += 2;
        } else {
          ++i;
        }
        break;
      case 'J':
        i = DoJ(i);
        break;
      case 'K':
        Add("K");
        i += At(i + 1) == 'K' ? 2 : 1;
        break;
      case 'L':
        if (At(i + 1) == 'L') {
          // Spanish "-illo", "-illa", "-alle": the "ll" may be silent.
          if ((i == Len() - 3 && Is(i - 1, {"ILLO", "ILLA", "ALLE"})) ||
              ((Is(last_ - 1, {"AS", "OS"}) || Is(last_, {"A", "O"})) && Is(i - 1, {"ALLE"}))) {
            Add("L", "");
            i += 2;
            break;
          }
          i += 2;
        } else {
          ++i;
        }
        Add("L");
        break;
      case 'M':
        Add("M");
        i += ((Is(i - 1, {"UMB"}) && (i + 1 == last_ || Is(i + 2, {"ER"}))) || At(i + 1) == 'M')
                 ? 2
                 : 1;
        break;
      case 'N':
        Add("N");
        i += At(i + 1) == 'N' ? 2 : 1;
        break;
      case 'P':
        if (At(i + 1) == 'H') {
          Add("F");
          i += 2;
        } else {
          Add("P");
          i += Is(i + 1, {"P", "B"}) ? 2 : 1;
        }
        break;
      case 'Q':
        Add("K");
        i += At(i + 1) == 'Q' ? 2 : 1;
        break;
      case 'R':
        if (i == last_ && !slavo_germanic_ && Is(i - 2, {"IE"}) && !Is(i - 4, {"ME", "MA"})) {
          Add("", "R");  // French "Rogier".
        } else {
          Add("R");
        }
        i += At(i + 1) == 'R' ? 2 : 1;
        break;
      case 'S':
        i = DoS(i);
        break;
      case 'T':
        if (Is(i, {"TION", "TIA", "TCH"})) {
          Add("X");
          i += 3;
        } else if (Is(i, {"TH", "TTH"})) {
          if (Is(i + 2, {"OM", "AM"}) || Germanic()) {
            Add("T");  // "Thomas", "Thames".
          } else {
            Add("0", "T");
          }
          i += 2;
        } else {
          Add("T");
          i += Is(i + 1, {"T", "D"}) ? 2 : 1;
        }
        break;
      case 'V':
        Add("F");
        i += At(i + 1) == 'V' ? 2 : 1;
        break;
      case 'W':
        if (Is(i, {"WR"})) {
          Add("R");
          i += 2;
          break;
        }
        if (i == 0 && (Vowel(i + 1) || Is(i, {"WH"}))) {
          if (Vowel(i + 1)) {
            Add("A", "F");  // "Wasserman" / "Vasserman".
          } else {
            Add("A");
          }
        }
        if ((i == last_ && Vowel(i - 1)) || Is(i - 1, {"EWSKI", "EWSKY", "OWSKI", "OWSKY"}) ||
            Is(0, {"SCH"})) {
          Add("", "F");  // Polish "Filipowicz".
          ++i;
          break;
        }
        if (Is(i, {"WICZ", "WITZ"})) {
          Add("TS", "FX");
          i += 4;
          break;
        }
        ++i;
        break;
      case 'X':
        if (!(i == last_ && (Is(i - 3, {"IAU", "EAU"}) || Is(i - 2, {"AU", "OU"})))) {
          Add("KS");  // Not French "Breaux".
        }
        i += Is(i + 1, {"C", "X"}) ? 2 : 1;
        break;
      case 'Z':
        if (At(i + 1) == 'H') {
          Add("J");  // Chinese "Zhao".
          i += 2;
          break;
        }
        if (Is(i + 1, {"ZO", "ZI", "ZA"}) || (slavo_germanic_ && i > 0 && At(i - 1) != 'T')) {
          Add("S", "TS");
        } else {
          Add("S");
        }
        i += At(i + 1) == 'Z' ? 2 : 1;
        break;
      default:
        ++i;
        break;
    }
  }
  if (primary_.size() > kMaxCode) primary_.resize(kMaxCode);
  if (alternate_.size() > kMaxCode) alternate_.resize(kMaxCode);
  return {primary_, alternate_};
}

}  // namespace

DoubleMetaphoneCodes DoubleMetaphone(std::string_view name) {
  // Fold diacritics, upper-case, keep A-Z and single spaces (some rules look at word breaks).
  std::string word;
  for (char32_t c : ToUpper(FoldToAscii(DecodeUtf8(name)))) {
    if (c >= 'A' && c <= 'Z') {
      word.push_back(static_cast<char>(c));
    } else if (c == ' ' && !word.empty() && word.back() != ' ') {
      word.push_back(' ');
    }
  }
  while (!word.empty() && word.back() == ' ') word.pop_back();
  return DoubleMetaphoneCoder(word).Run();
}

}  // namespace cp::search
