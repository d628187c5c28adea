// Field comparisons for probabilistic record linkage: each pair of values is graded into a
// comparison level (agreement of some kind, disagreement, or missing). The levels use the
// search layer's normalisation, string metrics, phonetic codes and nickname table, so a name
// that search forgives is one the matcher forgives.
//
// All functions are pure and thread-safe. docs/matching.md lists the levels and their weights.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "domain/gender.h"

namespace cp::linkage {

// Jaro-Winkler similarity at or above which two names are "nearly the same" (typing errors).
inline constexpr double kJaroWinklerAgreement = 0.92;
// Jaro-Winkler floor for a phonetic agreement (the same floor search uses for sound-alikes), so
// that two unrelated names sharing a short Double Metaphone code do not count as agreeing.
inline constexpr double kPhoneticJaroWinklerFloor = 0.75;

// One normalised name token (see search/normalize.h) with what the comparisons need, computed
// once: code points for the string metrics and both Double Metaphone codes packed into 32 bits
// (codes have at most four ASCII characters, so packing is exact; 0 means no code).
struct NameToken {
  std::string text;
  std::u32string code_points;
  uint32_t metaphone_primary = 0;
  uint32_t metaphone_alternate = 0;
};
NameToken MakeNameToken(std::string_view normalized_token);

// The blocking code of a token: its primary Double Metaphone code, or, for a name with no code
// (another script), a hash of its text. Never 0 for a non-empty token.
uint64_t PhoneticBlockingCode(const NameToken& token);

enum class NameLevel : uint8_t {
  kExact = 0,        // Identical after normalisation.
  kNickname = 1,     // One is a nickname of the other or both of one formal name (given only).
  kJaroWinkler = 2,  // Jaro-Winkler >= kJaroWinklerAgreement.
  kPhonetic = 3,     // A shared Double Metaphone code, Jaro-Winkler >= the phonetic floor.
  kDisagree = 4,
  kMissing = 5,  // Either side unknown: neither agrees nor disagrees.
};
inline constexpr int kNameLevelCount = 6;
std::string_view NameLevelName(NameLevel level);

// Grades two tokens; the best (lowest-numbered) applicable level. `allow_nickname` is true for
// given names only.
NameLevel CompareNameTokens(const NameToken& a, const NameToken& b, bool allow_nickname);

enum class DateLevel : uint8_t {
  kExact = 0,
  kDayMonthSwap = 1,  // Same year, day and month transposed (and different).
  kOneComponent = 2,  // Exactly one of year, month, day differs.
  kDisagree = 3,
  kMissing = 4,
};
inline constexpr int kDateLevelCount = 5;
std::string_view DateLevelName(DateLevel level);
DateLevel CompareDates(const std::optional<Date>& a, const std::optional<Date>& b);

// Postcodes are compared normalised (search::NormalizePostcode). The district is the outward
// code (all but the last three characters), the sector the outward code plus the first inward
// character (all but the last two): "SW1A 1AA" has sector SW1A1 and district SW1A. Shorter,
// non-UK postcodes follow the same rule ("4223" has sector "42" and district "4").
enum class PostcodeLevel : uint8_t {
  kFull = 0,
  kSector = 1,
  kDistrict = 2,
  kDisagree = 3,
  kMissing = 4,
};
inline constexpr int kPostcodeLevelCount = 5;
std::string_view PostcodeLevelName(PostcodeLevel level);

// A normalised postcode packed into 48 bits (6 bits a character, at most eight characters; 0
// for none). Longer postcodes keep their first eight characters.
uint64_t PackPostcode(std::string_view postcode);
// The packed sector / district of a packed postcode (0 if it is too short to have one).
uint64_t PostcodeSector(uint64_t packed);
uint64_t PostcodeDistrict(uint64_t packed);
PostcodeLevel ComparePackedPostcodes(uint64_t a, uint64_t b);

enum class GenderLevel : uint8_t { kAgree = 0, kDisagree = 1, kMissing = 2 };
inline constexpr int kGenderLevelCount = 3;
std::string_view GenderLevelName(GenderLevel level);
// Only male and female are compared; not known / not specified are missing.
GenderLevel CompareGenders(domain::Gender a, domain::Gender b);

// Carers are compared by the best pair of carer names: both first and last name agreeing
// (exact, nickname or Jaro-Winkler), or only one of them.
enum class CarerLevel : uint8_t { kFullName = 0, kPartial = 1, kDisagree = 2, kMissing = 3 };
inline constexpr int kCarerLevelCount = 4;
std::string_view CarerLevelName(CarerLevel level);

// Addresses: a normalised address splits into house numbers (tokens of digits only) and street
// words (other tokens except generic ones such as "street", "road", "flat"). kFull: a house number
// and a street word agree; kStreet: a street word agrees but no number does.
enum class AddressLevel : uint8_t { kFull = 0, kStreet = 1, kDisagree = 2, kMissing = 3 };
inline constexpr int kAddressLevelCount = 4;
std::string_view AddressLevelName(AddressLevel level);
bool IsHouseNumber(std::string_view token);
// Generic street-type and dwelling words that say nothing about which street it is.
bool IsGenericAddressWord(std::string_view token);

// Identifiers (normalised to upper-case letters and digits): exact, or one typing error (one
// substitution, insertion, deletion or adjacent transposition).
enum class IdentifierLevel : uint8_t { kExact = 0, kOneEdit = 1, kDisagree = 2, kMissing = 3 };
inline constexpr int kIdentifierLevelCount = 4;
std::string_view IdentifierLevelName(IdentifierLevel level);
std::string NormalizeIdentifier(std::string_view identifier);
IdentifierLevel CompareIdentifiers(std::string_view a, std::string_view b);

}  // namespace cp::linkage
