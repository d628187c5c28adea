// The disclosure choke point: who may produce a subject access disclosure, and the making of
// its views from the raw record (see disclosure_view.h for the rules). Not for the presentation
// layers (it needs the raw record). Pure and thread-safe.
#pragma once

#include "domain/child_record.h"
#include "policy/disclosure_view.h"
#include "policy/view_policy.h"

namespace cp::policy {

// True when `viewer` may produce a disclosure of the record (see above).
bool MayDisclose(const Viewer& viewer, const RecordFacts& record);

// The disclosure of `record` as `copy`. The caller checks MayDisclose first.
DisclosureView MakeDisclosureView(const domain::ChildRecord& record, DisclosureCopy copy);

}  // namespace cp::policy
