// Validation of a whole child record before it is stored.
#pragma once

#include "core/date.h"
#include "core/status.h"
#include "domain/child_record.h"

namespace cp::domain {

// The oldest a record may be kept: 18, or 25 with the young person's consent.
inline constexpr int kAdultAge = 18;
inline constexpr int kExtendedAge = 25;

// Checks every item and normalises in place (postcodes, trimmed names). Returns
// InvalidArgument naming the first bad field. Rules: names valid in any script; gender from the
// closed list; date of birth not in the future and the child under 18 on `today` (under 25
// with `extended_with_consent`); address fields as its status needs (a postcode for current or
// last known; an intent-to-return date only when left England); carers named with a
// relationship and valid contacts; involvements from the closed list of service types with
// start <= end, and a sensitive service only with a recorded basis.
Status ValidateChildRecord(ChildRecord& record, Date today);

}  // namespace cp::domain
