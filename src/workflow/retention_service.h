// RetentionService: what people do with the lifecycle of a record (docs/retention.md) — the
// daily rules themselves are MaintenanceService.
//
// Contract:
//  - NotifyDeath: management of the record's authority (Permission::kManageRetention) records
//    a notified death with its date; the record stays live for a year, then the daily job
//    archives it. FailedPrecondition "not_live" for an archived record, "already_notified" if
//    a death is already recorded.
//  - OpenArchived: reads an archived record. The view policy's archive rules decide: the
//    management of its authority during the year after archiving (any valid access reason);
//    after that (and at any time) the archive reader role with a reason of
//    "child_protection_enquiry" or "serious_case_review" and an explanation. Purged and live
//    records are refused (FailedPrecondition "purged" / "not_archived").
//  - ChangeIdentity (principle 13): management of the former record's authority creates the
//    new identity's record, shielded, and archives the former identity with all its names,
//    aliases and addresses (ArchiveReason kIdentityChange) in one store transaction, with the
//    link between the two kept in the restricted identity-link table. The new record carries
//    nothing of the former one: no former or known-as names, carers or involvements. The
//    shield is then logged through ShieldingService (log action 3, review in 7 days).
//  - IdentityLinks: only management of the link's authority (or the system) reads links.
//  - Audited first, fail closed: every action and every refusal is recorded before it takes
//    effect; if the audit cannot be written the call returns Unavailable and nothing changes.
//    An identity change writes two entries: "child.archive" on the former UIN (reason
//    "identity_change") and "child.create" on the new UIN (reason "management"), and neither
//    names the other UIN, so nothing about the new identity's trail leads to the former one.
// Thread-safe. Dependencies are not owned.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "policy/child_view.h"
#include "workflow/actor.h"

namespace cp::store {
class ChildStore;
class RetentionStore;
}  // namespace cp::store

namespace cp::workflow {

class ShieldingService;

// The lifecycle of a record, as shown to management and archive readers (no personal data).
struct LifecycleView {
  std::string uin;
  std::string state;           // "live", "archived", "purged"
  std::string archive_reason;  // "", "age_18", "age_25", "death", "identity_change"
  std::string archived_on;     // YYYY-MM-DD or empty (also below).
  std::string death_notified_on;
  std::string date_of_death;
  std::string purged_on;
  std::string management_read_until;  // Last day management may read it (archived only).
};

struct ArchivedRecord {
  LifecycleView lifecycle;
  policy::ChildView view;
};

struct IdentityChangeInput {
  std::string former_uin;
  std::string reason;  // "witness_protection" or "adoption".
  std::string given_names;
  std::string family_name;
  std::string date_of_birth;  // YYYY-MM-DD; empty: the former record's.
  std::string gender;         // Empty: the former record's.
  // The new address (current). Empty line_1 and postcode: no known address.
  std::string address_line_1;
  std::string address_line_2;
  std::string town;
  std::string postcode;
};

struct IdentityChangeOutcome {
  std::string new_uin;
  int64_t shield_request_id = 0;  // 0 if the shield log entry could not be made (see docs).
};

struct IdentityLinkView {
  std::string former_uin;
  std::string new_uin;
  std::string reason;
  std::string recorded_by;
  std::string recorded_at;  // ISO 8601 UTC.
};

// The two reasons for reading an archived record after management's year.
inline constexpr char kChildProtectionEnquiry[] = "child_protection_enquiry";
inline constexpr char kSeriousCaseReview[] = "serious_case_review";

class RetentionService {
 public:
  // `shielding` may be null (then the new identity is shielded by its flag, without a log
  // entry: tests of this class alone).
  RetentionService(store::ChildStore& children, store::RetentionStore& retention,
                   ShieldingService* shielding, audit::AuditSink& audit, const Clock& clock,
                   RandomSource& random);

  Status NotifyDeath(const Actor& actor, const std::string& uin, const std::string& date_of_death);
  Result<ArchivedRecord> OpenArchived(const Actor& actor, const std::string& uin,
                                      const std::string& reason_code,
                                      const std::string& reason_text);
  // The lifecycle of one record: management of its authority, or an archive reader.
  Result<LifecycleView> Lifecycle(const Actor& actor, const std::string& uin);
  Result<IdentityChangeOutcome> ChangeIdentity(const Actor& actor,
                                               const IdentityChangeInput& input);
  Result<std::vector<IdentityLinkView>> IdentityLinks(const Actor& actor, const std::string& uin);

 private:
  Status Audit(const Actor& actor, std::string_view action, std::string target,
               std::string_view outcome, std::string_view reason, std::string details);
  bool ManagesAuthority(const Actor& actor, const std::string& authority) const;

  store::ChildStore& children_;
  store::RetentionStore& retention_;
  ShieldingService* shielding_;
  audit::AuditSink& audit_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace cp::workflow
