#include "linkage/comparison.h"

#include <string>

#include "search/nicknames.h"
#include "search/normalize.h"
#include "search/phonetic.h"
#include "search/string_metrics.h"
#include "search/text.h"

namespace cp::linkage {
namespace {

uint32_t PackMetaphone(std::string_view code) {
  uint32_t packed = 0;
  for (size_t i = 0; i < code.size() && i < 4; ++i) {
    packed |= static_cast<uint32_t>(static_cast<uint8_t>(code[i])) << (8 * i);
  }
  return packed;
}

// FNV-1a; only for tokens without a phonetic code.
uint64_t HashText(std::string_view text) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : text) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

bool SharePhoneticCode(const NameToken& a, const NameToken& b) {
  auto shares = [](uint32_t code, const NameToken& t) {
    return code != 0 && (code == t.metaphone_primary || code == t.metaphone_alternate);
  };
  return shares(a.metaphone_primary, b) || shares(a.metaphone_alternate, b);
}

int PostcodeLength(uint64_t packed) {
  int n = 0;
  while (n < 8 && ((packed >> (6 * n)) & 63) != 0) ++n;
  return n;
}

uint64_t PostcodePrefix(uint64_t packed, int drop) {
  int n = PostcodeLength(packed) - drop;
  if (n <= 0) return 0;
  return packed & ((uint64_t{1} << (6 * n)) - 1);
}

}  // namespace

NameToken MakeNameToken(std::string_view normalized_token) {
  NameToken t;
  t.text = std::string(normalized_token);
  t.code_points = search::DecodeUtf8(normalized_token);
  search::DoubleMetaphoneCodes codes = search::DoubleMetaphone(normalized_token);
  t.metaphone_primary = PackMetaphone(codes.primary);
  t.metaphone_alternate = PackMetaphone(codes.alternate);
  return t;
}

uint64_t PhoneticBlockingCode(const NameToken& token) {
  if (token.metaphone_primary != 0) return token.metaphone_primary;
  if (token.text.empty()) return 0;
  return HashText(token.text) | (uint64_t{1} << 63);  // Never collides with a packed code.
}

std::string_view NameLevelName(NameLevel level) {
  switch (level) {
    case NameLevel::kExact:
      return "exact";
    case NameLevel::kNickname:
      return "nickname";
    case NameLevel::kJaroWinkler:
      return "jaro_winkler";
    case NameLevel::kPhonetic:
      return "phonetic";
    case NameLevel::kDisagree:
      return "disagree";
    case NameLevel::kMissing:
      return "missing";
  }
  return "?";
}

NameLevel CompareNameTokens(const NameToken& a, const NameToken& b, bool allow_nickname) {
  if (a.text.empty() || b.text.empty()) return NameLevel::kMissing;
  if (a.text == b.text) return NameLevel::kExact;
  if (allow_nickname && search::AreNicknameRelated(a.text, b.text)) return NameLevel::kNickname;
  double jw = search::JaroWinklerSimilarity(a.code_points, b.code_points);
  if (jw >= kJaroWinklerAgreement) return NameLevel::kJaroWinkler;
  if (jw >= kPhoneticJaroWinklerFloor && SharePhoneticCode(a, b)) return NameLevel::kPhonetic;
  return NameLevel::kDisagree;
}

std::string_view DateLevelName(DateLevel level) {
  switch (level) {
    case DateLevel::kExact:
      return "exact";
    case DateLevel::kDayMonthSwap:
      return "day_month_swap";
    case DateLevel::kOneComponent:
      return "one_component";
    case DateLevel::kDisagree:
      return "disagree";
    case DateLevel::kMissing:
      return "missing";
  }
  return "?";
}

DateLevel CompareDates(const std::optional<Date>& a, const std::optional<Date>& b) {
  if (!a || !b) return DateLevel::kMissing;
  if (*a == *b) return DateLevel::kExact;
  int ay = a->year(), am = a->month(), ad = a->day();
  int by = b->year(), bm = b->month(), bd = b->day();
  if (ay == by && ad == bm && am == bd) return DateLevel::kDayMonthSwap;
  int same = (ay == by) + (am == bm) + (ad == bd);
  if (same == 2) return DateLevel::kOneComponent;
  return DateLevel::kDisagree;
}

std::string_view PostcodeLevelName(PostcodeLevel level) {
  switch (level) {
    case PostcodeLevel::kFull:
      return "full";
    case PostcodeLevel::kSector:
      return "sector";
    case PostcodeLevel::kDistrict:
      return "district";
    case PostcodeLevel::kDisagree:
      return "disagree";
    case PostcodeLevel::kMissing:
      return "missing";
  }
  return "?";
}

