#include "workflow/brokering_service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/child_record.h"
#include "policy/rbac.h"
#include "store/break_glass_store.h"
#include "store/child_store.h"
#include "store/user_store.h"
#include "workflow/audit_trail.h"
#include "workflow/merge_redirect.h"

namespace cp::workflow {
namespace {

namespace json = boost::json;
using domain::BrokeringStatus;
using policy::Permission;

std::string Target(int64_t id) { return "brokering:" + std::to_string(id); }

// What the requester is told about a step whose note holds a shielded detail.
constexpr std::string_view kContactedForRequester =
    "The management team contacted a practitioner working with the child.";

}  // namespace

BrokeringService::BrokeringService(store::ChildStore& children, store::BreakGlassStore& store,
                                   store::UserStore& users, audit::AuditSink& audit,
                                   const Clock& clock)
    : children_(children), store_(store), users_(users), audit_(audit), clock_(clock) {}

Status BrokeringService::Audit(const Actor& actor, std::string_view action, std::string target,
                               std::string_view outcome, std::string_view reason,
                               std::string details) {
  return RecordAction(audit_, actor, action, std::move(target), outcome, reason,
                      std::move(details));
}

BrokeringService::Relation BrokeringService::RelationOf(const Actor& actor,
                                                        const domain::BrokeringRequest& r) const {
  if (actor.system) return Relation::kManagement;
  if (policy::IsGranted(actor.roles, Permission::kManageShielding) && !actor.authority.empty() &&
      actor.authority == r.authority) {
    return Relation::kManagement;
  }
  if (actor.username == r.requester) return Relation::kRequester;
  if (!r.practitioner_username.empty() && actor.username == r.practitioner_username) {
    return Relation::kPractitioner;
  }
  return Relation::kNone;
}

BrokeringView BrokeringService::ViewFor(const domain::BrokeringRequest& r, bool full) const {
  BrokeringView v;
  v.id = r.id;
  v.uin = r.child_uin;
  v.authority = r.authority;
  v.requester = r.requester;
  v.requester_organisation = r.requester_organisation;
  v.status = std::string(domain::BrokeringStatusName(r.status));
  v.created_at = r.created_at;
  v.reason = r.reason;
  v.full = full;
  if (r.status == BrokeringStatus::kShared) v.released = r.released;
  v.decline_reasons = r.decline_reasons;
  v.acknowledged_at = r.acknowledged_at;
  if (full) {
    v.involvement_id = r.involvement_id;
    v.practitioner = r.practitioner;
    v.practitioner_username = r.practitioner_username;
  }
  for (domain::BrokeringStep step : r.steps) {
    if (!full && step.kind == "practitioner_contacted") step.note = kContactedForRequester;
    if (!full && step.kind == "declined") step.note.clear();
    v.timeline.push_back(std::move(step));
  }
  return v;
}

Result<domain::BrokeringRequest> BrokeringService::Load(const Actor& actor, std::string_view action,
                                                        int64_t id,
                                                        std::initializer_list<Relation> allowed,
                                                        Relation* relation) {
  auto r = store_.GetBrokering(id);
  if (r.status().code() == StatusCode::kNotFound)
    return Status::NotFound("No such brokering request");
  CP_RETURN_IF_ERROR(r.status());
  Relation rel = RelationOf(actor, *r);
  if (std::find(allowed.begin(), allowed.end(), rel) == allowed.end()) {
    CP_RETURN_IF_ERROR(Audit(actor, action, Target(id), "denied", "not_a_party", ""));
    // Someone with no part in the request is not told it exists.
    if (rel == Relation::kNone) return Status::NotFound("No such brokering request");
    return Status::PermissionDenied("This step of the request is not yours to take");
  }
  if (relation != nullptr) *relation = rel;
  return r;
}

Result<int64_t> BrokeringService::Request(const Actor& actor, const std::string& uin_text,
                                          const std::string& reason) {
  constexpr std::string_view kAction = "brokering.request";
  std::string target = "child:" + uin_text.substr(0, 16);
  if (!policy::IsGranted(actor.roles, Permission::kRequestBrokering)) {
    CP_RETURN_IF_ERROR(Audit(actor, kAction, target, "denied", "rbac", ""));
    return Status::PermissionDenied("You cannot ask for brokering");
  }
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(uin_text));
  target = "child:" + uin.str();
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("Give your professional reason for asking", "reason");
  }
  CP_ASSIGN_OR_RETURN(std::string clean, domain::ValidateWrittenText(reason, "reason", 2000));
  // A UIN merged away names the surviving record (docs/duplicates.md); from here on the
  // survivor's UIN is used, as if it had been given.
  auto resolved = GetFollowingMerges(children_, uin);
  if (resolved.status().code() == StatusCode::kNotFound) {
    CP_RETURN_IF_ERROR(Audit(actor, kAction, target, "failure", "not_found", ""));
    return Status::NotFound("No child has that UIN");
  }
  CP_RETURN_IF_ERROR(resolved.status());
  const domain::ChildRecord* record = &resolved->record;
  uin = record->uin;
  target = "child:" + uin.str();
  if (!record->shielded) {
    CP_RETURN_IF_ERROR(Audit(actor, kAction, target, "refused", "not_shielded", ""));
    return Status::FailedPrecondition("not_shielded");
  }
  TimePoint now = clock_.Now();
  domain::BrokeringRequest r;
  r.child_id = record->id;
  r.child_uin = uin.str();
  r.authority = record->responsible_authority;
  r.requester = actor.username;
  r.requester_organisation = actor.organisation_code;
  r.reason = clean;
  r.created_at = now;
  domain::BrokeringStep step{0, now, actor.username, "requested", clean};
  domain::Notification note{
      0,
      "management:" + r.authority,
      "brokering_request",
      "A brokering request was made on record " + uin.str() + " by " + actor.username + ".",
      uin.str(),
      0,
      now};
  CP_RETURN_IF_ERROR(Audit(actor, kAction, target, "success", "",
                           json::serialize(json::object{{"authority", r.authority}})));
  return store_.CreateBrokering(r, step, note);
}

