// FakeMatcher: a small deterministic linkage::Matcher for tests of the layers above (the feed
// importer). Not Fellegi–Sunter: it adds fixed points for exact agreement (case-insensitive)
// and compares with every child (no blocking), so tests can build exact kNew / kPossible /
// kMatch cases:
//   family name 4, given names 3, date of birth 4, postcode 2, gender 1 (known only).
// Thresholds: lower 6 (possible from 6), upper 12 (match from 12); adjustable.
// Thread safety as the contract: Classify is const and may run concurrently; Add/Remove not.
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "linkage/matcher.h"

namespace cp::linkage::testing {

class FakeMatcher final : public Matcher {
 public:
  explicit FakeMatcher(Thresholds thresholds = {6, 12}) : thresholds_(thresholds) {}

  static double Weight(const MatchInput& a, const MatchInput& b) {
    double w = 0;
    if (Same(a.family_name, b.family_name)) w += 4;
    if (Same(a.given_names, b.given_names)) w += 3;
    if (a.date_of_birth && b.date_of_birth && *a.date_of_birth == *b.date_of_birth) w += 4;
    if (Same(a.postcode, b.postcode)) w += 2;
    if (a.gender == b.gender && a.gender != domain::Gender::kNotKnown) w += 1;
    return w;
  }

  MatchResult Classify(const MatchInput& input,
                       const std::vector<int64_t>& exclude = {}) const override {
    MatchResult result;
    for (const auto& [id, other] : population_) {
      if (std::find(exclude.begin(), exclude.end(), id) != exclude.end()) continue;
      const double w = Weight(input, other);
      if (w >= thresholds_.lower) result.candidates.push_back({id, w});
    }
    std::stable_sort(result.candidates.begin(), result.candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.weight > b.weight; });
    if (result.candidates.size() > 5) result.candidates.resize(5);
    if (!result.candidates.empty()) {
      result.outcome = result.candidates[0].weight >= thresholds_.upper ? MatchOutcome::kMatch
                                                                        : MatchOutcome::kPossible;
    }
    return result;
  }

  void Add(int64_t child_id, const MatchInput& input) override { population_[child_id] = input; }
  void Remove(int64_t child_id) override { population_.erase(child_id); }
  size_t Size() const override { return population_.size(); }

 private:
  static bool Same(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty() || a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(a[i])) !=
          std::tolower(static_cast<unsigned char>(b[i]))) {
        return false;
      }
    }
    return true;
  }

  Thresholds thresholds_;
  std::map<int64_t, MatchInput> population_;
};

}  // namespace cp::linkage::testing