uint64_t PackPostcode(std::string_view postcode) {
  std::string normalized = search::NormalizePostcode(postcode);
  uint64_t packed = 0;
  for (size_t i = 0; i < normalized.size() && i < 8; ++i) {
    char c = normalized[i];
    uint64_t v = (c >= '0' && c <= '9') ? static_cast<uint64_t>(c - '0') + 1
                                        : static_cast<uint64_t>(c - 'A') + 11;
    packed |= v << (6 * i);
  }
  return packed;
}

uint64_t PostcodeSector(uint64_t packed) { return PostcodePrefix(packed, 2); }
uint64_t PostcodeDistrict(uint64_t packed) { return PostcodePrefix(packed, 3); }

PostcodeLevel ComparePackedPostcodes(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return PostcodeLevel::kMissing;
  if (a == b) return PostcodeLevel::kFull;
  uint64_t sector = PostcodeSector(a);
  if (sector != 0 && sector == PostcodeSector(b)) return PostcodeLevel::kSector;
  uint64_t district = PostcodeDistrict(a);
  if (district != 0 && district == PostcodeDistrict(b)) return PostcodeLevel::kDistrict;
  return PostcodeLevel::kDisagree;
}

std::string_view GenderLevelName(GenderLevel level) {
  switch (level) {
    case GenderLevel::kAgree:
      return "agree";
    case GenderLevel::kDisagree:
      return "disagree";
    case GenderLevel::kMissing:
      return "missing";
  }
  return "?";
}

GenderLevel CompareGenders(domain::Gender a, domain::Gender b) {
  auto known = [](domain::Gender g) {
    return g == domain::Gender::kMale || g == domain::Gender::kFemale;
  };
  if (!known(a) || !known(b)) return GenderLevel::kMissing;
  return a == b ? GenderLevel::kAgree : GenderLevel::kDisagree;
}

std::string_view CarerLevelName(CarerLevel level) {
  switch (level) {
    case CarerLevel::kFullName:
      return "full_name";
    case CarerLevel::kPartial:
      return "partial";
    case CarerLevel::kDisagree:
      return "disagree";
    case CarerLevel::kMissing:
      return "missing";
  }
  return "?";
}

std::string_view AddressLevelName(AddressLevel level) {
  switch (level) {
    case AddressLevel::kFull:
      return "full";
    case AddressLevel::kStreet:
      return "street";
    case AddressLevel::kDisagree:
      return "disagree";
    case AddressLevel::kMissing:
      return "missing";
  }
  return "?";
}

bool IsHouseNumber(std::string_view token) {
  if (token.empty()) return false;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsGenericAddressWord(std::string_view token) {
  static constexpr std::string_view kGeneric[] = {
      "street", "st",       "road",      "rd",      "avenue", "ave",       "av",      "lane",
      "ln",     "drive",    "dr",        "close",   "cl",     "court",     "ct",      "place",
      "pl",     "crescent", "cres",      "circuit", "cct",    "way",       "terrace", "tce",
      "parade", "pde",      "grove",     "gardens", "gdns",   "square",    "sq",      "highway",
      "hwy",    "flat",     "apartment", "unit",    "house",  "the",       "of",      "north",
      "south",  "east",     "west",      "upper",   "lower",  "boulevard", "mews",    "row",
      "walk",   "hill",     "park",      "green",   "view",   "rise",      "circle",  "estate"};
  for (std::string_view g : kGeneric) {
    if (token == g) return true;
  }
  return false;
}

std::string_view IdentifierLevelName(IdentifierLevel level) {
  switch (level) {
    case IdentifierLevel::kExact:
      return "exact";
    case IdentifierLevel::kOneEdit:
      return "one_edit";
    case IdentifierLevel::kDisagree:
      return "disagree";
    case IdentifierLevel::kMissing:
      return "missing";
  }
  return "?";
}

std::string NormalizeIdentifier(std::string_view identifier) {
  return search::NormalizePostcode(identifier);  // The same rule: A-Z and 0-9, upper-cased.
}

IdentifierLevel CompareIdentifiers(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return IdentifierLevel::kMissing;
  if (a == b) return IdentifierLevel::kExact;
  if (search::OsaDistance(a, b) <= 1) return IdentifierLevel::kOneEdit;
  return IdentifierLevel::kDisagree;
}

}  // namespace cp::linkage
