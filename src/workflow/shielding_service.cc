#include "workflow/shielding_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "domain/child_record.h"
#include "domain/field_validation.h"
#include "policy/rbac.h"
#include "store/child_store.h"
#include "store/organisation_store.h"
#include "store/shield_store.h"
#include "store/user_store.h"
#include "workflow/audit_trail.h"
#include "workflow/merge_redirect.h"

namespace cp::workflow {
namespace {

using domain::LogAction;
using domain::RequestStatus;
using domain::ShieldRequest;
using domain::ShieldSource;
using policy::Permission;

bool Granted(const Actor& actor, Permission p) {
  return actor.system || policy::IsGranted(actor.roles, p);
}

std::string Target(std::string_view uin) { return "child:" + std::string(uin.substr(0, 16)); }

std::string RequestTarget(int64_t id) { return "shield_request:" + std::to_string(id); }

boost::json::array CriteriaJson(const std::vector<domain::ShieldCriterion>& criteria) {
  boost::json::array out;
  for (auto c : criteria) out.emplace_back(domain::ShieldCriterionName(c));
  return out;
}

std::string Recipient(std::string_view kind, std::string_view who) {
  return std::string(kind) + ":" + std::string(who);
}

domain::Notification Note(std::string recipient, std::string kind, std::string text,
                          std::string uin, int64_t request_id, TimePoint now) {
  return domain::Notification{
      0, std::move(recipient), std::move(kind), std::move(text), std::move(uin), request_id, now};
}

domain::LogEntry LogFor(const ShieldRequest& r, LogAction action, Date today,
                        std::string comments) {
  domain::LogEntry e;
  e.authority = r.authority;
  e.request_id = r.id;
  e.uin = r.child_uin;
  e.action = action;
  e.category = r.category;
  e.date = today;
  e.requester_contact = r.requester.name.empty() ? r.requester.contact
                                                 : r.requester.name + ", " + r.requester.contact;
  e.relationship = r.requester.relationship;
  e.comments = std::move(comments);
  return e;
}

// Validates the free-text parts of an input (lengths, control characters).
Status ValidateInputText(ShieldInput& in) {
  CP_ASSIGN_OR_RETURN(in.requester.name,
                      domain::ValidateText(in.requester.name, "requester.name", 200));
  CP_ASSIGN_OR_RETURN(in.requester.contact,
                      domain::ValidateText(in.requester.contact, "requester.contact", 400));
  CP_ASSIGN_OR_RETURN(
      in.requester.relationship,
      domain::ValidateText(in.requester.relationship, "requester.relationship", 200));
  CP_ASSIGN_OR_RETURN(in.comments, domain::ValidateText(in.comments, "comments", 1000));
  domain::ShieldForm& f = in.form;
  for (auto [value, field] :
       {std::pair{&f.requester_reference, "form.requester_reference"},
        std::pair{&f.surname, "form.surname"},
        std::pair{&f.known_as_surname, "form.known_as_surname"},
        std::pair{&f.forenames, "form.forenames"},
        std::pair{&f.date_of_birth, "form.date_of_birth"}, std::pair{&f.gender, "form.gender"},
        std::pair{&f.service_name, "form.service_name"},
        std::pair{&f.caseworker, "form.caseworker"},
        std::pair{&f.service_phone, "form.service_phone"},
        std::pair{&f.service_email, "form.service_email"},
        std::pair{&f.office_decision, "form.office_decision"},
        std::pair{&f.decided_by, "form.decided_by"}, std::pair{&f.reviewer, "form.reviewer"},
        std::pair{&f.review_when, "form.review_when"}}) {
    CP_ASSIGN_OR_RETURN(*value, domain::ValidateText(*value, field, 200));
  }
  if (!f.date_of_birth.empty()) {
    CP_RETURN_IF_ERROR(Date::Parse(f.date_of_birth, "form.date_of_birth").status());
  }
  if (f.recent_addresses.size() > 10) {
    return Status::InvalidArgument("At most 10 recent addresses", "form.recent_addresses");
  }
  for (std::string& a : f.recent_addresses) {
    CP_ASSIGN_OR_RETURN(a, domain::ValidateText(a, "form.recent_addresses", 400));
  }
  return Status::Ok();
}

// Builds, into `change`, everything applying `request` to `child` means: the request (new, or
// an update of the pending one with `request.id`), the flag, the first review, the log entry,
// and the co-residents' own requests (§10). Returns the log action of the request itself.
struct ApplyPlan {
  LogAction action = LogAction::kShieldApplied;
  size_t co_residents_shielded = 0;
  int request_index = -1;  // Index in change.new_requests, or -1 for an existing request.
};

Result<ApplyPlan> PlanApply(store::ChildStore& children, store::ShieldStore& shields,
                            store::ShieldChange& change, const domain::ChildRecord& child,
                            ShieldRequest request, LogAction action_if_new, Date today,
                            TimePoint now, const std::string& comments) {
  ApplyPlan plan;
  plan.action = child.shielded ? LogAction::kAdditionalRequest : action_if_new;
  request.status = RequestStatus::kActive;
  if (request.id == 0) {
    change.new_requests.push_back({request, -1});
    plan.request_index = static_cast<int>(change.new_requests.size()) - 1;
  } else {
    change.request_updates.push_back({request, RequestStatus::kPending});
  }
  if (!child.shielded) change.flags.push_back({child.id, true, false});
  change.reviews.push_back({child.id, child.uin.str(), child.responsible_authority,
                            domain::FirstReviewDue(today, request.pre_go_live)});
  change.log.push_back({LogFor(request, plan.action, today, comments), plan.request_index});

  CP_ASSIGN_OR_RETURN(std::vector<int64_t> co_ids, children.FindCoResidents(child));
  for (int64_t co_id : co_ids) {
    CP_ASSIGN_OR_RETURN(domain::ChildRecord co, children.Get(co_id));
    CP_ASSIGN_OR_RETURN(std::vector<ShieldRequest> existing, shields.RequestsForChild(co_id));
    const bool linked = std::any_of(existing.begin(), existing.end(), [&](const auto& r) {
      return r.status == RequestStatus::kActive && r.source == ShieldSource::kCoResident &&
             r.linked_uin == child.uin.str();
    });
    if (linked) continue;  // Already shielded because of this child.
    ShieldRequest co_request = request;
    co_request.id = 0;
    co_request.child_id = co.id;
    co_request.child_uin = co.uin.str();
    co_request.authority = co.responsible_authority;
    co_request.source = ShieldSource::kCoResident;
    co_request.criteria = {domain::ShieldCriterion::kCohabitantAtRisk};
    co_request.linked_uin = child.uin.str();
    co_request.origin_request_id = request.id;
    co_request.telephone = false;
    co_request.form_due.reset();
    co_request.form = {};
    co_request.comments = "Co-resident of " + child.uin.str();
    co_request.routed_to.clear();
    co_request.created_at = now;
    co_request.decided_at = now;
    change.new_requests.push_back({co_request, plan.request_index});
    const int co_index = static_cast<int>(change.new_requests.size()) - 1;
    if (!co.shielded) {
      change.flags.push_back({co.id, true, false});
      ++plan.co_residents_shielded;
    }
    // §10: reviewed within 7 days, with the original requester.
    change.reviews.push_back({co.id, co.uin.str(), co.responsible_authority,
                              domain::FirstReviewDue(today, request.pre_go_live)});
    change.log.push_back(
        {LogFor(co_request, co.shielded ? LogAction::kAdditionalRequest : LogAction::kShieldApplied,
                today, "Co-resident of " + child.uin.str()),
         co_index});
    change.notifications.push_back(
        {Note(Recipient("management", co.responsible_authority), "co_resident_review",
              "Record " + co.uin.str() + " was shielded as a co-resident of " + child.uin.str() +
                  ": review within 7 days with the original requester.",
              co.uin.str(), 0, now),
         co_index});
  }
  return plan;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

Result<bool> StoreNamedPersonDirectory::HasNamedPerson(const std::string& organisation_code) {
  auto org = orgs_.GetByCode(organisation_code);
  if (org.status().code() == StatusCode::kNotFound) return false;
  CP_RETURN_IF_ERROR(org.status());
  CP_ASSIGN_OR_RETURN(std::vector<domain::User> users, users_.List());
  return std::any_of(users.begin(), users.end(), [&](const domain::User& u) {
    return u.organisation_id == org->id && u.roles.Has(domain::Role::kShielder) &&
           u.status == domain::AccountStatus::kActive;
  });
}

ShieldingService::ShieldingService(store::ChildStore& children, store::ShieldStore& shields,
                                   NamedPersonDirectory& named_persons, audit::AuditSink& audit,
                                   const Clock& clock)
    : children_(children),
      shields_(shields),
      named_persons_(named_persons),
      audit_(audit),
      clock_(clock) {}

Date ShieldingService::Today() const { return Date::FromTime(clock_.Now()); }

bool ShieldingService::Manages(const Actor& actor, const std::string& authority) const {
  if (actor.system) return true;
  return policy::IsGranted(actor.roles, Permission::kManageShielding) && !actor.authority.empty() &&
         actor.authority == authority;
}

Status ShieldingService::Audit(const Actor& actor, std::string_view action, std::string target,
                               std::string_view outcome, std::string_view reason,
                               std::string details) {
  return RecordAction(audit_, actor, action, std::move(target), outcome, reason,
                      std::move(details));
}

Status ShieldingService::Deny(const Actor& actor, std::string_view action, std::string target,
                              std::string message) {
  CP_RETURN_IF_ERROR(Audit(actor, action, std::move(target), "denied", "rbac", ""));
  return Status::PermissionDenied(std::move(message));
}

// --- Requests ------------------------------------------------------------------------------

Result<ShieldOutcome> ShieldingService::RequestShield(const Actor& actor,
                                                      const ShieldInput& raw_input) {
  constexpr std::string_view kAction = "shield.request";
  const bool can_apply = Granted(actor, Permission::kApplyShield);
  const bool can_request = Granted(actor, Permission::kRequestShield);
  if (!can_apply && !can_request) {
    return Deny(actor, kAction, Target(raw_input.uin), "You may not request shielding");
  }
  if ((raw_input.telephone || raw_input.new_record) &&
      !Granted(actor, Permission::kManageShielding)) {
    return Deny(actor, kAction, Target(raw_input.uin),
                "Only the ContactPoint management team records telephone requests");
  }
  if (raw_input.pre_go_live && !actor.system) {
    return Deny(actor, kAction, Target(raw_input.uin), "Only an import marks a pre-go-live shield");
  }
  ShieldInput input = raw_input;
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(input.uin));
  CP_ASSIGN_OR_RETURN(std::vector<domain::ShieldCriterion> criteria,
                      domain::ParseShieldCriteria(input.criteria));
  if (!domain::IsShieldCategory(input.category)) {
    return Status::InvalidArgument("Choose a category from the list", "category");
  }
  CP_RETURN_IF_ERROR(ValidateInputText(input));
  if (input.telephone && (input.requester.name.empty() || input.requester.contact.empty())) {
    return Status::InvalidArgument(
        "Record the caller's name and contact details",
        input.requester.name.empty() ? "requester.name" : "requester.contact");
  }
  if (input.requester.name.empty()) input.requester.name = actor.username;
  if (input.requester.contact.empty()) input.requester.contact = actor.organisation_code;
  if (input.requester.relationship.empty()) input.requester.relationship = "practitioner";

  // A UIN merged away names the surviving record (docs/duplicates.md): the request is for the
  // same child, so it goes to the survivor rather than being lost.
  auto resolved = GetFollowingMerges(children_, uin);
  if (resolved.status().code() == StatusCode::kNotFound) {
    CP_RETURN_IF_ERROR(Audit(actor, kAction, Target(uin.str()), "failure", "not_found", ""));
    return Status::NotFound("No child has that UIN");
  }
  CP_RETURN_IF_ERROR(resolved.status());
  const domain::ChildRecord* child = &resolved->record;
  uin = child->uin;

  const TimePoint now = clock_.Now();
  const Date today = Date::FromTime(now);
  ShieldRequest request;
  request.child_id = child->id;
  request.child_uin = uin.str();
  request.authority = child->responsible_authority;
  request.criteria = criteria;
  request.category = input.category;
  request.requester = input.requester;
  request.requested_by = actor.system ? "system" : actor.username;
  request.requester_org = actor.organisation_code;
  request.comments = input.comments;
  request.form = input.form;
  request.created_at = now;
  request.pre_go_live = input.pre_go_live;
  request.source = input.telephone     ? ShieldSource::kTelephone
                   : input.pre_go_live ? ShieldSource::kImport
                   : can_apply         ? ShieldSource::kUser
                                       : ShieldSource::kPractitioner;
  if (input.telephone) {
    request.telephone = true;
    request.form_due = domain::TelephoneFormDue(today);
  }
  boost::json::object details{{"criteria", CriteriaJson(criteria)},
                              {"category", input.category},
                              {"source", domain::ShieldSourceName(request.source)}};

  store::ShieldChange change;
  ShieldOutcome outcome;
  if (criteria.empty()) {
    // §3: no criterion applies, so the request is rejected and logged.
    request.status = RequestStatus::kRejected;
    request.decided_at = now;
    request.decided_by = request.requested_by;
    request.decision_note = "No shielding criterion applies";
    change.new_requests.push_back({request, -1});
    change.log.push_back(
        {LogFor(request, LogAction::kRejected, today, "Rejected: no shielding criterion applies"),
         0});
    details["action"] = static_cast<int>(LogAction::kRejected);
    CP_RETURN_IF_ERROR(Audit(actor, kAction, Target(uin.str()), "refused", "no_criteria",
                             boost::json::serialize(details)));
    CP_ASSIGN_OR_RETURN(store::CommitResult done, shields_.Commit(change));
    outcome.request_id = done.request_ids[0];
    outcome.status = RequestStatus::kRejected;
    outcome.log_action = LogAction::kRejected;
    return outcome;
  }

  if (!can_apply) {
    // A practitioner without the right: to the organisation's named person, or management.
    CP_ASSIGN_OR_RETURN(bool has_named, named_persons_.HasNamedPerson(actor.organisation_code));
    request.status = RequestStatus::kPending;
    request.routed_to = has_named ? Recipient("organisation", actor.organisation_code)
                                  : Recipient("management", child->responsible_authority);
    change.new_requests.push_back({request, -1});
    change.notifications.push_back(
        {Note(has_named ? Recipient("shielders", actor.organisation_code)
                        : Recipient("management", child->responsible_authority),
              "request_pending",
              "A shielding request for record " + uin.str() + " awaits your decision.", uin.str(),
              0, now),
         0});
    details["routed_to"] = has_named ? "organisation" : "management";
    CP_RETURN_IF_ERROR(
        Audit(actor, kAction, Target(uin.str()), "pending", "", boost::json::serialize(details)));
    CP_ASSIGN_OR_RETURN(store::CommitResult done, shields_.Commit(change));
    outcome.request_id = done.request_ids[0];
    outcome.status = RequestStatus::kPending;
    outcome.routed_to = has_named ? "organisation" : "management";
    return outcome;
  }

  request.decided_at = now;
  request.decided_by = request.requested_by;
  const LogAction action_if_new = input.new_record       ? LogAction::kNewRecordShielded
                                  : input.possible_match ? LogAction::kPossibleMatchShielded
                                                         : LogAction::kShieldApplied;
  CP_ASSIGN_OR_RETURN(ApplyPlan plan, PlanApply(children_, shields_, change, *child, request,
                                                action_if_new, today, now, input.comments));
  if (input.telephone) {
    change.notifications.push_back(
        {Note(Recipient("management", child->responsible_authority), "form_due",
              "Telephone request for record " + uin.str() + ": the completed form is due by " +
                  request.form_due->ToString() + ".",
              uin.str(), 0, now),
         plan.request_index});
  }
  details["action"] = static_cast<int>(plan.action);
  details["co_residents_shielded"] = plan.co_residents_shielded;
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, Target(uin.str()), "success", "", boost::json::serialize(details)));
  CP_ASSIGN_OR_RETURN(store::CommitResult done, shields_.Commit(change));
  outcome.request_id = done.request_ids[static_cast<size_t>(plan.request_index)];
  outcome.status = RequestStatus::kActive;
  outcome.log_action = plan.action;
  outcome.co_residents_shielded = plan.co_residents_shielded;
  outcome.form_due = request.form_due;
  return outcome;
}

