#include "workflow/break_glass_service.h"

#include <boost/json.hpp>

#include "domain/child_record.h"
#include "domain/field_validation.h"
#include "domain/working_days.h"
#include "policy/rbac.h"
#include "store/break_glass_store.h"
#include "store/child_store.h"
#include "store/organisation_store.h"
#include "store/user_store.h"
#include "workflow/audit_trail.h"
#include "workflow/merge_redirect.h"

namespace cp::workflow {
namespace {

namespace json = boost::json;
using domain::HolderStatus;
using policy::Permission;

constexpr std::string_view kNoRight =
    "You do not hold an active Break Glass right. Ask your local authority's ContactPoint "
    "management team.";

std::string HolderTarget(const std::string& username) { return "break_glass_holder:" + username; }
std::string InvestigationTarget(int64_t id) { return "investigation:" + std::to_string(id); }

}  // namespace

BreakGlassService::BreakGlassService(store::ChildStore& children, store::BreakGlassStore& store,
                                     store::UserStore& users, store::OrganisationStore& orgs,
                                     audit::AuditSink& audit, const Clock& clock)
    : children_(children),
      store_(store),
      users_(users),
      orgs_(orgs),
      audit_(audit),
      clock_(clock) {}

Date BreakGlassService::Today() const { return Date::FromTime(clock_.Now()); }

Status BreakGlassService::Audit(const Actor& actor, std::string_view action, std::string target,
                                std::string_view outcome, std::string_view reason,
                                std::string details) {
  return RecordAction(audit_, actor, action, std::move(target), outcome, reason,
                      std::move(details));
}

Status BreakGlassService::Deny(const Actor& actor, std::string_view action, std::string target,
                               std::string_view reason, std::string message) {
  CP_RETURN_IF_ERROR(Audit(actor, action, std::move(target), "denied", reason, ""));
  return Status::PermissionDenied(std::move(message));
}

bool BreakGlassService::Manages(const Actor& actor, const std::string& authority) const {
  if (actor.system) return true;
  return policy::IsGranted(actor.roles, Permission::kManageShielding) && !actor.authority.empty() &&
         actor.authority == authority;
}

Result<HolderInfo> BreakGlassService::Info(const domain::BreakGlassHolder& holder) {
  HolderInfo info{holder, domain::StatusOn(holder, Today()), domain::ApprovalExpiresOn(holder),
                  false};
  auto user = users_.GetByUsername(holder.username);
  if (user.ok()) {
    info.has_role = user->roles.Has(domain::Role::kBreakGlass);
  } else if (user.status().code() != StatusCode::kNotFound) {
    return user.status();
  }
  return info;
}

// --- Holders -------------------------------------------------------------------------------

Result<HolderInfo> BreakGlassService::Nominate(const Actor& actor, const std::string& username) {
  constexpr std::string_view kAction = "break_glass.nominate";
  if (!actor.system && !policy::IsGranted(actor.roles, Permission::kManageShielding)) {
    return Deny(actor, kAction, HolderTarget(username), "rbac",
                "Only the ContactPoint management team nominates Break Glass holders");
  }
  auto user = users_.GetByUsername(username);
  if (user.status().code() == StatusCode::kNotFound) {
    return Status::InvalidArgument("There is no user with that username", "username");
  }
  CP_RETURN_IF_ERROR(user.status());
  CP_ASSIGN_OR_RETURN(domain::Organisation org, orgs_.Get(user->organisation_id));
  if (!Manages(actor, org.local_authority_code)) {
    return Deny(actor, kAction, HolderTarget(username), "scope",
                "You can nominate only users of organisations in your authority's area");
  }
  domain::BreakGlassHolder holder;
  holder.username = username;
  holder.authority = org.local_authority_code;
  holder.nominated_by = actor.username;
  holder.nominated_at = clock_.Now();
  CP_RETURN_IF_ERROR(Audit(actor, kAction, HolderTarget(username), "success", "",
                           json::serialize(json::object{{"authority", holder.authority}})));
  CP_ASSIGN_OR_RETURN(holder.id, store_.AddHolder(holder));
  return Info(holder);
}

Result<domain::BreakGlassHolder> BreakGlassService::HolderManagedBy(const Actor& actor,
                                                                    std::string_view action,
                                                                    const std::string& username) {
  if (!actor.system && !policy::IsGranted(actor.roles, Permission::kManageShielding)) {
    return Deny(actor, action, HolderTarget(username), "rbac",
                "Only the ContactPoint management team manages Break Glass holders");
  }
  CP_ASSIGN_OR_RETURN(std::optional<domain::BreakGlassHolder> holder,
                      store_.CurrentHolder(username));
  if (!holder) return Status::NotFound("That user has no Break Glass authorisation");
  if (!Manages(actor, holder->authority)) {
    return Deny(actor, action, HolderTarget(username), "scope",
                "This Break Glass holder was nominated by another authority");
  }
  return *holder;
}

Result<HolderInfo> BreakGlassService::RecordApproval(const Actor& actor,
                                                     const std::string& username,
                                                     const ApprovalInput& approval) {
  constexpr std::string_view kAction = "break_glass.approval";
  CP_ASSIGN_OR_RETURN(domain::BreakGlassHolder holder, HolderManagedBy(actor, kAction, username));
  CP_ASSIGN_OR_RETURN(std::string approved_by,
                      domain::ValidateText(approval.approved_by, "approved_by", 200));
  if (approved_by.empty()) {
    return Status::InvalidArgument("Enter who approved, for the LSCB", "approved_by");
  }
  CP_ASSIGN_OR_RETURN(std::string reference,
                      domain::ValidateText(approval.reference, "reference", 100));
  if (reference.empty()) return Status::InvalidArgument("Enter the LSCB's reference", "reference");
  CP_ASSIGN_OR_RETURN(Date approved_on, Date::Parse(approval.approved_on, "approved_on"));
  if (approved_on > Today()) {
    return Status::InvalidArgument("The date of approval cannot be in the future", "approved_on");
  }
  holder.approved_by = approved_by;
  holder.approved_on = approved_on;
  holder.approval_reference = reference;
  holder.approval_recorded_by = actor.username;
  CP_RETURN_IF_ERROR(Audit(actor, kAction, HolderTarget(username), "success", "",
                           json::serialize(json::object{{"approved_on", approved_on.ToString()},
                                                        {"reference", reference}})));
  CP_RETURN_IF_ERROR(store_.RecordApproval(holder));
  return Info(holder);
}

Status BreakGlassService::Revoke(const Actor& actor, const std::string& username) {
  constexpr std::string_view kAction = "break_glass.revoke";
  CP_ASSIGN_OR_RETURN(domain::BreakGlassHolder holder, HolderManagedBy(actor, kAction, username));
  CP_ASSIGN_OR_RETURN(auto live, store_.LiveGrants(username, clock_.Now()));
  CP_RETURN_IF_ERROR(Audit(actor, kAction, HolderTarget(username), "success", "",
                           json::serialize(json::object{{"live_grants_ended", live.size()}})));
  CP_RETURN_IF_ERROR(store_.Revoke(holder.id, clock_.Now(), actor.username));
  for (const auto& g : live)
    CP_RETURN_IF_ERROR(store_.EndGrant(g.id, clock_.Now(), "revoked").status());
  return Status::Ok();
}

Result<std::vector<HolderInfo>> BreakGlassService::Holders(const Actor& actor) {
  if (!policy::IsGranted(actor.roles, Permission::kManageShielding) || actor.authority.empty()) {
    return Deny(actor, "break_glass.holders", "break_glass_holders", "rbac",
                "Only the ContactPoint management team lists Break Glass holders");
  }
  CP_ASSIGN_OR_RETURN(auto holders, store_.Holders(actor.authority));
  std::vector<HolderInfo> out;
  for (const auto& h : holders) {
    CP_ASSIGN_OR_RETURN(HolderInfo info, Info(h));
    out.push_back(std::move(info));
  }
  return out;
}

Result<bool> BreakGlassService::HoldsRight(const Actor& actor) {
  if (!policy::IsGranted(actor.roles, Permission::kUseBreakGlass)) return false;
  CP_ASSIGN_OR_RETURN(auto holder, store_.CurrentHolder(actor.username));
  return holder.has_value() && domain::StatusOn(*holder, Today()) == HolderStatus::kActive;
}

// --- Using it ------------------------------------------------------------------------------

Result<GrantInfo> BreakGlassService::Use(const Actor& actor, const std::string& uin_text,
                                         const std::string& reason_code,
                                         const std::string& reason_text,
                                         const StepUpCheck& step_up) {
  constexpr std::string_view kAction = "break_glass.use";
  std::string target = "child:" + uin_text.substr(0, 16);
  if (!policy::IsGranted(actor.roles, Permission::kUseBreakGlass)) {
    return Deny(actor, kAction, target, "rbac", std::string(kNoRight));
  }
  CP_ASSIGN_OR_RETURN(auto holder, store_.CurrentHolder(actor.username));
  HolderStatus status = holder ? domain::StatusOn(*holder, Today()) : HolderStatus::kRevoked;
  if (status != HolderStatus::kActive) {
    std::string_view why = !holder ? "no_authorisation" : domain::HolderStatusName(status);
    return Deny(actor, kAction, target, why, std::string(kNoRight));
  }
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(uin_text));
  target = "child:" + uin.str();
  CP_RETURN_IF_ERROR(domain::ValidateBreakGlassReason(reason_code, reason_text));
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
  CP_RETURN_IF_ERROR(step_up());

