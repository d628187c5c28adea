#include "domain/gender.h"

namespace cp::domain {

std::string_view GenderName(Gender g) {
  switch (g) {
    case Gender::kMale:
      return "male";
    case Gender::kFemale:
      return "female";
    case Gender::kNotKnown:
      return "not_known";
    case Gender::kNotSpecified:
      return "not_specified";
  }
  return "not_known";
}

std::optional<Gender> ParseGender(std::string_view name) {
  for (Gender g : {Gender::kMale, Gender::kFemale, Gender::kNotKnown, Gender::kNotSpecified}) {
    if (GenderName(g) == name) return g;
  }
  return std::nullopt;
}

}  // namespace cp::domain