Result<ShieldOutcome> ShieldingService::Approve(const Actor& actor, int64_t request_id,
                                                const std::string& note) {
  constexpr std::string_view kAction = "shield.approve";
  CP_ASSIGN_OR_RETURN(ShieldRequest request, shields_.GetRequest(request_id));
  const bool named_person = Granted(actor, Permission::kApplyShield) &&
                            request.routed_to == Recipient("organisation", actor.organisation_code);
  if (!named_person && !Manages(actor, request.authority)) {
    return Deny(actor, kAction, RequestTarget(request_id), "This request is not yours to decide");
  }
  if (request.status != RequestStatus::kPending) return Status::FailedPrecondition("not_pending");
  CP_ASSIGN_OR_RETURN(std::string clean_note, domain::ValidateText(note, "note", 1000));
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(request.child_uin));
  CP_ASSIGN_OR_RETURN(domain::ChildRecord child, children_.GetByUin(uin));
  const TimePoint now = clock_.Now();
  const Date today = Date::FromTime(now);
  request.decided_at = now;
  request.decided_by = actor.system ? "system" : actor.username;
  request.decision_note = clean_note;
  store::ShieldChange change;
  CP_ASSIGN_OR_RETURN(ApplyPlan plan,
                      PlanApply(children_, shields_, change, child, request,
                                LogAction::kShieldApplied, today, now, request.comments));
  change.notifications.push_back(
      {Note(Recipient("user", request.requested_by), "outcome",
            "Your shielding request " + std::to_string(request.id) + " for record " +
                request.child_uin + " was approved: the record is shielded.",
            request.child_uin, request.id, now),
       -1});
  boost::json::object details{{"request", request_id},
                              {"action", static_cast<int>(plan.action)},
                              {"co_residents_shielded", plan.co_residents_shielded}};
  CP_RETURN_IF_ERROR(Audit(actor, kAction, Target(request.child_uin), "success", "",
                           boost::json::serialize(details)));
  CP_RETURN_IF_ERROR(shields_.Commit(change).status());
  ShieldOutcome outcome;
  outcome.request_id = request.id;
  outcome.status = RequestStatus::kActive;
  outcome.log_action = plan.action;
  outcome.co_residents_shielded = plan.co_residents_shielded;
  return outcome;
}

