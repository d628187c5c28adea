// ShieldingService: the whole shielding lifecycle, from request to final unshield, with the
// shielding log (docs/shielding.md). Web and API handlers call this; it never hands out a raw
// child record (this header does not include domain/child_record.h).
//
// Contract:
//  - Rights: Permission::kApplyShield (shielder, management) shields directly;
//    kRequestShield alone raises a pending request, routed to the actor's organisation's named
//    persons (active users with the shielder role) or, when it has none, to the management of
//    the record's responsible authority; kManageShielding (management) records telephone
//    requests, reviews, unshields, reads the log, appeals and documents — for its own
//    authority only (Actor::authority == the record's responsible authority). A system actor
//    (Actor::system: the CLI, the demo, scheduled jobs, the duplicate matcher) may do anything.
//  - Atomic: an accepted request, its log entry, its review, the co-residents' requests and
//    the records' `shielded` flags are one store transaction (store::ShieldStore::Commit), so
//    from the moment RequestShield returns, every other user's view of the record and of its
//    co-residents is the shielded view.
//  - Audited first (fail closed): every action, and every refusal for rights, is recorded in
//    the audit trail before it takes effect; if the audit cannot be written the call returns
//    Unavailable and nothing changes. Audit details hold ids, codes and UINs, never names,
//    contact details or comments.
//  - Errors: InvalidArgument (naming the field) for bad input; NotFound for an unknown UIN or
//    id; PermissionDenied for rights and scope; FailedPrecondition with a machine-readable
//    message for state: "active_shield_requests", "not_shielded", "not_pending",
//    "not_active", "not_telephone"; Conflict when someone else decided first.
// Thread-safe. Dependencies are not owned.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/shielding.h"
#include "workflow/actor.h"

namespace cp::store {
class ChildStore;
class ShieldStore;
class UserStore;
class OrganisationStore;
struct ShieldChange;
}  // namespace cp::store

namespace cp::domain {
struct ChildRecord;
}  // namespace cp::domain

namespace cp::workflow {

// Who an organisation's named persons are, for routing practitioners' requests.
class NamedPersonDirectory {
 public:
  virtual ~NamedPersonDirectory() = default;
  // True if the organisation has at least one active user with the shielder role.
  virtual Result<bool> HasNamedPerson(const std::string& organisation_code) = 0;
};

// Over the user and organisation stores (reads the user list: fine for a few thousand users
// per call; replace with an indexed query when users grow).
class StoreNamedPersonDirectory final : public NamedPersonDirectory {
 public:
  StoreNamedPersonDirectory(store::UserStore& users, store::OrganisationStore& orgs)
      : users_(users), orgs_(orgs) {}
  Result<bool> HasNamedPerson(const std::string& organisation_code) override;

 private:
  store::UserStore& users_;
  store::OrganisationStore& orgs_;
};

// A request to shield, as a handler receives it. Codes are validated here.
struct ShieldInput {
  std::string uin;
  std::vector<std::string> criteria;  // "child_at_risk", "placement_at_risk", "adult_at_risk",
                                      // "serious_crime", "cohabitant_at_risk".
  std::string category;               // A code of domain::AllShieldCategories().
  domain::Requester requester;        // The requesting body; empty fields default to the actor.
  std::string comments;               // Goes to the log: no case details.
  bool telephone = false;             // Management recording a call from a non-user: form due in 7
                                      // working days.
  bool possible_match = false;        // The record is a possible, not definite, match (log code 2).
  bool new_record = false;            // The record was created to be shielded (log code 3).
  bool pre_go_live = false;           // Imported shield (system only): first review at 6 months.
  domain::ShieldForm form;            // Appendix 4 (optional).
};

struct ShieldOutcome {
  int64_t request_id = 0;
  // kActive (applied), kPending (awaiting a named person or management) or kRejected (no
  // criterion applies: recorded and logged with action 5; handlers answer 422).
  domain::RequestStatus status = domain::RequestStatus::kActive;
  std::optional<domain::LogAction> log_action;  // Absent while pending.
  std::string routed_to;                        // Pending: "organisation" or "management".
  size_t co_residents_shielded = 0;             // Co-residing children newly shielded.
  std::optional<Date> form_due;                 // Telephone requests.
};

// The caller's own requests, and (for named persons and management) those awaiting them.
struct RequestLists {
  std::vector<domain::ShieldRequest> own;
  std::vector<domain::ShieldRequest> awaiting_decision;
};

struct ReviewInput {
  std::vector<std::string> consulted;  // Request ids or names of the requesters consulted.
  std::string outcome;                 // "continue" or "unshield_recommended".
  std::string notes;
};

enum class ReviewFilter { kAllOpen, kDue, kOverdue };

struct ReviewItem {
  domain::Review review;
  bool overdue = false;
};

struct Document {
  domain::DocumentInfo info;
  std::string bytes;
};

class ShieldingService {
 public:
  ShieldingService(store::ChildStore& children, store::ShieldStore& shields,
                   NamedPersonDirectory& named_persons, audit::AuditSink& audit,
                   const Clock& clock);