Result<std::vector<BrokeringView>> BrokeringService::List(const Actor& actor) {
  std::vector<domain::BrokeringRequest> rows;
  bool manages =
      policy::IsGranted(actor.roles, Permission::kManageShielding) && !actor.authority.empty();
  if (manages) {
    CP_ASSIGN_OR_RETURN(rows, store_.BrokeringForAuthority(actor.authority));
  } else {
    CP_ASSIGN_OR_RETURN(rows, store_.BrokeringBy(actor.username));
  }
  std::vector<BrokeringView> out;
  for (const auto& r : rows) out.push_back(ViewFor(r, manages));
  return out;
}

Result<std::vector<BrokeringView>> BrokeringService::ForPractitioner(const Actor& actor) {
  CP_ASSIGN_OR_RETURN(auto rows, store_.BrokeringForPractitioner(actor.username));
  std::vector<BrokeringView> out;
  for (const auto& r : rows) {
    if (RelationOf(actor, r) == Relation::kNone) continue;
    out.push_back(ViewFor(r, true));
  }
  return out;
}

Result<BrokeringView> BrokeringService::Get(const Actor& actor, int64_t id) {
  constexpr std::string_view kAction = "brokering.view";
  Relation rel = Relation::kNone;
  CP_ASSIGN_OR_RETURN(
      domain::BrokeringRequest r,
      Load(actor, kAction, id,
           {Relation::kRequester, Relation::kManagement, Relation::kPractitioner}, &rel));
  bool full = rel != Relation::kRequester;
  bool first_management_view = rel == Relation::kManagement && !actor.system &&
                               std::none_of(r.steps.begin(), r.steps.end(), [](const auto& s) {
                                 return s.kind == "management_viewed";
                               });
  CP_RETURN_IF_ERROR(Audit(actor, kAction, Target(id), "success", "",
                           json::serialize(json::object{{"uin", r.child_uin}, {"full", full}})));
  if (first_management_view) {
    domain::BrokeringStep step{0, clock_.Now(), actor.username, "management_viewed", ""};
    CP_RETURN_IF_ERROR(store_.AddBrokeringStep(id, step));
    r.steps.push_back(step);
  }
  BrokeringView view = ViewFor(r, full);
  if (rel == Relation::kManagement) {
    CP_ASSIGN_OR_RETURN(domain::ChildRecord record, children_.Get(r.child_id));
    for (const auto& i : record.involvements) {
      view.candidates.push_back({i.id, i.practitioner, i.organisation, i.service_type});
    }
  }
  return view;
}