Status ShieldingService::Reject(const Actor& actor, int64_t request_id, const std::string& note) {
  constexpr std::string_view kAction = "shield.reject";
  CP_ASSIGN_OR_RETURN(ShieldRequest request, shields_.GetRequest(request_id));
  const bool named_person = Granted(actor, Permission::kApplyShield) &&
                            request.routed_to == Recipient("organisation", actor.organisation_code);
  if (!named_person && !Manages(actor, request.authority)) {
    return Deny(actor, kAction, RequestTarget(request_id), "This request is not yours to decide");
  }
  if (request.status != RequestStatus::kPending) return Status::FailedPrecondition("not_pending");
  CP_ASSIGN_OR_RETURN(std::string clean_note, domain::ValidateText(note, "note", 1000));
  const TimePoint now = clock_.Now();
  request.status = RequestStatus::kRejected;
  request.decided_at = now;
  request.decided_by = actor.system ? "system" : actor.username;
  request.decision_note = clean_note;
  store::ShieldChange change;
  change.request_updates.push_back({request, RequestStatus::kPending});
  change.log.push_back({LogFor(request, LogAction::kRejected, Date::FromTime(now),
                               "Rejected: does not meet the shielding criteria"),
                        -1});
  change.notifications.push_back({Note(Recipient("user", request.requested_by), "outcome",
                                       "Your shielding request " + std::to_string(request.id) +
                                           " for record " + request.child_uin + " was rejected.",
                                       request.child_uin, request.id, now),
                                  -1});
  CP_RETURN_IF_ERROR(Audit(actor, kAction, Target(request.child_uin), "success", "",
                           boost::json::serialize(boost::json::object{{"request", request_id}})));
  return shields_.Commit(change).status();
}

