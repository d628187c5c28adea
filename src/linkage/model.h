// The Fellegi–Sunter model: for each field and comparison level, m = P(level | same child) and
// u = P(level | different children). A level's weight is log2(m / u); a pair's total weight is
// the sum over fields (missing fields add 0). docs/matching.md gives the defaults' reasons and
// the measurements the default thresholds come from.
#pragma once

#include <cmath>

#include "linkage/matcher.h"

namespace cp::linkage {

struct LevelProbabilities {
  double m = 0.5;
  double u = 0.5;
  double Weight() const { return std::log2(m / u); }
};

// Names: for kExact, `u` is only the prior; the matcher replaces it by the term frequency of the
// agreeing name in the population (see MatchModel::term_frequency_prior).
struct NameModel {
  LevelProbabilities exact, nickname, jaro_winkler, phonetic, disagree;
};
// Date of birth: kExact's `u` is likewise replaced by the frequency of that date.
struct DateModel {
  LevelProbabilities exact, day_month_swap, one_component, disagree;
};
// Postcode: every agreeing level's `u` is replaced by the frequency of that postcode / sector /
// district.
struct PostcodeModel {
  LevelProbabilities full, sector, district, disagree;
};
struct GenderModel {
  LevelProbabilities agree, disagree;
};
struct CarerModel {
  LevelProbabilities full_name, partial, disagree;
};

struct AddressModel {
  LevelProbabilities full, street, disagree;
};
struct IdentifierModel {
  LevelProbabilities exact, one_edit, disagree;
};

struct MatchModel {
  NameModel given;
  NameModel family;
  DateModel date_of_birth;
  PostcodeModel postcode;
  GenderModel gender;
  CarerModel carers;
  AddressModel address;
  NameModel town;  // Town names compared like family names; kExact's u is a term frequency.
  IdentifierModel identifier;
  // Term-frequency adjustment: the u of an agreeing value with `count` occurrences among N
  // children is (count + prior * u0) / (N + prior), where u0 is the model's u. Small populations
  // thus keep the model's u; large ones use the observed frequency, so a rare name agreeing
  // weighs more than a common one.
  double term_frequency_prior = 1000;
  // The most the household fields (postcode, address, town, carers) add together: they are
  // strongly correlated (siblings share all of them), against the model's independence.
  double household_cap = 12.0;
  // Subtracted when the names only agree with given and family name exchanged.
  double swapped_names_penalty = 2.0;
  // Siblings and twins share family name, address and carers: without an agreeing identifier
  // (exact or one typing error), a pair whose dates of birth disagree, or whose given names
  // disagree while family names agree and birthdays are equal, is capped just below the upper
  // threshold (at most a possible duplicate).
  bool given_name_disagreement_prevents_match = true;
};

// The documented defaults (docs/matching.md).
MatchModel DefaultMatchModel();
// Thresholds chosen from the FEBRL and synthetic measurements (docs/matching.md).
Thresholds DefaultThresholds();

}  // namespace cp::linkage
