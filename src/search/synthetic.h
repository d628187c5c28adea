// Synthetic children and perturbed search queries, for tests, benchmarks and demo data.
//
// Deterministic: a child depends only on (seed, uin), so a benchmark can regenerate any child
// without keeping the population in memory. Names come from frequency tables of British and
// international given and family names (including names in other scripts) plus a long tail of
// composed English-looking surnames. Never contains real records. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/random.h"
#include "search/criteria.h"
#include "search/indexed_child.h"

namespace cp::search::synthetic {

struct PopulationOptions {
  cp::Date born_from = cp::Date::FromDays(13880);  // 2008-01-01.
  int born_span_days = 18 * 365;
  double middle_name = 0.45;
  double hyphenated = 0.06;  // Double-barrelled family name.
  double known_as = 0.04;
  double former_name = 0.03;
  double shielded = 0.01;
};

// The child with this uin in the population `seed`.
IndexedChild MakeChild(uint64_t seed, uint64_t uin, const PopulationOptions& options = {});

enum class Perturbation {
  kExact,
  kCaseAccentPunctuation,
  kTypo,           // One or two random edits to the given or the family name.
  kTransposition,  // Two adjacent letters swapped.
  kPhonetic,       // A sound-alike spelling ("Smyth", "Katherine").
  kNickname,       // Nickname for formal name or the reverse ("Bill" for "William").
  kSwapped,        // Given and family name exchanged.
  kHyphenPart,     // One part of a double-barrelled family name.
  kKnownAs,        // A known-as name.
  kFormerName,     // A former name.
  kDobDayMonthSwap,
  kDobYearOffByOne,
};
inline constexpr int kPerturbationCount = 12;

std::string_view PerturbationName(Perturbation p);

struct QueryOptions {
  double with_dob = 0.7;           // Chance a query gives the date of birth (always for DOB
                                   // perturbations).
  double dob_without_given = 0.1;  // With a date of birth, chance the given name is left out
                                   // (never for perturbations of the given name).
  double with_gender = 0.3;
  double with_postcode = 0.15;
};

// A query for `child` perturbed by `type`, or nullopt if `type` cannot apply to this child
// (no nickname, no hyphen, no known-as name, ...).
std::optional<SearchCriteria> MakeQuery(const IndexedChild& child, Perturbation type,
                                        cp::RandomSource& rng, const QueryOptions& options = {});

}  // namespace cp::search::synthetic