  TimePoint now = clock_.Now();
  domain::BreakGlassGrant grant;
  grant.username = actor.username;
  grant.child_id = record->id;
  grant.child_uin = uin.str();
  grant.reason_code = reason_code;
  grant.created_at = now;
  grant.expires_at = now + domain::kGrantLifetime;
  domain::Investigation inv;
  inv.username = actor.username;
  inv.user_organisation = actor.organisation_code;
  inv.child_uin = uin.str();
  inv.authority = record->responsible_authority;
  inv.reason_code = reason_code;
  inv.reason_text = reason_text;
  inv.opened_at = now;
  inv.due = domain::NextWorkingDay(Date::FromTime(now));
  domain::Notification note{0,
                            "management:" + record->responsible_authority,
                            "break_glass_used",
                            "Break Glass was used on record " + uin.str() + " by " +
                                actor.username + " (" + actor.organisation_code +
                                "). An investigation is open, due " + inv.due.ToString() + ".",
                            uin.str(),
                            0,
                            now};
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, target, "success", "",
            json::serialize(json::object{{"reason_code", reason_code},
                                         {"authority", record->responsible_authority},
                                         {"expires_at", ToUnixSeconds(grant.expires_at)},
                                         {"investigation_due", inv.due.ToString()}})));
  CP_ASSIGN_OR_RETURN(store::OpenedGrant opened, store_.OpenGrant(grant, inv, note));
  return GrantInfo{opened.grant_id, opened.investigation_id, grant.expires_at, inv.due};
}

