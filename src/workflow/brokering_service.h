// BrokeringService: a user asks the ContactPoint management team to broker shielded details
// (policy principles 11 and 14, section 8; docs/break-glass.md).
//
// The steps, each audited first (fail closed) and kept as a timeline:
//   1. requested: a user with Permission::kRequestBrokering asks about a shielded record and
//      gives the reason (InvalidArgument "reason" without one; FailedPrecondition
//      "not_shielded" for a record that is not shielded). The record's management is notified.
//   2. management_viewed / practitioner_contacted: the management of the record's responsible
//      authority sees the request (and the full record through the view policy), chooses an
//      involved practitioner listed on the record (by involvement id, or by name when not
//      listed) and records that it has contacted them, optionally naming the practitioner's
//      user account so they can decide in the app.
//   3. shared | declined: that practitioner (if a user) or management on their behalf records
//      the decision; sharing needs the released text. The requester is notified.
//   4. requester_acknowledged (declined only): the requester records the reasons, confirmed
//      while signed in ("signed"), with the date.
// Confidentiality: the requester's view (BrokeringView with full == false) never holds a
// shielded detail: no practitioner, no involvement, no organisation of the record; only the
// text released by a "share" decision. Other users get NotFound (audited as denied).
// States move one way; a step out of order is FailedPrecondition ("wrong_state"), and a lost
// race is Conflict.
// Thread-safe. Dependencies are not owned.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/break_glass.h"
#include "workflow/actor.h"

namespace cp::store {
class BreakGlassStore;
class ChildStore;
class UserStore;
}  // namespace cp::store

namespace cp::workflow {

// A brokering request as one viewer may see it.
struct BrokeringView {
  int64_t id = 0;
  std::string uin;
  std::string authority;
  std::string requester;
  std::string requester_organisation;
  std::string status;  // domain::BrokeringStatusName.
  TimePoint created_at;
  std::string reason;
  bool full = false;  // The management's or the practitioner's view.
  // Only in the full view.
  int64_t involvement_id = 0;
  std::string practitioner;
  std::string practitioner_username;
  // What the practitioner released ("shared" only).
  std::string released;
  // The requester's signed reasons after a decline.
  std::string decline_reasons;
  std::optional<TimePoint> acknowledged_at;
  std::vector<domain::BrokeringStep> timeline;  // Filtered for the requester.
  // Management's view from Get: the practitioners listed on the record, to choose from.
  struct Candidate {
    int64_t involvement_id = 0;
    std::string practitioner;
    std::string organisation;
    std::string service_type;
  };
  std::vector<Candidate> candidates;
};

struct ContactInput {
  int64_t involvement_id = 0;         // An involvement listed on the record, or
  std::string practitioner;           // a practitioner not listed (name and service).
  std::string practitioner_username;  // Optional: their account, to decide in the app.
};

class BrokeringService {
 public:
  BrokeringService(store::ChildStore& children, store::BreakGlassStore& store,
                   store::UserStore& users, audit::AuditSink& audit, const Clock& clock);

  Result<int64_t> Request(const Actor& actor, const std::string& uin, const std::string& reason);
  // Management: the requests on its authority's records (full views); anyone else: their own
  // (requester views).
  Result<std::vector<BrokeringView>> List(const Actor& actor);
  // The requests whose contacted practitioner is the actor's own account (full views, the
  // practitioner's inbox), newest first. Reading the list is not audited (it shows UINs and
  // states only, like a notification); opening one with Get is.
  Result<std::vector<BrokeringView>> ForPractitioner(const Actor& actor);
  // The request with its timeline. Management's first view adds "management_viewed".
  Result<BrokeringView> Get(const Actor& actor, int64_t id);
  Status RecordContact(const Actor& actor, int64_t id, const ContactInput& input);
  // `decision`: "share" (with `released`) or "decline".
  Status Decide(const Actor& actor, int64_t id, const std::string& decision,
                const std::string& released);
  // The requester's reasons after a decline; `confirm` must be true (the signature).
  Status Acknowledge(const Actor& actor, int64_t id, const std::string& reasons, bool confirm);

 private:
  enum class Relation { kNone, kRequester, kManagement, kPractitioner };
  Relation RelationOf(const Actor& actor, const domain::BrokeringRequest& r) const;
  BrokeringView ViewFor(const domain::BrokeringRequest& r, bool full) const;
  // Loads the request and checks the actor may act on it in one of `allowed` relations.
  Result<domain::BrokeringRequest> Load(const Actor& actor, std::string_view action, int64_t id,
                                        std::initializer_list<Relation> allowed,
                                        Relation* relation = nullptr);
  Status Audit(const Actor& actor, std::string_view action, std::string target,
               std::string_view outcome, std::string_view reason, std::string details);

  store::ChildStore& children_;
  store::BreakGlassStore& store_;
  store::UserStore& users_;
  audit::AuditSink& audit_;
  const Clock& clock_;
};

}  // namespace cp::workflow
