// ViewPolicy: the one choke point that decides what a viewer may see of a child record.
//
// Decide() is deny-by-default and driven by the table kViewRules (view_policy.cc): the
// result is the highest level any matching rule grants, or kNone. MakeView() builds the view
// for a level from the raw record, copying only the fields that level allows. Nothing else in
// the product turns a ChildRecord into something a user sees.
//
// The search index asks the same table, through CanSeeHiddenFields(), whether a viewer may
// match a shielded child on its hidden fields, so a search can never find a child through a
// field its viewer cannot see. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "domain/child_record.h"
#include "domain/role.h"
#include "policy/child_view.h"

namespace cp::policy {

// Who is looking. `authority` is the local authority area of the viewer's organisation.
// `break_glass_child` is the store id of the one record the viewer holds a live Break Glass
// grant for (0: none); the caller (DirectoryService) establishes it from the grant store.
struct Viewer {
  domain::RoleSet roles;
  std::string authority;
  int64_t break_glass_child = 0;
};

// The facts about a record the decision depends on. `child_id` (the store id; 0 = not
// known, as in search) is matched against Viewer::break_glass_child.
struct RecordFacts {
  bool shielded = false;
  std::string responsible_authority;
  int64_t child_id = 0;
  // Lifecycle (docs/retention.md). A record that is not live is decided by the archive rules
  // alone (kArchiveRules): no live rule ever applies to it. `within_management_read_period`
  // (domain::WithinManagementReadPeriod today) and `archive_purpose` (the caller has checked a
  // child-protection-enquiry or serious-case-review reason) are established by the caller;
  // left false, only rules that need neither can match (there are none: deny).
  domain::RecordState state = domain::RecordState::kLive;
  bool within_management_read_period = false;
  bool archive_purpose = false;
};

ViewLevel Decide(const Viewer& viewer, const RecordFacts& record);

inline bool CanSeeHiddenFields(const Viewer& viewer, const RecordFacts& record) {
  return Decide(viewer, record) == ViewLevel::kFull;
}

// The view of `record` at `level`; kNone yields nullopt.
std::optional<ChildView> MakeView(const domain::ChildRecord& record, ViewLevel level);

}  // namespace cp::policy