Status ShieldingService::Withdraw(const Actor& actor, const std::string& uin_text,
                                  int64_t request_id) {
  constexpr std::string_view kAction = "shield.withdraw";
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(uin_text));
  auto found = shields_.GetRequest(request_id);
  if (found.status().code() == StatusCode::kNotFound ||
      (found.ok() && found->child_uin != uin.str())) {
    return Status::NotFound("No such shield request on this record");
  }
  CP_RETURN_IF_ERROR(found.status());
  ShieldRequest request = *found;
  const bool own = !actor.system && request.requested_by == actor.username;
  if (!own && !Manages(actor, request.authority)) {
    return Deny(actor, kAction, RequestTarget(request_id),
                "Only the requester or the ContactPoint management team may withdraw a request");
  }
  if (request.status != RequestStatus::kActive && request.status != RequestStatus::kPending) {
    return Status::FailedPrecondition("not_active");
  }
  const RequestStatus was = request.status;
  const TimePoint now = clock_.Now();
  request.status = RequestStatus::kWithdrawn;
  request.decided_at = now;
  request.decided_by = actor.system ? "system" : actor.username;
  store::ShieldChange change;
  change.request_updates.push_back({request, was});
  CP_ASSIGN_OR_RETURN(std::vector<ShieldRequest> all, shields_.RequestsForChild(request.child_id));
  const bool others_active = std::any_of(all.begin(), all.end(), [&](const auto& r) {
    return r.id != request.id && r.status == RequestStatus::kActive;
  });
  if (was == RequestStatus::kActive && !others_active) {
    // §7: the record stays shielded until management decides.
    change.notifications.push_back(
        {Note(Recipient("management", request.authority), "decide_shield",
              "No shielding request remains active on record " + request.child_uin +
                  ": decide whether to remove the shield.",
              request.child_uin, request.id, now),
         -1});
  }
  CP_RETURN_IF_ERROR(Audit(actor, kAction, Target(request.child_uin), "success", "",
                           boost::json::serialize(boost::json::object{{"request", request_id}})));
  return shields_.Commit(change).status();
}

Status ShieldingService::Unshield(const Actor& actor, const std::string& uin_text) {
  constexpr std::string_view kAction = "shield.unshield";
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(uin_text));
  auto child = children_.GetByUin(uin);
  if (child.status().code() == StatusCode::kNotFound) {
    return Status::NotFound("No child has that UIN");
  }
  CP_RETURN_IF_ERROR(child.status());
  if (!Manages(actor, child->responsible_authority)) {
    return Deny(actor, kAction, Target(uin.str()),
                "Only the responsible authority's ContactPoint management team may unshield");
  }
  if (!child->shielded) return Status::FailedPrecondition("not_shielded");
  CP_ASSIGN_OR_RETURN(std::vector<ShieldRequest> all, shields_.RequestsForChild(child->id));
  const auto active = std::count_if(
      all.begin(), all.end(), [](const auto& r) { return r.status == RequestStatus::kActive; });
  if (active > 0) {
    CP_RETURN_IF_ERROR(Audit(actor, kAction, Target(uin.str()), "refused", "active_shield_requests",
                             boost::json::serialize(boost::json::object{{"active", active}})));
    return Status::FailedPrecondition("active_shield_requests");
  }
  const TimePoint now = clock_.Now();
  store::ShieldChange change;
  change.flags.push_back({child->id, false, /*require_no_active_requests=*/true});
  change.close_open_reviews_of.push_back(child->id);
  std::vector<std::string> told;
  for (const ShieldRequest& r : all) {
    if (r.requested_by == "system" ||
        std::find(told.begin(), told.end(), r.requested_by) != told.end()) {
      continue;
    }
    told.push_back(r.requested_by);
    change.notifications.push_back(
        {Note(Recipient("user", r.requested_by), "outcome",
              "The ContactPoint management team removed the shield from record " + uin.str() + ".",
              uin.str(), r.id, now),
         -1});
  }
  CP_RETURN_IF_ERROR(Audit(actor, kAction, Target(uin.str()), "success", "", ""));
  Status done = shields_.Commit(change).status();
  return done;
}