Status BreakGlassService::EndGrant(const Actor& actor, int64_t grant_id) {
  auto grant = store_.GetGrant(grant_id);
  if (grant.status().code() == StatusCode::kNotFound ||
      (grant.ok() && grant->username != actor.username)) {
    return Status::NotFound("No such Break Glass grant");
  }
  CP_RETURN_IF_ERROR(grant.status());
  if (!domain::IsLive(*grant, clock_.Now())) return Status::Ok();
  CP_RETURN_IF_ERROR(Audit(actor, "break_glass.end", "child:" + grant->child_uin, "success",
                           "ended", json::serialize(json::object{{"grant_id", grant_id}})));
  return store_.EndGrant(grant_id, clock_.Now(), "ended").status();
}

Result<int64_t> BreakGlassService::LiveGrantFor(const Actor& actor, int64_t child_id) {
  if (!actor.roles.Has(domain::Role::kBreakGlass)) return int64_t{0};
  CP_ASSIGN_OR_RETURN(auto live, store_.LiveGrants(actor.username, clock_.Now()));
  for (const auto& g : live) {
    if (g.child_id != child_id) continue;
    CP_ASSIGN_OR_RETURN(bool holds, HoldsRight(actor));
    if (!holds) {
      CP_RETURN_IF_ERROR(Audit(actor, "break_glass.end", "child:" + g.child_uin, "success",
                               "right_lapsed", json::serialize(json::object{{"grant_id", g.id}})));
      CP_RETURN_IF_ERROR(store_.EndGrant(g.id, clock_.Now(), "right_lapsed").status());
      return int64_t{0};
    }
    return g.id;
  }
  return int64_t{0};
}