Status BrokeringService::RecordContact(const Actor& actor, int64_t id, const ContactInput& input) {
  constexpr std::string_view kAction = "brokering.contacted";
  CP_ASSIGN_OR_RETURN(domain::BrokeringRequest r,
                      Load(actor, kAction, id, {Relation::kManagement}));
  if (r.status != BrokeringStatus::kRequested) {
    return Status::FailedPrecondition("wrong_state: a practitioner has already been contacted");
  }
  std::string practitioner;
  if (input.involvement_id != 0) {
    CP_ASSIGN_OR_RETURN(domain::ChildRecord record, children_.Get(r.child_id));
    auto found = std::find_if(record.involvements.begin(), record.involvements.end(),
                              [&](const auto& i) { return i.id == input.involvement_id; });
    if (found == record.involvements.end()) {
      return Status::InvalidArgument("That practitioner is not listed on the record",
                                     "involvement_id");
    }
    practitioner = found->practitioner + " (" + found->organisation + ")";
  } else {
    if (input.practitioner.find_first_not_of(" \t") == std::string::npos) {
      return Status::InvalidArgument("Choose a practitioner listed on the record, or name one",
                                     "practitioner");
    }
    CP_ASSIGN_OR_RETURN(practitioner,
                        domain::ValidateWrittenText(input.practitioner, "practitioner", 300));
  }
  if (!input.practitioner_username.empty()) {
    auto user = users_.GetByUsername(input.practitioner_username);
    if (user.status().code() == StatusCode::kNotFound) {
      return Status::InvalidArgument("There is no user with that username",
                                     "practitioner_username");
    }
    CP_RETURN_IF_ERROR(user.status());
  }
  domain::BrokeringRequest updated = r;
  updated.status = BrokeringStatus::kContacted;
  updated.involvement_id = input.involvement_id;
  updated.practitioner = practitioner;
  updated.practitioner_username = input.practitioner_username;
  domain::BrokeringStep step{0, clock_.Now(), actor.username, "practitioner_contacted",
                             practitioner};
  std::optional<domain::Notification> note;
  if (!input.practitioner_username.empty()) {
    note = domain::Notification{0,
                                "user:" + input.practitioner_username,
                                "brokering_decision",
                                "You are asked to decide on brokering request " +
                                    std::to_string(id) + " about record " + r.child_uin + ".",
                                r.child_uin,
                                0,
                                clock_.Now()};
  }
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, Target(id), "success", "",
            json::serialize(json::object{{"uin", r.child_uin},
                                         {"involvement_id", input.involvement_id},
                                         {"practitioner_username", input.practitioner_username}})));
  return store_.UpdateBrokering(updated, BrokeringStatus::kRequested, step, note);
}

Status BrokeringService::Decide(const Actor& actor, int64_t id, const std::string& decision,
                                const std::string& released) {
  constexpr std::string_view kAction = "brokering.decision";
  CP_ASSIGN_OR_RETURN(domain::BrokeringRequest r,
                      Load(actor, kAction, id, {Relation::kManagement, Relation::kPractitioner}));
  if (decision != "share" && decision != "decline") {
    return Status::InvalidArgument("Choose share or decline", "decision");
  }
  if (r.status != BrokeringStatus::kContacted) {
    return Status::FailedPrecondition(
        "wrong_state: record the practitioner contacted first, or the decision is made");
  }
  domain::BrokeringRequest updated = r;
  updated.decided_by = actor.username;
  domain::BrokeringStep step{0, clock_.Now(), actor.username, "", ""};
  if (decision == "share") {
    if (released.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Status::InvalidArgument("Enter the contact details or information released",
                                     "released");
    }
    CP_ASSIGN_OR_RETURN(updated.released, domain::ValidateWrittenText(released, "released", 4000));
    updated.status = BrokeringStatus::kShared;
    step.kind = "shared";
    step.note = updated.released;
  } else {
    updated.status = BrokeringStatus::kDeclined;
    step.kind = "declined";
  }
  domain::Notification note{
      0,
      "user:" + r.requester,
      "brokering_outcome",
      "Your brokering request " + std::to_string(id) + " about record " + r.child_uin +
          (decision == "share" ? " was answered: information was shared."
                               : " was declined. Record the reasons you were given."),
      r.child_uin,
      0,
      clock_.Now()};
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, Target(id), "success", "",
            json::serialize(json::object{{"uin", r.child_uin}, {"decision", decision}})));
  return store_.UpdateBrokering(updated, BrokeringStatus::kContacted, step, note);
}

Status BrokeringService::Acknowledge(const Actor& actor, int64_t id, const std::string& reasons,
                                     bool confirm) {
  constexpr std::string_view kAction = "brokering.acknowledge";
  CP_ASSIGN_OR_RETURN(domain::BrokeringRequest r, Load(actor, kAction, id, {Relation::kRequester}));
  if (r.status != BrokeringStatus::kDeclined) {
    return Status::FailedPrecondition("wrong_state: only a declined request is acknowledged");
  }
  if (reasons.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("Record the reasons you were given", "reasons");
  }
  CP_ASSIGN_OR_RETURN(std::string clean, domain::ValidateWrittenText(reasons, "reasons", 4000));
  if (!confirm) {
    return Status::InvalidArgument("Confirm that these are the reasons you were given", "confirm");
  }
  TimePoint now = clock_.Now();
  domain::BrokeringRequest updated = r;
  updated.status = BrokeringStatus::kAcknowledged;
  updated.decline_reasons = clean;
  updated.acknowledged_at = now;
  domain::BrokeringStep step{0, now, actor.username, "requester_acknowledged", clean};
  CP_RETURN_IF_ERROR(Audit(actor, kAction, Target(id), "success", "signed",
                           json::serialize(json::object{{"uin", r.child_uin}})));
  return store_.UpdateBrokering(updated, BrokeringStatus::kDeclined, step, std::nullopt);
}

}  // namespace cp::workflow
