// Search criteria, their validation, the match threshold and the confidence bands.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/status.h"
#include "search/indexed_child.h"

namespace cp::search {

// What a user searches with. Only `family_name` is always required; see ValidateCriteria.
struct SearchCriteria {
  std::string given_name;   // One or more given names; optional.
  std::string family_name;  // Required.
  std::optional<cp::Date> date_of_birth;
  Gender gender = Gender::kNotKnown;  // kNotKnown: not a criterion.
  std::string postcode;               // Optional.
};

// OK if the criteria are enough to search: a family name with at least one letter or digit,
// plus a given name (with at least one letter or digit) or a date of birth. Otherwise
// InvalidArgument with message "insufficient_criteria" (field "family_name" when that is
// missing, else "given_name").
cp::Status ValidateCriteria(const SearchCriteria& criteria);

// Scores run from 0 to 100. A child "matches" a search when its score is at least
// kMatchThreshold; only matches are returned and only matches count towards the trawling limit.
inline constexpr int kMatchThreshold = 75;
inline constexpr int kHighConfidence = 90;
inline constexpr int kMediumConfidence = 80;

enum class ConfidenceBand { kLow, kMedium, kHigh };

// kHigh for scores >= 90, kMedium for >= 80, else kLow (callers only see scores >= 75).
ConfidenceBand ConfidenceBandForScore(int score);
// "high", "medium" or "low".
std::string_view ConfidenceBandName(ConfidenceBand band);

}  // namespace cp::search
