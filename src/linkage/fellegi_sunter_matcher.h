// FellegiSunterMatcher: the probabilistic Matcher (docs/matching.md).
//
// The input is normalised once into MatchFeatures (linkage/match_features.h; callers may attach
// them to reuse across calls). Each child is held in a compact form: a 40-byte record (id, date of
// birth, packed postcode, gender, where its name tokens start) plus 4-byte ids of its name tokens
// in one arena; each distinct name token is stored once in a dictionary with its code points,
// Double Metaphone codes and term frequencies. Blocking keys go into one chained hash table of
// 12-byte entries (no per-key allocation). Classify gathers the children sharing any of the input's
// blocking keys, grades every field (linkage/comparison.h), sums the Fellegi–Sunter weights
// (linkage/model.h) with term-frequency adjustment, and classifies the best candidates against the
// thresholds.
//
// Thread safety: as Matcher (concurrent Classify and Compare; Add/Remove/Reserve exclusive).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "linkage/comparison.h"
#include "linkage/matcher.h"
#include "linkage/model.h"

namespace cp::linkage {

// How one input compared with one child, field by field (for tests, tuning and explanations).
struct FieldComparison {
  NameLevel given = NameLevel::kMissing;
  NameLevel family = NameLevel::kMissing;
  DateLevel date_of_birth = DateLevel::kMissing;
  PostcodeLevel postcode = PostcodeLevel::kMissing;
  GenderLevel gender = GenderLevel::kMissing;
  CarerLevel carers = CarerLevel::kMissing;
  AddressLevel address = AddressLevel::kMissing;
  NameLevel town = NameLevel::kMissing;
  IdentifierLevel identifier = IdentifierLevel::kMissing;
  // A name agreed only with the other name field (given and family name exchanged).
  bool swapped_names = false;
  bool twin_capped = false;  // The weight was capped by the twin rule (MatchModel).
  // Weights of each field in the order above (log2), and their sum (after the twin cap).
  std::array<double, 9> weights{};
  double total = 0;
};

// Sizes for the benchmark and docs/matching.md.
struct MatcherStats {
  size_t children = 0;          // Live children.
  size_t slots = 0;             // Records including replaced/removed ones.
  size_t distinct_tokens = 0;   // Name tokens in the dictionary.
  size_t blocking_entries = 0;  // Entries in the blocking table.
  size_t approx_bytes = 0;      // Capacity of the main arrays (not the allocator's overhead).
};

class FellegiSunterMatcher final : public Matcher {
 public:
  explicit FellegiSunterMatcher(MatchModel model = DefaultMatchModel(),
                                Thresholds thresholds = DefaultThresholds());
  ~FellegiSunterMatcher() override;
  FellegiSunterMatcher(const FellegiSunterMatcher&) = delete;
  FellegiSunterMatcher& operator=(const FellegiSunterMatcher&) = delete;

  // At most kMaxCandidates candidates are returned, all with weight >= thresholds.lower.
  static constexpr size_t kMaxCandidates = 5;

  MatchResult Classify(const MatchInput& input,
                       const std::vector<int64_t>& exclude = {}) const override;
  // Attaches MatchFeatures (linkage/match_features.h).
  void PrepareInput(MatchInput& input) const override;
  void Add(int64_t child_id, const MatchInput& input) override;
  void Remove(int64_t child_id) override;
  size_t Size() const override;

  // Grades `input` against one child without blocking; nullopt if the child is unknown.
  std::optional<FieldComparison> Compare(const MatchInput& input, int64_t child_id) const;
  // Pre-sizes the arrays for a bulk load of `children` (avoids regrowth copies).
  void Reserve(size_t children);
  MatcherStats Stats() const;
  const Thresholds& thresholds() const { return thresholds_; }
  const MatchModel& model() const { return model_; }

 private:
  struct Impl;
  MatchModel model_;
  Thresholds thresholds_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cp::linkage
