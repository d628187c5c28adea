// DisclosureService: subject access requests (UK GDPR Art. 15; policy principle 12, §12) —
// the DPO's cases and the "View Full Child Record Disclosure" (docs/disclosure-and-reports.md).
//
// Contract:
//  - Rights: the data protection officer (Permission::kRunDisclosure, role dpo) of the
//    record's responsible authority (policy::MayDisclose). Anyone else: PermissionDenied,
//    audited ("dsar.*", outcome "denied").
//  - Produce() returns the disclosure as the view policy makes it (policy/disclosure_view.h):
//    the requester's copy (a shielded record's hidden fields withheld, with the exemption) or
//    the internal copy (everything). It adds the organisations that accessed the record, from
//    the audit trail (successful actions on the record); the requester's copy of a shielded
//    record withholds that list too (it would show who works with the child). It never reads
//    anything else (e.g. the restricted identity-change link).
//  - Each page of every rendering carries who produced it, when, and the request reference:
//    the case's reference when a case is given (it must be the same child's, same authority),
//    otherwise "UNTRACKED-<request id>".
//  - Audited first, fail closed: "dsar.disclosure" (target "child:<uin>", details: copy and
//    reference) is recorded before the disclosure is returned; if it cannot be, Unavailable
//    and nothing is returned. Case changes are audited the same way ("dsar.case_*").
//  - Cases: received (due one calendar month later), identity verified, extended (due three
//    months after receipt), completed (only once identity is verified). Out-of-order steps:
//    FailedPrecondition("wrong_state"); a lost race: Conflict.
// Thread-safe. Dependencies are not owned.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "audit/audit_store.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/dsar.h"
#include "policy/disclosure_view.h"
#include "workflow/actor.h"

namespace cp::store {
class ChildStore;
class DsarStore;
class OrganisationStore;
}  // namespace cp::store

namespace cp::workflow {

// One organisation's access to the record, from the audit trail.
struct RecordAccess {
  std::string organisation_code;
  std::string organisation_name;  // Empty when the code is unknown.
  TimePoint first;
  TimePoint last;
  size_t count = 0;
};

struct Disclosure {
  policy::DisclosureView view;
  std::vector<RecordAccess> accesses;
  bool accesses_withheld = false;  // The requester's copy of a shielded record.
  std::string reference;
  std::string produced_by;  // Username.
  TimePoint produced_at;
};

struct NewDsarCase {
  std::string uin;
  std::string requester_kind;  // domain::kDsarRequesterKinds.
  std::string received_on;     // YYYY-MM-DD, not in the future; empty = today.
};

class DisclosureService {
 public:
  DisclosureService(store::ChildStore& children, store::DsarStore& cases,
                    store::OrganisationStore& orgs, audit::AuditStore& audit_reader,
                    audit::AuditSink& audit, const Clock& clock);

  // `case_reference` empty: no case.
  Result<Disclosure> Produce(const Actor& actor, const std::string& uin,
                             policy::DisclosureCopy copy, const std::string& case_reference);

  Result<domain::DsarCase> OpenCase(const Actor& actor, const NewDsarCase& input);
  Result<domain::DsarCase> VerifyIdentity(const Actor& actor, int64_t id);
  Result<domain::DsarCase> Extend(const Actor& actor, int64_t id);
  Result<domain::DsarCase> Complete(const Actor& actor, int64_t id);
  // The cases of the actor's authority, newest first.
  Result<std::vector<domain::DsarCase>> Cases(const Actor& actor);

 private:
  Status Audit(const Actor& actor, std::string_view action, std::string target,
               std::string_view outcome, std::string_view reason, std::string details);
  Status RequireDpo(const Actor& actor, std::string_view action, const std::string& target);
  Result<domain::DsarCase> Step(const Actor& actor, int64_t id, std::string_view action,
                                domain::DsarStatus to);
  Result<std::vector<RecordAccess>> Accesses(const std::string& uin);

  store::ChildStore& children_;
  store::DsarStore& cases_;
  store::OrganisationStore& orgs_;
  audit::AuditStore& audit_reader_;
  audit::AuditSink& audit_;
  const Clock& clock_;
};

// The disclosure as PDF (document/pdf_writer.h): the internal copy is watermarked
// policy::kInternalWatermark; every page carries the producer, time and reference.
std::string RenderDisclosurePdf(const Disclosure& disclosure);

}  // namespace cp::workflow
