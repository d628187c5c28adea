// BreakGlassService: who holds the emergency shielding override, using it, and the
// investigation every use opens (policy principle 7, section 9; docs/break-glass.md).
//
// Contract:
//  - The right = the role break_glass AND an active authorisation (nominated by the
//    management of the holder's authority, LSCB approval recorded, approved less than a year
//    ago, not revoked). Management (Permission::kManageShielding) of an authority nominates,
//    records approvals (a new approval renews for a year), revokes and lists its holders; a
//    system actor may do all of it. Revocation ends the holder's live grants and, since every
//    view re-checks the right, applies on the holder's next request in any case.
//  - Use: the right (PermissionDenied otherwise, audited), a known reason code and written
//    reason (InvalidArgument naming "reason_code" or "reason_text"), a shielded record
//    (FailedPrecondition "not_shielded"), then a fresh step-up (the caller's `step_up` check,
//    run last so a refused request never spends a code). Then, audited first (fail closed):
//    one transaction creates the grant (15 minutes), opens the investigation (the record's
//    responsible authority, due the next working day after the date of use, out of hours
//    included) and notifies that authority's management in the app; any earlier grant of the
//    user ends ("superseded").
//  - A grant gives the full view of that one record only (DirectoryService asks LiveGrantFor
//    and the view policy's kBreakGlassGrant rule), and ends when its holder opens another
//    record, searches, ends it, or after 15 minutes.
//  - Investigations: the management of the record's authority lists them, moves them open ->
//    in_review -> concluded (with a finding) and adds notes (time and author). Other users get
//    PermissionDenied (audited); an unknown id is NotFound.
//  - Audit details hold ids, codes, UINs and dates, never the written reasons or notes (those
//    are sealed in the store).
// Thread-safe. Dependencies are not owned.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/break_glass.h"
#include "workflow/actor.h"
#include "workflow/grant_lookup.h"

namespace cp::store {
class BreakGlassStore;
class ChildStore;
class OrganisationStore;
class UserStore;
}  // namespace cp::store

namespace cp::workflow {

// One authorisation as management sees it.
struct HolderInfo {
  domain::BreakGlassHolder holder;
  domain::HolderStatus status = domain::HolderStatus::kPending;
  std::optional<Date> expires_on;  // Last day of the approval's year.
  bool has_role = false;           // The user holds the break_glass role now.
};

struct ApprovalInput {
  std::string approved_by;  // Who approved, for the LSCB or its equivalent.
  std::string approved_on;  // YYYY-MM-DD, not in the future.
  std::string reference;    // The board's reference.
};

struct GrantInfo {
  int64_t grant_id = 0;
  int64_t investigation_id = 0;
  TimePoint expires_at;
  Date investigation_due;
};

// Verifies a fresh second factor (the handler calls identity::SignInService::StepUp).
using StepUpCheck = std::function<Status()>;

class BreakGlassService final : public GrantLookup {
 public:
  BreakGlassService(store::ChildStore& children, store::BreakGlassStore& store,
                    store::UserStore& users, store::OrganisationStore& orgs,
                    audit::AuditSink& audit, const Clock& clock);

  // --- Holders (management of the holder's authority) -------------------------------------
  Result<HolderInfo> Nominate(const Actor& actor, const std::string& username);
  Result<HolderInfo> RecordApproval(const Actor& actor, const std::string& username,
                                    const ApprovalInput& approval);
  Status Revoke(const Actor& actor, const std::string& username);
  Result<std::vector<HolderInfo>> Holders(const Actor& actor);
  // Whether `actor` holds the right now (the UI shows the option only then). Never fails
  // open: a store error is returned.
  Result<bool> HoldsRight(const Actor& actor);

  // --- Using it -----------------------------------------------------------------------------
  Result<GrantInfo> Use(const Actor& actor, const std::string& uin, const std::string& reason_code,
                        const std::string& reason_text, const StepUpCheck& step_up);
  // Ends the actor's own grant (NotFound for anyone else's). Ending an ended grant is OK.
  Status EndGrant(const Actor& actor, int64_t grant_id);

  // GrantLookup.
  Result<int64_t> LiveGrantFor(const Actor& actor, int64_t child_id) override;
  Status EndGrantsExcept(const Actor& actor, int64_t child_id, std::string_view reason) override;

  // --- Investigations (management of the record's authority) -----------------------------
  Result<std::vector<domain::Investigation>> Investigations(const Actor& actor);
  Result<domain::Investigation> GetInvestigation(const Actor& actor, int64_t id);
  // `status`: "in_review" or "concluded"; `finding` ("justified", "not_justified",
  // "referred") only when concluding.
  Status SetInvestigationStatus(const Actor& actor, int64_t id, const std::string& status,
                                const std::string& finding);
  Result<int64_t> AddInvestigationNote(const Actor& actor, int64_t id, const std::string& text);

 private:
  Status Audit(const Actor& actor, std::string_view action, std::string target,
               std::string_view outcome, std::string_view reason, std::string details);
  Status Deny(const Actor& actor, std::string_view action, std::string target,
              std::string_view reason, std::string message);
  bool Manages(const Actor& actor, const std::string& authority) const;
  Result<HolderInfo> Info(const domain::BreakGlassHolder& holder);
  // The user's current authorisation, checked to belong to the actor's authority.
  Result<domain::BreakGlassHolder> HolderManagedBy(const Actor& actor, std::string_view action,
                                                   const std::string& username);
  Result<domain::Investigation> InvestigationManagedBy(const Actor& actor, std::string_view action,
                                                       int64_t id);
  Date Today() const;

  store::ChildStore& children_;
  store::BreakGlassStore& store_;
  store::UserStore& users_;
  store::OrganisationStore& orgs_;
  audit::AuditSink& audit_;
  const Clock& clock_;
};

}  // namespace cp::workflow
