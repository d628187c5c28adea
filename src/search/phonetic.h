// Phonetic codes for names. Inputs and outputs are UTF-8; all functions are pure and
// thread-safe.
//
// Variants (checked against the independent vectors in shared/data/string-metrics):
//  - Soundex and Metaphone first fold Latin diacritics to ASCII ("çáŕẗéř" sounds like
//    "carter"); NYSIIS and Match Rating only upper-case, so letters outside A-Z pass through
//    as themselves.
//  - NYSIIS is the original algorithm without the 6-character truncation; the final-S rule
//    does not remove the S of a transcribed "SCH" ("Bosch" -> "BAS").
//  - Match Rating drops the second of two adjacent equal letters of the name ("William");
//    equal letters separated by a vowel or space both stay ("Maria Rio" -> "MRR").
//  - Metaphone codes each space-separated word and joins the codes with one space; "0" stands
//    for "th". A letter doubled is coded once (the last of the run, except "cc").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cp::search {

// American Soundex: first letter plus three digits ("Tymczak" -> "T522"); "" for "".
// H and W do not separate letters with the same code; vowels do.
std::string Soundex(std::string_view name);

// New York State Identification and Intelligence System code ("Catherine" -> "CATARAN").
std::string Nysiis(std::string_view name);

// Lawrence Philips' original Metaphone ("Thompson" -> "TMSN").
std::string Metaphone(std::string_view text);

// Western Airlines Match Rating Approach codex: upper-cased, spaces dropped, vowels dropped
// except a leading one, the second of two adjacent equal letters dropped, then first three +
// last three if longer than 6.
std::string MatchRatingCodex(std::string_view name);

// Match Rating comparison: true if the names sound alike, false if not, nullopt when the
// codices differ in length by 3 or more (the method then makes no judgement).
std::optional<bool> MatchRatingCompare(std::string_view a, std::string_view b);

// Double Metaphone (Philips 2000): a primary and an alternate code of at most 4 characters
// each ("Smith" -> {"SM0", "XMT"}, "Schmidt" -> {"XMT", "SMT"}). Letters outside A-Z (after
// folding diacritics) are skipped, so a name in another script has empty codes.
struct DoubleMetaphoneCodes {
  std::string primary;
  std::string alternate;
};
DoubleMetaphoneCodes DoubleMetaphone(std::string_view name);

}  // namespace cp::search