Result<ShieldOutcome> ShieldingService::ShieldPossibleDuplicate(const Actor& actor,
                                                                const std::string& child_uin,
                                                                const std::string& shielded_uin) {
  constexpr std::string_view kAction = "shield.possible_duplicate";
  if (!Granted(actor, Permission::kManageShielding)) {
    return Deny(actor, kAction, Target(child_uin),
                "Only the ContactPoint management team shields possible duplicates");
  }
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(child_uin));
  CP_ASSIGN_OR_RETURN(domain::Uin other_uin, domain::Uin::Parse(shielded_uin));
  if (uin == other_uin) {
    return Status::InvalidArgument("A record cannot be a duplicate of itself", "other_uin");
  }
  CP_ASSIGN_OR_RETURN(domain::ChildRecord child, children_.GetByUin(uin));
  CP_ASSIGN_OR_RETURN(domain::ChildRecord shielded, children_.GetByUin(other_uin));
  if (!shielded.shielded) return Status::FailedPrecondition("not_shielded");
  CP_ASSIGN_OR_RETURN(std::vector<ShieldRequest> existing, shields_.RequestsForChild(child.id));
  for (const ShieldRequest& r : existing) {
    if (r.status == RequestStatus::kActive && r.source == ShieldSource::kPossibleDuplicate &&
        r.linked_uin == other_uin.str()) {
      ShieldOutcome same;
      same.request_id = r.id;
      same.status = RequestStatus::kActive;
      return same;  // Already recorded.
    }
  }
  const TimePoint now = clock_.Now();
  CP_ASSIGN_OR_RETURN(ShieldRequest request, PossibleDuplicateRequest(actor, child, shielded, now));
  store::ShieldChange change;
  CP_ASSIGN_OR_RETURN(ApplyPlan plan, PlanApply(children_, shields_, change, child, request,
                                                LogAction::kPossibleMatchShielded,
                                                Date::FromTime(now), now, request.comments));
  change.notifications.push_back(
      {Note(Recipient("management", child.responsible_authority), "duplicate_review",
            "Record " + uin.str() + " was shielded as a possible duplicate of " + other_uin.str() +
                ": review within 7 days.",
            uin.str(), 0, now),
       plan.request_index});
  boost::json::object details{{"duplicate_of", other_uin.str()},
                              {"action", static_cast<int>(plan.action)}};
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, Target(uin.str()), "success", "", boost::json::serialize(details)));
  CP_ASSIGN_OR_RETURN(store::CommitResult done, shields_.Commit(change));
  ShieldOutcome outcome;
  outcome.request_id = done.request_ids[static_cast<size_t>(plan.request_index)];
  outcome.status = RequestStatus::kActive;
  outcome.log_action = plan.action;
  outcome.co_residents_shielded = plan.co_residents_shielded;
  return outcome;
}

Result<ShieldRequest> ShieldingService::PossibleDuplicateRequest(
    const Actor& actor, const domain::ChildRecord& child, const domain::ChildRecord& shielded,
    TimePoint now) {
  // The duplicate takes the reasons of the shielded record's active requests.
  CP_ASSIGN_OR_RETURN(std::vector<ShieldRequest> origin, shields_.RequestsForChild(shielded.id));
  std::vector<domain::ShieldCriterion> criteria;
  std::string category = "other";
  for (const ShieldRequest& r : origin) {
    if (r.status != RequestStatus::kActive) continue;
    category = r.category;
    for (auto c : r.criteria) {
      if (std::find(criteria.begin(), criteria.end(), c) == criteria.end()) criteria.push_back(c);
    }
  }
  if (criteria.empty()) criteria.push_back(domain::ShieldCriterion::kChildAtRisk);
  ShieldRequest request;
  request.child_id = child.id;
  request.child_uin = child.uin.str();
  request.authority = child.responsible_authority;
  request.source = ShieldSource::kPossibleDuplicate;
  request.criteria = criteria;
  request.category = category;
  request.requester = {"ContactPoint management team", shielded.responsible_authority,
                       "management (possible duplicate)"};
  request.requested_by = actor.system ? "system" : actor.username;
  request.requester_org = actor.organisation_code;
  request.linked_uin = shielded.uin.str();
  request.comments = "Possible duplicate of " + shielded.uin.str();
  request.created_at = now;
  request.decided_at = now;
  request.decided_by = request.requested_by;
  return request;
}

Status ShieldingService::PlanPossibleDuplicateOfNew(const Actor& actor,
                                                    const domain::ChildRecord& new_record,
                                                    const std::string& shielded_uin,
                                                    store::ShieldChange& change) {
  constexpr std::string_view kAction = "shield.possible_duplicate";
  if (!Granted(actor, Permission::kManageShielding)) {
    return Deny(actor, kAction, Target(new_record.uin.str()),
                "Only the ContactPoint management team shields possible duplicates");
  }
  if (new_record.id != 0 || new_record.uin.empty()) {
    return Status::InvalidArgument("Only a record not yet stored, with its UIN", "uin");
  }
  CP_ASSIGN_OR_RETURN(domain::Uin other_uin, domain::Uin::Parse(shielded_uin));
  CP_ASSIGN_OR_RETURN(domain::ChildRecord shielded, children_.GetByUin(other_uin));
  if (!shielded.shielded) return Status::FailedPrecondition("not_shielded");
  const TimePoint now = clock_.Now();
  const Date today = Date::FromTime(now);
  domain::ChildRecord unshielded = new_record;
  unshielded.shielded = false;  // Planned as newly shielded (log action 2).
  CP_ASSIGN_OR_RETURN(ShieldRequest request,
                      PossibleDuplicateRequest(actor, unshielded, shielded, now));
  CP_ASSIGN_OR_RETURN(ApplyPlan plan,
                      PlanApply(children_, shields_, change, unshielded, request,
                                LogAction::kPossibleMatchShielded, today, now, request.comments));
  // §11: both records are reviewed within 7 days.
  change.reviews.push_back({shielded.id, shielded.uin.str(), shielded.responsible_authority,
                            domain::FirstReviewDue(today, false)});
  change.notifications.push_back(
      {Note(Recipient("management", new_record.responsible_authority), "duplicate_review",
            "Record " + new_record.uin.str() + " was created shielded as a possible duplicate of " +
                other_uin.str() + ": review both within 7 days.",
            new_record.uin.str(), 0, now),
       plan.request_index});
  boost::json::object details{{"duplicate_of", other_uin.str()},
                              {"action", static_cast<int>(plan.action)},
                              {"new_record", true},
                              {"co_residents_shielded", plan.co_residents_shielded}};
  return Audit(actor, kAction, Target(new_record.uin.str()), "success", "",
               boost::json::serialize(details));
}

// --- Telephone requests --------------------------------------------------------------------

