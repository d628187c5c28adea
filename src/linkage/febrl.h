// Reading the FEBRL synthetic data sets (shared/data/febrl, BSD licence, Jonathan de Bruin's
// copy of Christen's FEBRL data) into MatchInput, for the evaluation test.
//
// Each file has the header
//   rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state,
//   date_of_birth, soc_sec_id
// with values separated by ", " (no quoting). rec_id is "rec-N-org" for an original record and
// "rec-N-dup-K" for the K-th corrupted duplicate of original N: two rows are the same person
// exactly when their N agree. docs/matching.md explains the field mapping.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "linkage/matcher.h"

namespace cp::linkage::febrl {

struct Row {
  std::string rec_id;
  int64_t entity = 0;  // N of rec-N-...
  bool original = false;
  MatchInput input;
};

// Reads a whole file; NotFound / InvalidArgument on a missing file or a malformed row.
Result<std::vector<Row>> ReadFile(const std::string& path);

}  // namespace cp::linkage::febrl