  // --- Requests -------------------------------------------------------------------------
  // Shields directly (kApplyShield), records a telephone request (kManageShielding, applied at
  // once) or raises a pending request (kRequestShield only). A request with no criterion is
  // rejected: recorded with status kRejected and logged (action 5), returned as OK.
  // Co-residing children are shielded at once with requests linked to this one.
  Result<ShieldOutcome> RequestShield(const Actor& actor, const ShieldInput& input);
  // A named person of the organisation the request was routed to, or the record's
  // management, applies (Approve) or refuses (Reject, logged as action 5) a pending request.
  Result<ShieldOutcome> Approve(const Actor& actor, int64_t request_id, const std::string& note);
  Status Reject(const Actor& actor, int64_t request_id, const std::string& note);
  // The requester (or the record's management) withdraws a pending or active request of the
  // child `uin`. The record stays shielded until management unshields it; when the last
  // active request goes, management is notified to decide.
  Status Withdraw(const Actor& actor, const std::string& uin, int64_t request_id);
  // Management's final decision. FailedPrecondition("active_shield_requests") while any
  // request is active (checked again inside the transaction); ("not_shielded") if not
  // shielded. Closes the record's open review.
  Status Unshield(const Actor& actor, const std::string& uin);
  // §11: shields `child_uin` as a possible duplicate of the shielded `shielded_uin` (log action
  // 2, review in 7 days). Management or system (the matcher). Idempotent per pair.
  Result<ShieldOutcome> ShieldPossibleDuplicate(const Actor& actor, const std::string& child_uin,
                                                const std::string& shielded_uin);
  // For the feed importer (§11): plans into `change` the shielding of `new_record`, which is
  // not yet stored (id 0, UIN set), as a possible duplicate of the shielded `shielded_uin`,
  // as ShieldPossibleDuplicate does (request, log action 2, co-residents, review in 7 days,
  // notification), and brings the shielded record's review forward to 7 days. Every child_id
  // 0 in `change` stands for the new record: the caller inserts it already shielded and
  // commits `change` in that same transaction (store::FeedStore::Commit), so it never exists
  // unshielded. Audited first. FailedPrecondition("not_shielded") if the other is not shielded.
  Status PlanPossibleDuplicateOfNew(const Actor& actor, const domain::ChildRecord& new_record,
                                    const std::string& shielded_uin, store::ShieldChange& change);

  // --- Telephone requests ---------------------------------------------------------------
  Status FormReceived(const Actor& actor, int64_t request_id);
  // Marks active telephone requests whose form is late as lapsed (unsuccessful, logged with
  // action 5) and notifies the authority's management to decide about the shield. The
  // record stays shielded. Returns how many lapsed. Run daily (ShieldingMaintenance).
  Result<size_t> LapseOverdueTelephoneRequests(TimePoint now);

