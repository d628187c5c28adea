// IndexedChild: the record the search index consumes, independent of the application's
// domain types (the application maps its child record to this).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"

namespace cp::search {

// Gender as recorded (values follow the NHS data dictionary person gender codes).
enum class Gender : uint8_t {
  kNotKnown = 0,
  kMale = 1,
  kFemale = 2,
  kNotSpecified = 9,
};

// A full or partial alternative name; either part may be empty.
struct AlternativeName {
  std::string given_names;
  std::string family_name;
};

struct IndexedChild {
  // The child's unique identifying number, as a 64-bit key chosen by the application.
  uint64_t uin = 0;
  // All given names, space separated, first name first ("Mary Ann").
  std::string given_names;
  // Family name as recorded; hyphenated and multi-part names allowed ("Smith-Jones").
  std::string family_name;
  // Former names (e.g. before adoption) and names the child is known as. Hidden fields: for a
  // shielded child, only viewers allowed to see hidden fields may match on them.
  std::vector<AlternativeName> former_names;
  std::vector<AlternativeName> known_as_names;
  Gender gender = Gender::kNotKnown;
  cp::Date date_of_birth;
  // Postcode of the current address; hidden for a shielded child.
  std::string postcode;
  // Code of the responsible local authority (e.g. "E09000033").
  std::string authority;
  // Shielded: the hidden fields above are visible only to viewers the caller's policy allows.
  bool shielded = false;
};

}  // namespace cp::search