Status ShieldingService::FormReceived(const Actor& actor, int64_t request_id) {
  constexpr std::string_view kAction = "shield.form_received";
  CP_ASSIGN_OR_RETURN(ShieldRequest request, shields_.GetRequest(request_id));
  if (!Manages(actor, request.authority)) {
    return Deny(actor, kAction, RequestTarget(request_id),
                "Only the ContactPoint management team records forms");
  }
  if (!request.telephone) return Status::FailedPrecondition("not_telephone");
  if (request.status != RequestStatus::kActive) return Status::FailedPrecondition("not_active");
  if (request.form_received) return Status::Ok();
  request.form_received = Today();
  store::ShieldChange change;
  change.request_updates.push_back({request, RequestStatus::kActive});
  CP_RETURN_IF_ERROR(Audit(actor, kAction, Target(request.child_uin), "success", "",
                           boost::json::serialize(boost::json::object{{"request", request_id}})));
  return shields_.Commit(change).status();
}

Result<size_t> ShieldingService::LapseOverdueTelephoneRequests(TimePoint now) {
  const Date today = Date::FromTime(now);
  CP_ASSIGN_OR_RETURN(std::vector<ShieldRequest> late, shields_.LateTelephoneRequests(today));
  Actor system;
  system.username = "system";
  system.system = true;
  size_t lapsed = 0;
  for (ShieldRequest request : late) {
    if (!domain::TelephoneFormLate(request, today)) continue;
    request.status = RequestStatus::kLapsed;
    request.decided_at = now;
    request.decided_by = "system";
    request.decision_note = "The completed form did not arrive within 7 working days";
    store::ShieldChange change;
    change.request_updates.push_back({request, RequestStatus::kActive});
    change.log.push_back({LogFor(request, LogAction::kRejected, today,
                                 "Telephone request lapsed: no completed form within 7 working "
                                 "days"),
                          -1});
    change.notifications.push_back(
        {Note(Recipient("management", request.authority), "decide_shield",
              "The telephone request " + std::to_string(request.id) + " for record " +
                  request.child_uin +
                  " lapsed without its form: decide whether the record stays shielded.",
              request.child_uin, request.id, now),
         -1});
    CP_RETURN_IF_ERROR(Audit(system, "shield.lapse", Target(request.child_uin), "success", "",
                             boost::json::serialize(boost::json::object{{"request", request.id}})));
    Status st = shields_.Commit(change).status();
    if (st.code() == StatusCode::kConflict) continue;  // The form arrived meanwhile.
    CP_RETURN_IF_ERROR(st);
    ++lapsed;
  }
  return lapsed;
}

// --- Reviews -------------------------------------------------------------------------------

Result<domain::Review> ShieldingService::RecordReview(const Actor& actor,
                                                      const std::string& uin_text,
                                                      const ReviewInput& input) {
  constexpr std::string_view kAction = "shield.review";
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(uin_text));
  CP_ASSIGN_OR_RETURN(domain::ChildRecord child, children_.GetByUin(uin));
  if (!Manages(actor, child.responsible_authority)) {
    return Deny(actor, kAction, Target(uin.str()),
                "Only the responsible authority's ContactPoint management team reviews shields");
  }
  auto outcome = domain::ParseReviewOutcome(input.outcome);
  if (!outcome) {
    return Status::InvalidArgument("The outcome is 'continue' or 'unshield_recommended'",
                                   "outcome");
  }
  if (input.consulted.empty()) {
    return Status::InvalidArgument("Record which requesters were consulted", "consulted");
  }
  domain::Review done;
  for (const std::string& c : input.consulted) {
    CP_ASSIGN_OR_RETURN(std::string clean, domain::ValidateText(c, "consulted", 200));
    done.consulted.push_back(clean);
  }
  CP_ASSIGN_OR_RETURN(done.notes, domain::ValidateText(input.notes, "notes", 2000));
  if (!child.shielded) return Status::FailedPrecondition("not_shielded");
  const TimePoint now = clock_.Now();
  const Date today = Date::FromTime(now);
  CP_ASSIGN_OR_RETURN(std::optional<domain::Review> open, shields_.OpenReview(child.id));
  done.id = open ? open->id : 0;
  done.child_id = child.id;
  done.child_uin = uin.str();
  done.authority = child.responsible_authority;
  done.due = open ? open->due : today;
  done.completed_at = now;
  done.reviewer = actor.system ? "system" : actor.username;
  done.outcome = outcome;
  store::ShieldChange change;
  change.completed_reviews.push_back(done);
  // Principle 16: reviews go on every 6 months, past the 18th birthday too.
  const Date next = domain::NextReviewDue(today);
  change.reviews.push_back({child.id, uin.str(), child.responsible_authority, next});
  CP_ASSIGN_OR_RETURN(std::vector<ShieldRequest> all, shields_.RequestsForChild(child.id));
  std::vector<std::string> told;
  for (const ShieldRequest& r : all) {
    if (r.status != RequestStatus::kActive || r.requested_by == "system" ||
        std::find(told.begin(), told.end(), r.requested_by) != told.end()) {
      continue;
    }
    told.push_back(r.requested_by);
    change.notifications.push_back({Note(Recipient("user", r.requested_by), "review",
                                         "The shield on record " + uin.str() + " was reviewed (" +
                                             std::string(domain::ReviewOutcomeName(*outcome)) +
                                             "); next review by " + next.ToString() + ".",
                                         uin.str(), r.id, now),
                                    -1});
  }
  boost::json::object details{{"outcome", domain::ReviewOutcomeName(*outcome)},
                              {"consulted", done.consulted.size()},
                              {"next_due", next.ToString()}};
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, Target(uin.str()), "success", "", boost::json::serialize(details)));
  CP_RETURN_IF_ERROR(shields_.Commit(change).status());
  CP_ASSIGN_OR_RETURN(std::optional<domain::Review> scheduled, shields_.OpenReview(child.id));
  if (!scheduled) return Status::Internal("the next review was not scheduled");
  return *scheduled;
}

