// String distances and similarities over Unicode code points.
//
// Every function compares code points (so "é" is one character), is case-sensitive and
// performs no normalisation: callers normalise first (see normalize.h). The `std::string_view`
// overloads decode UTF-8. All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace cp::search {

// Levenshtein distance: insertions, deletions and substitutions, each cost 1.
size_t LevenshteinDistance(std::u32string_view a, std::u32string_view b);
size_t LevenshteinDistance(std::string_view a, std::string_view b);

// Unrestricted Damerau-Levenshtein distance (Lowrance-Wagner): Levenshtein plus transposition
// of two adjacent characters, where a transposed pair may be edited again ("ca" -> "abc" = 2).
size_t DamerauLevenshteinDistance(std::u32string_view a, std::u32string_view b);
size_t DamerauLevenshteinDistance(std::string_view a, std::string_view b);

// Optimal string alignment distance ("restricted" Damerau-Levenshtein): like the above, but no
// substring is edited more than once ("ca" -> "abc" = 3). Cheaper; used for name scoring.
size_t OsaDistance(std::u32string_view a, std::u32string_view b);
size_t OsaDistance(std::string_view a, std::string_view b);

// Jaro similarity in [0, 1]: 1 for identical strings, 0 when no characters match (and when
// exactly one string is empty; two empty strings give 1). The match window is
// max(len) / 2 - 1 (at least 0); the transposition count is half the matched characters out of
// order, rounded down (integer division, as in Winkler's strcmp95 reference code).
double JaroSimilarity(std::u32string_view a, std::u32string_view b);
double JaroSimilarity(std::string_view a, std::string_view b);

// Jaro-Winkler similarity in [0, 1]: Jaro plus 0.1 per character of common prefix (at most 4),
// applied only when the Jaro similarity exceeds 0.7 (Winkler's boost threshold).
double JaroWinklerSimilarity(std::u32string_view a, std::u32string_view b);
double JaroWinklerSimilarity(std::string_view a, std::string_view b);

}  // namespace cp::search
