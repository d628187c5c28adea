// MatchFeatures: what the matcher compares of one MatchInput, normalised once: the name, address
// and town tokens with their code points and Double Metaphone codes (linkage/comparison.h), the
// normalised identifier, the packed postcode. Computing them is most of the cost of classifying
// or adding a child, and it does not depend on the population, so a caller that classifies a
// row and then adds it (the feed importer: the directory's matcher, the batch's own matcher, and
// the directory's again once the row is stored) computes them once and sets
// MatchInput::features.
//
// Pure functions and immutable values: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/date.h"
#include "domain/gender.h"
#include "linkage/comparison.h"
#include "linkage/matcher.h"

namespace cp::linkage {

// At most this many tokens are kept per list (a record stores list lengths in 8 bits).
inline constexpr size_t kMaxTokensPerList = 255;

struct MatchFeatures {
  // Tokens of the name plus, for a name of several tokens, the tokens joined ("elk i" ->
  // "elki").
  std::vector<NameToken> given;
  std::vector<NameToken> family;
  // The other names ("given family"): the last token of each is a family name, the others given
  // names.
  std::vector<NameToken> other_given;
  std::vector<NameToken> other_family;
  struct Carer {
    NameToken first;
    NameToken last;  // Empty text for a one-word name.
  };
  std::vector<Carer> carers;
  std::vector<NameToken> address;  // Address tokens without generic words (IsGenericAddressWord).
  std::vector<NameToken> town;     // As `given`.
  NameToken identifier;            // NormalizeIdentifier; empty text when unknown.
  std::optional<Date> date_of_birth;
  uint64_t postcode = 0;  // PackPostcode; 0 when unknown.
  domain::Gender gender = domain::Gender::kNotKnown;
};

MatchFeatures ComputeMatchFeatures(const MatchInput& input);

// `input` with its features computed (MatchInput::features), for callers that hand the same
// input to a matcher more than once.
void AttachMatchFeatures(MatchInput& input);

}  // namespace cp::linkage