Result<std::vector<ReviewItem>> ShieldingService::Reviews(const Actor& actor, ReviewFilter filter) {
  if (!Manages(actor, actor.authority)) {
    return Deny(actor, "shield.reviews", "reviews", "Only the ContactPoint management team");
  }
  CP_ASSIGN_OR_RETURN(std::vector<domain::Review> open, shields_.Reviews(actor.authority, true));
  const Date today = Today();
  std::vector<ReviewItem> out;
  for (domain::Review& r : open) {
    const bool overdue = r.due < today;
    if (filter == ReviewFilter::kDue && overdue) continue;
    if (filter == ReviewFilter::kOverdue && !overdue) continue;
    out.push_back({std::move(r), overdue});
  }
  return out;
}

// --- Reading -------------------------------------------------------------------------------

Result<RequestLists> ShieldingService::Requests(const Actor& actor) {
  if (!Granted(actor, Permission::kRequestShield) && !Granted(actor, Permission::kApplyShield)) {
    return Deny(actor, "shield.requests", "requests", "You may not request shielding");
  }
  RequestLists lists;
  CP_ASSIGN_OR_RETURN(lists.own, shields_.RequestsBy(actor.username));
  if (Granted(actor, Permission::kApplyShield) && actor.roles.Has(domain::Role::kShielder)) {
    CP_ASSIGN_OR_RETURN(
        auto mine, shields_.PendingRoutedTo(Recipient("organisation", actor.organisation_code)));
    lists.awaiting_decision.insert(lists.awaiting_decision.end(), mine.begin(), mine.end());
  }
  if (Manages(actor, actor.authority) && !actor.authority.empty()) {
    CP_ASSIGN_OR_RETURN(auto mine,
                        shields_.PendingRoutedTo(Recipient("management", actor.authority)));
    lists.awaiting_decision.insert(lists.awaiting_decision.end(), mine.begin(), mine.end());
  }
  return lists;
}

Result<ShieldRequest> ShieldingService::GetRequest(const Actor& actor, int64_t request_id) {
  constexpr std::string_view kAction = "shield.request_read";
  CP_ASSIGN_OR_RETURN(ShieldRequest request, shields_.GetRequest(request_id));
  const bool own = !actor.system && request.requested_by == actor.username;
  if (!own && !Manages(actor, request.authority)) {
    return Deny(actor, kAction, RequestTarget(request_id),
                "Only the requester or the ContactPoint management team");
  }
  CP_RETURN_IF_ERROR(Audit(actor, kAction, Target(request.child_uin), "success", "",
                           boost::json::serialize(boost::json::object{{"request", request_id}})));
  return request;
}

Result<std::vector<ShieldRequest>> ShieldingService::RequestsForRecord(
    const Actor& actor, const std::string& uin_text) {
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(uin_text));
  CP_ASSIGN_OR_RETURN(domain::ChildRecord child, children_.GetByUin(uin));
  if (!Manages(actor, child.responsible_authority)) {
    return Deny(actor, "shield.record_requests", Target(uin.str()),
                "Only the responsible authority's ContactPoint management team");
  }
  return shields_.RequestsForChild(child.id);
}

Result<std::vector<ShieldRequest>> ShieldingService::SubmittedRequestsReport(const Actor& actor) {
  if (!Manages(actor, actor.authority)) {
    return Deny(actor, "shield.report", "requests", "Only the ContactPoint management team");
  }
  CP_RETURN_IF_ERROR(
      Audit(actor, "shield.report", "authority:" + actor.authority, "success", "", ""));
  CP_ASSIGN_OR_RETURN(std::vector<ShieldRequest> all,
                      shields_.RequestsForAuthority(actor.authority));
  std::vector<ShieldRequest> out;
  for (ShieldRequest& r : all) {
    if (r.source == ShieldSource::kUser || r.source == ShieldSource::kPractitioner) {
      out.push_back(std::move(r));
    }
  }
  return out;
}

Result<std::vector<domain::Notification>> ShieldingService::Notifications(const Actor& actor) {
  std::vector<std::string> recipients = {Recipient("user", actor.username)};
  if (actor.roles.Has(domain::Role::kShielder)) {
    recipients.push_back(Recipient("shielders", actor.organisation_code));
  }
  if (Manages(actor, actor.authority) && !actor.authority.empty()) {
    recipients.push_back(Recipient("management", actor.authority));
  }
  return shields_.Notifications(recipients);
}

// --- The shielding log ---------------------------------------------------------------------

Result<std::vector<domain::LogEntry>> ShieldingService::Log(const Actor& actor) {
  if (!Manages(actor, actor.authority) || actor.authority.empty()) {
    return Deny(actor, "shield.log_view", "shielding_log",
                "Only the ContactPoint management team sees the shielding log");
  }
  CP_RETURN_IF_ERROR(
      Audit(actor, "shield.log_view", "authority:" + actor.authority, "success", "", ""));
  return shields_.Log(actor.authority);
}

Result<std::string> ShieldingService::LogCsv(const Actor& actor) {
  if (!Manages(actor, actor.authority) || actor.authority.empty()) {
    return Deny(actor, "shield.log_export", "shielding_log",
                "Only the ContactPoint management team sees the shielding log");
  }
  CP_RETURN_IF_ERROR(
      Audit(actor, "shield.log_export", "authority:" + actor.authority, "success", "", ""));
  CP_ASSIGN_OR_RETURN(std::vector<domain::LogEntry> entries, shields_.Log(actor.authority));
  return domain::ShieldingLogCsv(entries);
}

Status ShieldingService::MarkConfirmationSent(const Actor& actor, int64_t log_id,
                                              std::optional<Date> date) {
  CP_ASSIGN_OR_RETURN(domain::LogEntry entry, shields_.GetLogEntry(log_id));
  if (!Manages(actor, entry.authority)) {
    return Deny(actor, "shield.confirmation_sent", "shield_log:" + std::to_string(log_id),
                "Only the ContactPoint management team");
  }
  const Date when = date.value_or(Today());
  CP_RETURN_IF_ERROR(Audit(actor, "shield.confirmation_sent", Target(entry.uin), "success", "",
                           boost::json::serialize(boost::json::object{{"log_entry", log_id},
                                                                      {"date", when.ToString()}})));
  return shields_.SetConfirmationSent(log_id, when);
}

// --- Appeals -------------------------------------------------------------------------------

