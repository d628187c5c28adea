// Opening a record by a UIN that a merge took away (docs/duplicates.md, "Opening a
// merged-away UIN"). Break Glass, brokering, shield requests, notifications and bookmarks name
// a child by UIN; after a merge the absorbed UIN must lead to the surviving record, not to
// "no such child" (a shield request for it would otherwise be lost).
//
// This resolves the UIN only. It decides nothing about access: the caller applies the view
// policy (the choke point) to the record returned, exactly as if the survivor's own UIN had
// been given, so nothing more is shown than the survivor's UIN would show.
#pragma once

#include <string>

#include "core/result.h"
#include "domain/child_record.h"
#include "store/child_store.h"

namespace cp::workflow {

struct ResolvedRecord {
  domain::ChildRecord record;
  // The UIN asked for when it was merged away (the record is then the survivor); else empty.
  std::string merged_from;
};

// The live record `uin` names, or the record it was merged into. NotFound when neither
// exists; Unavailable when the store cannot be read.
Result<ResolvedRecord> GetFollowingMerges(store::ChildStore& children, const domain::Uin& uin);

}  // namespace cp::workflow
