// Normalisation of names and postcodes before indexing, searching and scoring.
//
// A name becomes a list of tokens: Latin diacritics folded to ASCII, lower-cased, apostrophes
// dropped ("O'Brien" -> "obrien"), every other punctuation mark or space a token break
// ("Smith-Jones" -> "smith", "jones"), "Mc" spelled "Mac" ("McDonald" -> "macdonald") and a
// detached "Mac"/"Mc"/"O" prefix joined to the next token ("Mac Donald" -> "macdonald").
// Names in other scripts are lower-cased where a simple mapping exists and otherwise kept as
// their code points. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cp::search {

// Tokens of a name, in order. Empty if the name has no letters or digits.
std::vector<std::string> NameTokens(std::string_view name);

// All tokens of a name concatenated ("Van der Berg" -> "vanderberg"); "" if none.
std::string JoinedName(std::string_view name);

// Postcode reduced to upper-case ASCII letters and digits ("sw1a 1aa" -> "SW1A1AA").
std::string NormalizePostcode(std::string_view postcode);
// The outward code of a normalised UK postcode (all but the last three characters), or "" if
// too short to have one.
std::string_view PostcodeOutward(std::string_view normalized);

}  // namespace cp::search