Result<int64_t> ShieldingService::RecordAppeal(const Actor& actor, const std::string& uin_text,
                                               const std::string& appellant,
                                               const std::string& grounds) {
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(uin_text));
  CP_ASSIGN_OR_RETURN(domain::ChildRecord child, children_.GetByUin(uin));
  if (!Manages(actor, child.responsible_authority)) {
    return Deny(actor, "shield.appeal", Target(uin.str()),
                "Only the responsible authority's ContactPoint management team records appeals");
  }
  domain::Appeal appeal;
  CP_ASSIGN_OR_RETURN(appeal.appellant, domain::ValidateText(appellant, "appellant", 200));
  CP_ASSIGN_OR_RETURN(appeal.grounds, domain::ValidateText(grounds, "grounds", 4000));
  if (appeal.appellant.empty()) return Status::InvalidArgument("Who is appealing?", "appellant");
  if (appeal.grounds.empty()) return Status::InvalidArgument("Record the grounds", "grounds");
  appeal.child_uin = uin.str();
  appeal.authority = child.responsible_authority;
  appeal.recorded_by = actor.system ? "system" : actor.username;
  appeal.created_at = clock_.Now();
  CP_RETURN_IF_ERROR(Audit(actor, "shield.appeal", Target(uin.str()), "success", "", ""));
  return shields_.AddAppeal(appeal);
}

Status ShieldingService::DecideAppeal(const Actor& actor, int64_t appeal_id,
                                      const std::string& outcome, const std::string& notes) {
  CP_ASSIGN_OR_RETURN(domain::Appeal appeal, shields_.GetAppeal(appeal_id));
  if (!Manages(actor, appeal.authority)) {
    return Deny(actor, "shield.appeal_outcome", "shield_appeal:" + std::to_string(appeal_id),
                "Only the responsible authority's ContactPoint management team");
  }
  if (!domain::IsAppealOutcome(outcome)) {
    return Status::InvalidArgument("The outcome is 'upheld', 'not_upheld' or 'withdrawn'",
                                   "outcome");
  }
  CP_ASSIGN_OR_RETURN(appeal.notes, domain::ValidateText(notes, "notes", 4000));
  appeal.outcome = outcome;
  appeal.decided_at = clock_.Now();
  appeal.decided_by = actor.system ? "system" : actor.username;
  CP_RETURN_IF_ERROR(Audit(
      actor, "shield.appeal_outcome", Target(appeal.child_uin), "success", "",
      boost::json::serialize(boost::json::object{{"appeal", appeal_id}, {"outcome", outcome}})));
  return shields_.DecideAppeal(appeal);
}

Result<std::vector<domain::Appeal>> ShieldingService::Appeals(const Actor& actor) {
  if (!Manages(actor, actor.authority) || actor.authority.empty()) {
    return Deny(actor, "shield.appeals", "appeals", "Only the ContactPoint management team");
  }
  return shields_.Appeals(actor.authority);
}

// --- Documents -----------------------------------------------------------------------------

Result<int64_t> ShieldingService::AddDocument(const Actor& actor, int64_t request_id,
                                              const std::string& content_type,
                                              const std::string& bytes) {
  constexpr std::string_view kAction = "shield.document_add";
  CP_ASSIGN_OR_RETURN(ShieldRequest request, shields_.GetRequest(request_id));
  const bool own = !actor.system && request.requested_by == actor.username;
  if (!own && !Manages(actor, request.authority)) {
    return Deny(actor, kAction, RequestTarget(request_id),
                "Only the requester or the ContactPoint management team may add documents");
  }
  CP_RETURN_IF_ERROR(domain::ValidateDocument(content_type, bytes));
  domain::DocumentInfo info;
  info.request_id = request_id;
  info.content_type = content_type;
  info.size = static_cast<int64_t>(bytes.size());
  info.uploaded_by = actor.system ? "system" : actor.username;
  info.uploaded_at = clock_.Now();
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, Target(request.child_uin), "success", "",
            boost::json::serialize(boost::json::object{
                {"request", request_id}, {"content_type", content_type}, {"size", info.size}})));
  return shields_.AddDocument(info, bytes);
}

Result<std::vector<domain::DocumentInfo>> ShieldingService::Documents(const Actor& actor,
                                                                      int64_t request_id) {
  CP_ASSIGN_OR_RETURN(ShieldRequest request, shields_.GetRequest(request_id));
  if (!Manages(actor, request.authority)) {
    return Deny(actor, "shield.documents", RequestTarget(request_id),
                "Only the responsible authority's ContactPoint management team reads documents");
  }
  return shields_.Documents(request_id);
}

Result<Document> ShieldingService::ReadDocument(const Actor& actor, int64_t request_id,
                                                int64_t document_id) {
  CP_ASSIGN_OR_RETURN(ShieldRequest request, shields_.GetRequest(request_id));
  if (!Manages(actor, request.authority)) {
    return Deny(actor, "shield.document_read", RequestTarget(request_id),
                "Only the responsible authority's ContactPoint management team reads documents");
  }
  CP_RETURN_IF_ERROR(Audit(actor, "shield.document_read", Target(request.child_uin), "success", "",
                           boost::json::serialize(boost::json::object{{"request", request_id},
                                                                      {"document", document_id}})));
  Document doc;
  CP_ASSIGN_OR_RETURN(doc.bytes, shields_.ReadDocument(request_id, document_id, &doc.info));
  return doc;
}

// --- Maintenance ---------------------------------------------------------------------------

struct ShieldingMaintenance::State {
  std::mutex mu;
  std::condition_variable wake;
  bool stopping = false;
  std::thread thread;
};

ShieldingMaintenance::ShieldingMaintenance(ShieldingService& service, const Clock& clock,
                                           std::chrono::milliseconds interval)
    : service_(service), clock_(clock), interval_(interval), state_(std::make_unique<State>()) {}

ShieldingMaintenance::~ShieldingMaintenance() { Stop(); }

void ShieldingMaintenance::Start() {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->thread.joinable()) return;
  state_->stopping = false;
  state_->thread = std::thread([this] {
    std::unique_lock<std::mutex> held(state_->mu);
    while (!state_->stopping) {
      held.unlock();
      (void)service_.LapseOverdueTelephoneRequests(clock_.Now());  // Retried next round.
      held.lock();
      state_->wake.wait_for(held, interval_, [this] { return state_->stopping; });
    }
  });
}

void ShieldingMaintenance::Stop() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->stopping = true;
    thread = std::move(state_->thread);
  }
  state_->wake.notify_all();
  if (thread.joinable()) thread.join();
}

}  // namespace cp::workflow
