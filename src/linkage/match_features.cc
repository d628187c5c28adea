#include "linkage/match_features.h"

#include <string>
#include <string_view>

#include "search/normalize.h"

namespace cp::linkage {
namespace {

// Tokens of a name plus, for a name of several tokens, the tokens joined.
void NameTokensWithJoined(std::string_view name, std::vector<NameToken>& out) {
  std::vector<std::string> tokens = search::NameTokens(name);
  if (tokens.size() > 1) {
    std::string joined;
    for (const std::string& t : tokens) joined += t;
    tokens.push_back(std::move(joined));
  }
  if (tokens.size() > kMaxTokensPerList) tokens.resize(kMaxTokensPerList);
  out.reserve(tokens.size());
  for (const std::string& t : tokens) out.push_back(MakeNameToken(t));
}

}  // namespace

MatchFeatures ComputeMatchFeatures(const MatchInput& input) {
  MatchFeatures f;
  NameTokensWithJoined(input.given_names, f.given);
  NameTokensWithJoined(input.family_name, f.family);
  for (const std::string& other : input.other_names) {
    std::vector<std::string> t = search::NameTokens(other);
    if (t.empty()) continue;
    if (f.other_family.size() < kMaxTokensPerList)
      f.other_family.push_back(MakeNameToken(t.back()));
    for (size_t i = 0; i + 1 < t.size() && f.other_given.size() < kMaxTokensPerList; ++i) {
      f.other_given.push_back(MakeNameToken(t[i]));
    }
  }
  for (const std::string& carer : input.carer_names) {
    std::vector<std::string> t = search::NameTokens(carer);
    if (t.empty() || f.carers.size() >= kMaxTokensPerList) continue;
    MatchFeatures::Carer c;
    c.first = MakeNameToken(t.front());
    if (t.size() > 1) c.last = MakeNameToken(t.back());
    f.carers.push_back(std::move(c));
  }
  for (const std::string& t : search::NameTokens(input.address)) {
    if (f.address.size() < kMaxTokensPerList && !IsGenericAddressWord(t)) {
      f.address.push_back(MakeNameToken(t));
    }
  }
  NameTokensWithJoined(input.town, f.town);
  std::string identifier = NormalizeIdentifier(input.identifier);
  if (!identifier.empty()) f.identifier = MakeNameToken(identifier);
  f.date_of_birth = input.date_of_birth;
  f.postcode = PackPostcode(input.postcode);
  f.gender = input.gender;
  return f;
}

void AttachMatchFeatures(MatchInput& input) {
  input.features = std::make_shared<const MatchFeatures>(ComputeMatchFeatures(input));
}

}  // namespace cp::linkage
