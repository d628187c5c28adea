#pragma once

// The record-linkage contract shared by the feed importer (workflow) and the probabilistic
// matcher (linkage). docs/matching.md explains the model and how the thresholds were chosen.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "domain/gender.h"

namespace cp::linkage {

struct MatchFeatures;  // linkage/match_features.h

// What the matcher compares: the identifying items of one child as a source sent them.
// Strings are as written (the matcher normalises them with the search layer's rules); empty
// means unknown, and an unknown item neither agrees nor disagrees.
struct MatchInput {
  std::string given_names;
  std::string family_name;
  std::vector<std::string> other_names;  // Former and known-as names, as "given family".
  domain::Gender gender = domain::Gender::kNotKnown;
  std::optional<Date> date_of_birth;
  std::string postcode;
  std::vector<std::string> carer_names;
  // Added for record linkage beyond the list (docs/matching.md); empty = unknown.
  // Street address of the current address ("12 Pinkerton Circuit, Bega Flats"): house numbers
  // and street words are compared.
  std::string address;
  std::string town;
  // An identifier the source holds for the child and shares with other sources (e.g. an NHS
  // number), compared exactly or within one typing error.
  std::string identifier;
  // Optional: the items above normalised once (ComputeMatchFeatures / AttachMatchFeatures), so
  // that handing the same input to matchers several times does not normalise it each time. When
  // set it must be computed from this input's current items; matchers that do not use features
  // ignore it.
  std::shared_ptr<const MatchFeatures> features;
};

enum class MatchOutcome : uint8_t {
  kNew = 0,       // Below the lower threshold against every candidate.
  kPossible = 1,  // Best candidate between the thresholds: a possible duplicate for management.
  kMatch = 2,     // Best candidate at or above the upper threshold: the same child.
};

struct Candidate {
  int64_t child_id = 0;
  double weight = 0;  // Fellegi–Sunter total match weight (log2 likelihood ratio).
};

struct MatchResult {
  MatchOutcome outcome = MatchOutcome::kNew;
  std::vector<Candidate> candidates;  // Best first; at most a handful; empty when kNew.
};

struct Thresholds {
  double lower = 0;  // Weights below this are non-matches.
  double upper = 0;  // Weights at or above this are automatic matches.
};

// An in-memory population of children that new rows are classified against.
// Thread safety: Classify may run concurrently with other Classify calls; Add and Remove must
// not run concurrently with anything (the caller serialises writers).
class Matcher {
 public:
  virtual ~Matcher() = default;

  // Compares `input` with every child sharing a blocking key and classifies the best.
  // `exclude` lists child ids that must not be proposed (do-not-match pairs, the row's own
  // record).
  virtual MatchResult Classify(const MatchInput& input,
                               const std::vector<int64_t>& exclude = {}) const = 0;

  // Normalises `input` once for repeated use (sets MatchInput::features) where the matcher
  // gains from it; the default does nothing. Reads nothing of the population, so it may run
  // concurrently with anything.
  virtual void PrepareInput(MatchInput& /*input*/) const {}

  // Adds (or replaces) a child in the population.
  virtual void Add(int64_t child_id, const MatchInput& input) = 0;

  // Removes a child (merged away, archived, purged). Unknown ids are ignored.
  virtual void Remove(int64_t child_id) = 0;

  virtual size_t Size() const = 0;
};

}  // namespace cp::linkage