Status BreakGlassService::EndGrantsExcept(const Actor& actor, int64_t child_id,
                                          std::string_view reason) {
  if (!actor.roles.Has(domain::Role::kBreakGlass)) return Status::Ok();
  CP_ASSIGN_OR_RETURN(auto live, store_.LiveGrants(actor.username, clock_.Now()));
  for (const auto& g : live) {
    if (g.child_id == child_id) continue;
    CP_RETURN_IF_ERROR(Audit(actor, "break_glass.end", "child:" + g.child_uin, "success", reason,
                             json::serialize(json::object{{"grant_id", g.id}})));
    CP_RETURN_IF_ERROR(store_.EndGrant(g.id, clock_.Now(), std::string(reason)).status());
  }
  return Status::Ok();
}

// --- Investigations ------------------------------------------------------------------------

Result<std::vector<domain::Investigation>> BreakGlassService::Investigations(const Actor& actor) {
  if (!policy::IsGranted(actor.roles, Permission::kManageShielding) || actor.authority.empty()) {
    return Deny(actor, "investigation.list", "investigations", "rbac",
                "Only the ContactPoint management team sees investigations");
  }
  return store_.Investigations(actor.authority);
}

Result<domain::Investigation> BreakGlassService::InvestigationManagedBy(const Actor& actor,
                                                                        std::string_view action,
                                                                        int64_t id) {
  if (!actor.system && !policy::IsGranted(actor.roles, Permission::kManageShielding)) {
    return Deny(actor, action, InvestigationTarget(id), "rbac",
                "Only the ContactPoint management team works on investigations");
  }
  CP_ASSIGN_OR_RETURN(domain::Investigation inv, store_.GetInvestigation(id));
  if (!Manages(actor, inv.authority)) {
    return Deny(actor, action, InvestigationTarget(id), "scope",
                "This investigation belongs to another authority");
  }
  return inv;
}

Result<domain::Investigation> BreakGlassService::GetInvestigation(const Actor& actor, int64_t id) {
  return InvestigationManagedBy(actor, "investigation.view", id);
}

Status BreakGlassService::SetInvestigationStatus(const Actor& actor, int64_t id,
                                                 const std::string& status_name,
                                                 const std::string& finding_name) {
  constexpr std::string_view kAction = "investigation.status";
  CP_ASSIGN_OR_RETURN(domain::Investigation inv, InvestigationManagedBy(actor, kAction, id));
  auto to = domain::ParseInvestigationStatus(status_name);
  if (!to) return Status::InvalidArgument("Choose in_review or concluded", "status");
  auto finding = domain::ParseFinding(finding_name);
  if (!finding) {
    return Status::InvalidArgument("Choose justified, not_justified or referred", "finding");
  }
  CP_RETURN_IF_ERROR(domain::CheckInvestigationStep(inv.status, *to, *finding));
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, InvestigationTarget(id), "success", "",
            json::serialize(json::object{{"from", domain::InvestigationStatusName(inv.status)},
                                         {"to", status_name},
                                         {"finding", finding_name},
                                         {"uin", inv.child_uin}})));
  return store_.SetInvestigationStatus(id, inv.status, *to, *finding, clock_.Now());
}

Result<int64_t> BreakGlassService::AddInvestigationNote(const Actor& actor, int64_t id,
                                                        const std::string& text) {
  constexpr std::string_view kAction = "investigation.note";
  CP_ASSIGN_OR_RETURN(domain::Investigation inv, InvestigationManagedBy(actor, kAction, id));
  CP_ASSIGN_OR_RETURN(std::string clean, domain::ValidateWrittenText(text, "text", 4000));
  CP_RETURN_IF_ERROR(Audit(actor, kAction, InvestigationTarget(id), "success", "",
                           json::serialize(json::object{{"uin", inv.child_uin}})));
  return store_.AddInvestigationNote(id, {0, actor.username, clock_.Now(), clean});
}

}  // namespace cp::workflow