  // --- Reviews --------------------------------------------------------------------------
  // Records a review of the shielded record `uin` (consulted and outcome), completes its
  // open review and schedules the next in 6 months. No age cut-off. Returns the next review.
  Result<domain::Review> RecordReview(const Actor& actor, const std::string& uin,
                                      const ReviewInput& input);
  // The open reviews of the actor's authority (management).
  Result<std::vector<ReviewItem>> Reviews(const Actor& actor, ReviewFilter filter);

  // --- Reading --------------------------------------------------------------------------
  Result<RequestLists> Requests(const Actor& actor);
  // One request with its Appendix 4 form: for its requester or the management of its
  // authority (PermissionDenied otherwise, audited). Every read is audited
  // ("shield.request_read") first, since the form may hold the child's addresses.
  Result<domain::ShieldRequest> GetRequest(const Actor& actor, int64_t request_id);
  // Every request on a record (management of its authority).
  Result<std::vector<domain::ShieldRequest>> RequestsForRecord(const Actor& actor,
                                                               const std::string& uin);
  // Principle 17: requests submitted by authorised users (not calls, co-residents or
  // duplicates) on the records of the actor's authority, newest first (management).
  Result<std::vector<domain::ShieldRequest>> SubmittedRequestsReport(const Actor& actor);
  Result<std::vector<domain::Notification>> Notifications(const Actor& actor);

  // --- The shielding log (management, own authority) ------------------------------------
  Result<std::vector<domain::LogEntry>> Log(const Actor& actor);
  Result<std::string> LogCsv(const Actor& actor);
  // Log field 7: the date the confirmation went back to the requester (default today).
  Status MarkConfirmationSent(const Actor& actor, int64_t log_id,
                              std::optional<Date> date = std::nullopt);

  // --- Appeals and complaints (management, own authority) -------------------------------
  Result<int64_t> RecordAppeal(const Actor& actor, const std::string& uin,
                               const std::string& appellant, const std::string& grounds);
  // `outcome`: "upheld", "not_upheld" or "withdrawn".
  Status DecideAppeal(const Actor& actor, int64_t appeal_id, const std::string& outcome,
                      const std::string& notes);
  Result<std::vector<domain::Appeal>> Appeals(const Actor& actor);

  // --- Supporting documents -------------------------------------------------------------
  // The requester or management attaches a PDF/PNG/JPEG (magic bytes checked, 5 MiB at most).
  Result<int64_t> AddDocument(const Actor& actor, int64_t request_id,
                              const std::string& content_type, const std::string& bytes);
  // Only the management of the request's authority may list and read documents.
  Result<std::vector<domain::DocumentInfo>> Documents(const Actor& actor, int64_t request_id);
  Result<Document> ReadDocument(const Actor& actor, int64_t request_id, int64_t document_id);

 private:
  Status Audit(const Actor& actor, std::string_view action, std::string target,
               std::string_view outcome, std::string_view reason, std::string details);
  Status Deny(const Actor& actor, std::string_view action, std::string target, std::string message);
  bool Manages(const Actor& actor, const std::string& authority) const;
  Date Today() const;
  // The active, already-decided request that shields `child` as a possible duplicate of
  // `shielded` (criteria and category taken from the shielded record's active requests).
  Result<domain::ShieldRequest> PossibleDuplicateRequest(const Actor& actor,
                                                         const domain::ChildRecord& child,
                                                         const domain::ChildRecord& shielded,
                                                         TimePoint now);

  store::ChildStore& children_;
  store::ShieldStore& shields_;
  NamedPersonDirectory& named_persons_;
  audit::AuditSink& audit_;
  const Clock& clock_;
};

// Runs LapseOverdueTelephoneRequests every `interval` (default one hour) on a background
// thread, and once at Start.
class ShieldingMaintenance {
 public:
  ShieldingMaintenance(ShieldingService& service, const Clock& clock,
                       std::chrono::milliseconds interval = std::chrono::hours(1));
  ~ShieldingMaintenance();
  void Start();
  void Stop();

 private:
  struct State;
  ShieldingService& service_;
  const Clock& clock_;
  std::chrono::milliseconds interval_;
  std::unique_ptr<State> state_;
};

}  // namespace cp::workflow
