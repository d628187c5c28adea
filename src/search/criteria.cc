#include "search/criteria.h"

#include "search/normalize.h"

namespace cp::search {

cp::Status ValidateCriteria(const SearchCriteria& criteria) {
  if (NameTokens(criteria.family_name).empty()) {
    return cp::Status::InvalidArgument("insufficient_criteria", "family_name");
  }
  if (NameTokens(criteria.given_name).empty() && !criteria.date_of_birth.has_value()) {
    return cp::Status::InvalidArgument("insufficient_criteria", "given_name");
  }
  return cp::Status::Ok();
}

ConfidenceBand ConfidenceBandForScore(int score) {
  if (score >= kHighConfidence) return ConfidenceBand::kHigh;
  if (score >= kMediumConfidence) return ConfidenceBand::kMedium;
  return ConfidenceBand::kLow;
}

std::string_view ConfidenceBandName(ConfidenceBand band) {
  switch (band) {
    case ConfidenceBand::kHigh:
      return "high";
    case ConfidenceBand::kMedium:
      return "medium";
    case ConfidenceBand::kLow:
      return "low";
  }
  return "low";
}

}  // namespace cp::search
