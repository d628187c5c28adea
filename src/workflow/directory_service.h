// DirectoryService: searching the directory and opening a child's record.
//
// Contract:
//  - Search: the viewer needs Permission::kSearchChildren. Criteria need a family name plus a
//    given name or a date of birth (InvalidArgument "insufficient_criteria" otherwise). More
//    than 10 matches (35 for a shielder) is refused as trawling (FailedPrecondition
//    "too_many_matches") without saying how many matched; nothing pages or sorts around it.
//    A shielded child is never matched through a field its viewer cannot see (the view
//    policy's CanSeeHiddenFields decides, per candidate).
//  - Open: the viewer needs Permission::kViewChildRecord and a valid access reason. The view
//    level comes from policy::Decide; only the view leaves this class.
//  - Break Glass (when a GrantLookup is given): Open asks for the actor's live grant on the
//    record and passes it to the view policy; a full view given only because of it carries
//    `break_glass` and is audited with "break_glass":true and the grant id. Opening a record
//    ends the actor's grants on every other record, and a search ends them all ("leaving the
//    record"); if that cannot be done the call fails (Unavailable) and shows nothing.
//  - Every search (criteria kept only as an HMAC, the number of results and the UINs returned)
//    and every view (level and reason) is audited before the result is returned; if the audit
//    cannot be written the call returns Unavailable and no result (fail closed). Refusals are
//    audited too.
// Thread-safe. Dependencies are not owned.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "core/result.h"
#include "policy/child_view.h"
#include "workflow/actor.h"
#include "workflow/grant_lookup.h"

namespace cp::store {
class ChildStore;
}

namespace cp::workflow {

class DirectoryIndex;

struct SearchRequest {
  std::string given_name;
  std::string family_name;
  std::string date_of_birth;  // YYYY-MM-DD or empty.
  std::string gender;         // "male", "female", "not_known", "not_specified" or empty.
  std::string postcode;
};

// One search result: only what a shielded view may show, plus the match score.
struct SearchHit {
  std::string uin;
  std::string given_names;
  std::string family_name;
  std::string gender;
  std::string date_of_birth;
  bool shielded = false;
  int score = 0;
  std::string confidence;  // "high", "medium", "low"
};

// The trawling cap that applies to `actor` (10, or 35 for a shielder).
size_t TrawlingLimit(const Actor& actor);

class DirectoryService {
 public:
  // `grants` (optional, not owned) enables Break Glass views.
  DirectoryService(store::ChildStore& store, DirectoryIndex& index, audit::AuditSink& audit,
                   std::string criteria_hmac_key, GrantLookup* grants = nullptr);

  Result<std::vector<SearchHit>> Search(const Actor& actor, const SearchRequest& request);
  Result<policy::ChildView> Open(const Actor& actor, const std::string& uin,
                                 const std::string& reason_code, const std::string& reason_text);

 private:
  Status AuditEvent(const Actor& actor, std::string_view action, std::string target,
                    std::string_view outcome, std::string_view reason, std::string details);

  store::ChildStore& store_;
  DirectoryIndex& index_;
  audit::AuditSink& audit_;
  std::string criteria_key_;
  GrantLookup* grants_;
};

}  // namespace cp::workflow
