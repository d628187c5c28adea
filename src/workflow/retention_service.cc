#include "workflow/retention_service.h"

#include <boost/json.hpp>

#include "core/time_format.h"
#include "domain/child_record.h"
#include "domain/child_validation.h"
#include "domain/retention.h"
#include "policy/access_reasons.h"
#include "policy/rbac.h"
#include "policy/view_policy.h"
#include "store/child_store.h"
#include "store/retention_store.h"
#include "workflow/audit_trail.h"
#include "workflow/shielding_service.h"

namespace cp::workflow {
namespace {

std::string DateText(const std::optional<Date>& d) { return d ? d->ToString() : ""; }

LifecycleView LifecycleOf(const domain::ChildRecord& r) {
  LifecycleView v;
  v.uin = r.uin.str();
  v.state = std::string(domain::RecordStateName(r.retention.state));
  v.archive_reason = std::string(domain::ArchiveReasonName(r.retention.archive_reason));
  v.archived_on = DateText(r.retention.archived_on);
  v.death_notified_on = DateText(r.retention.death_notified_on);
  v.date_of_death = DateText(r.retention.date_of_death);
  v.purged_on = DateText(r.retention.purged_on);
  if (r.retention.state == domain::RecordState::kArchived && r.retention.archived_on) {
    v.management_read_until =
        r.retention.archived_on->AddYears(domain::kManagementReadYears).AddDays(-1).ToString();
  }
  return v;
}

bool IsArchivePurpose(const std::string& code) {
  return code == kChildProtectionEnquiry || code == kSeriousCaseReview;
}

// An archive purpose needs an explanation; otherwise an ordinary access reason.
Status ValidateArchiveReason(const std::string& code, const std::string& text) {
  if (!IsArchivePurpose(code)) return policy::ValidateAccessReason(code, text);
  if (text.empty()) {
    return Status::InvalidArgument("Explain the enquiry or review", "reason_text");
  }
  if (text.size() > 500) {
    return Status::InvalidArgument("The explanation must be 500 characters or fewer",
                                   "reason_text");
  }
  return Status::Ok();
}

bool IsIdentityChangeReason(const std::string& reason) {
  return reason == "witness_protection" || reason == "adoption";
}

}  // namespace

RetentionService::RetentionService(store::ChildStore& children, store::RetentionStore& retention,
                                   ShieldingService* shielding, audit::AuditSink& audit,
                                   const Clock& clock, RandomSource& random)
    : children_(children),
      retention_(retention),
      shielding_(shielding),
      audit_(audit),
      clock_(clock),
      random_(random) {}

Status RetentionService::Audit(const Actor& actor, std::string_view action, std::string target,
                               std::string_view outcome, std::string_view reason,
                               std::string details) {
  return RecordAction(audit_, actor, action, std::move(target), outcome, reason,
                      std::move(details));
}

bool RetentionService::ManagesAuthority(const Actor& actor, const std::string& authority) const {
  if (actor.system) return true;
  return policy::IsGranted(actor.roles, policy::Permission::kManageRetention) &&
         !actor.authority.empty() && actor.authority == authority;
}

Status RetentionService::NotifyDeath(const Actor& actor, const std::string& uin_text,
                                     const std::string& date_of_death) {
  const std::string target = "child:" + uin_text.substr(0, 16);
  if (!actor.system && !policy::IsGranted(actor.roles, policy::Permission::kManageRetention)) {
    CP_RETURN_IF_ERROR(Audit(actor, "child.death_notified", target, "denied", "rbac", ""));
    return Status::PermissionDenied("Only the ContactPoint management team can record a death");
  }
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(uin_text));
  CP_ASSIGN_OR_RETURN(Date died, Date::Parse(date_of_death, "date_of_death"));
  const Date today = Date::FromTime(clock_.Now());
  if (died > today) {
    return Status::InvalidArgument("The date of death cannot be in the future", "date_of_death");
  }
  auto record = children_.GetByUin(uin);
  if (record.status().code() == StatusCode::kNotFound) {
    return Status::NotFound("No child has that UIN");
  }
  CP_RETURN_IF_ERROR(record.status());
  if (!ManagesAuthority(actor, record->responsible_authority)) {
    CP_RETURN_IF_ERROR(
        Audit(actor, "child.death_notified", "child:" + uin.str(), "denied", "scope", ""));
    return Status::PermissionDenied("This record belongs to another local authority");
  }
  if (record->retention.state != domain::RecordState::kLive) {
    return Status::FailedPrecondition("not_live");
  }
  if (record->retention.death_notified_on) return Status::FailedPrecondition("already_notified");
  if (died < record->date_of_birth) {
    return Status::InvalidArgument("The date of death is before the date of birth",
                                   "date_of_death");
  }
  domain::Retention next = record->retention;
  next.death_notified_on = today;
  next.date_of_death = died;
  boost::json::object details{
      {"notified_on", today.ToString()},
      {"archive_due", today.AddYears(domain::kYearsLiveAfterDeath).ToString()}};
  CP_RETURN_IF_ERROR(Audit(actor, "child.death_notified", "child:" + uin.str(), "success", "",
                           boost::json::serialize(details)));
  return retention_.SetRetention(record->id, record->version, next);
}

Result<LifecycleView> RetentionService::Lifecycle(const Actor& actor, const std::string& uin_text) {
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(uin_text));
  auto record = children_.GetByUin(uin);
  if (record.status().code() == StatusCode::kNotFound) {
    return Status::NotFound("No child has that UIN");
  }
  CP_RETURN_IF_ERROR(record.status());
  const bool allowed = ManagesAuthority(actor, record->responsible_authority) ||
                       actor.roles.Has(domain::Role::kArchiveReader);
  if (!allowed) {
    CP_RETURN_IF_ERROR(
        Audit(actor, "child.lifecycle_read", "child:" + uin.str(), "denied", "policy", ""));
    return Status::PermissionDenied("You do not have access to this record's lifecycle");
  }
  CP_RETURN_IF_ERROR(Audit(actor, "child.lifecycle_read", "child:" + uin.str(), "success", "", ""));
  return LifecycleOf(*record);
}

Result<ArchivedRecord> RetentionService::OpenArchived(const Actor& actor,
                                                      const std::string& uin_text,
                                                      const std::string& reason_code,
                                                      const std::string& reason_text) {
  const std::string short_target = "child:" + uin_text.substr(0, 16);
  if (!policy::IsGranted(actor.roles, policy::Permission::kReadArchive)) {
    CP_RETURN_IF_ERROR(Audit(actor, "child.archive_view", short_target, "denied", "rbac", ""));
    return Status::PermissionDenied("You do not have access to archived records");
  }
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(uin_text));
  CP_RETURN_IF_ERROR(ValidateArchiveReason(reason_code, reason_text));
  auto record = children_.GetByUin(uin);
  if (record.status().code() == StatusCode::kNotFound) {
    CP_RETURN_IF_ERROR(
        Audit(actor, "child.archive_view", "child:" + uin.str(), "failure", "not_found", ""));
    return Status::NotFound("No child has that UIN");
  }
  CP_RETURN_IF_ERROR(record.status());
  if (record->retention.state == domain::RecordState::kLive) {
    return Status::FailedPrecondition("not_archived");
  }
  if (record->retention.state == domain::RecordState::kPurged) {
    CP_RETURN_IF_ERROR(
        Audit(actor, "child.archive_view", "child:" + uin.str(), "refused", "purged", ""));
    return Status::FailedPrecondition("purged");
  }
  const Date today = Date::FromTime(clock_.Now());
  policy::Viewer viewer{actor.roles, actor.authority};
  policy::RecordFacts facts{record->shielded, record->responsible_authority, record->id};
  facts.state = record->retention.state;
  facts.within_management_read_period =
      domain::WithinManagementReadPeriod(record->retention, today);
  facts.archive_purpose = IsArchivePurpose(reason_code);
  const policy::ViewLevel level = policy::Decide(viewer, facts);
  boost::json::object details{{"view_level", policy::ViewLevelName(level)},
                              {"reason_code", reason_code},
                              {"reason_text", reason_text},
                              {"archived_on", DateText(record->retention.archived_on)}};
  if (level == policy::ViewLevel::kNone) {
    CP_RETURN_IF_ERROR(Audit(actor, "child.archive_view", "child:" + uin.str(), "denied", "policy",
                             boost::json::serialize(details)));
    return Status::PermissionDenied("You do not have access to this archived record");
  }
  CP_RETURN_IF_ERROR(Audit(actor, "child.archive_view", "child:" + uin.str(), "success", "",
                           boost::json::serialize(details)));
  return ArchivedRecord{LifecycleOf(*record), *policy::MakeView(*record, level)};
}

Result<IdentityChangeOutcome> RetentionService::ChangeIdentity(const Actor& actor,
                                                               const IdentityChangeInput& in) {
  const std::string short_target = "child:" + in.former_uin.substr(0, 16);
  if (!actor.system && !policy::IsGranted(actor.roles, policy::Permission::kManageRetention)) {
    CP_RETURN_IF_ERROR(Audit(actor, "child.identity_change", short_target, "denied", "rbac", ""));
    return Status::PermissionDenied("Only the ContactPoint management team can change an identity");
  }
  CP_ASSIGN_OR_RETURN(domain::Uin former_uin, domain::Uin::Parse(in.former_uin));
  if (!IsIdentityChangeReason(in.reason)) {
    return Status::InvalidArgument("Choose witness protection or adoption", "reason");
  }
  auto former = children_.GetByUin(former_uin);
  if (former.status().code() == StatusCode::kNotFound) {
    return Status::NotFound("No child has that UIN");
  }
  CP_RETURN_IF_ERROR(former.status());
  if (!ManagesAuthority(actor, former->responsible_authority)) {
    CP_RETURN_IF_ERROR(
        Audit(actor, "child.identity_change", "child:" + former_uin.str(), "denied", "scope", ""));
    return Status::PermissionDenied("This record belongs to another local authority");
  }
  if (former->retention.state != domain::RecordState::kLive) {
    return Status::FailedPrecondition("not_live");
  }

  const TimePoint now = clock_.Now();
  const Date today = Date::FromTime(now);
  const domain::Provenance manual{"manual:" + actor.username, now};
  // The new identity: new names and address; nothing carried over that could lead back.
  domain::ChildRecord fresh;
  fresh.name = {in.given_names, in.family_name, manual};
  if (in.gender.empty()) {
    fresh.gender = former->gender;
  } else {
    auto gender = domain::ParseGender(in.gender);
    if (!gender) return Status::InvalidArgument("Choose a gender", "gender");
    fresh.gender = *gender;
  }
  if (in.date_of_birth.empty()) {
    fresh.date_of_birth = former->date_of_birth;
  } else {
    CP_ASSIGN_OR_RETURN(fresh.date_of_birth, Date::Parse(in.date_of_birth, "date_of_birth"));
  }
  fresh.core_provenance = manual;
  if (!in.address_line_1.empty() || !in.postcode.empty()) {
    fresh.address = {domain::AddressStatus::kCurrent,
                     in.address_line_1,
                     in.address_line_2,
                     in.town,
                     in.postcode,
                     {},
                     manual};
  } else {
    fresh.address.provenance = manual;
  }
  fresh.responsible_authority = former->responsible_authority;
  fresh.extended_with_consent = former->extended_with_consent;
  fresh.shielded = true;  // From its first moment: a search never shows its hidden fields.
  CP_RETURN_IF_ERROR(domain::ValidateChildRecord(fresh, today));

  domain::Retention archived = former->retention;
  archived.state = domain::RecordState::kArchived;
  archived.archive_reason = domain::ArchiveReason::kIdentityChange;
  archived.archived_on = today;

  store::IdentityLink link;
  link.former_uin = former_uin;
  link.authority = former->responsible_authority;
  link.reason = in.reason;
  link.recorded_by = actor.username;
  link.recorded_at = now;

  // Audited first. Neither entry names the other UIN.
  boost::json::object former_details{{"archived_on", today.ToString()}, {"reason", in.reason}};
  CP_RETURN_IF_ERROR(Audit(actor, "child.archive", "child:" + former_uin.str(), "success",
                           "identity_change", boost::json::serialize(former_details)));
  Result<int64_t> created = Status::Internal("no UIN tried");
  for (int attempt = 0; attempt < 5; ++attempt) {
    fresh.uin = domain::Uin::Generate(random_);
    link.new_uin = fresh.uin;
    boost::json::object new_details{{"shielded", true}};
    CP_RETURN_IF_ERROR(Audit(actor, "child.create", "child:" + fresh.uin.str(), "success",
                             "management", boost::json::serialize(new_details)));
    created =
        retention_.CreateWithIdentityChange(fresh, former->id, former->version, archived, link);
    if (created.status().code() != StatusCode::kAlreadyExists) break;
  }
  CP_RETURN_IF_ERROR(created.status());

  IdentityChangeOutcome outcome;
  outcome.new_uin = fresh.uin.str();
  if (shielding_ != nullptr) {
    ShieldInput shield;
    shield.uin = fresh.uin.str();
    shield.criteria = in.reason == "adoption"
                          ? std::vector<std::string>{"placement_at_risk"}
                          : std::vector<std::string>{"serious_crime", "child_at_risk"};
    shield.category = in.reason == "adoption" ? "adoption_fostering" : "witness_protection";
    shield.new_record = true;
    auto shielded = shielding_->RequestShield(actor, shield);
    // The record is shielded by its flag whatever happens here; without the log entry the
    // management desk shows it as shielded with no request, for management to log by hand.
    if (shielded.ok()) outcome.shield_request_id = shielded->request_id;
  }
  return outcome;
}

Result<std::vector<IdentityLinkView>> RetentionService::IdentityLinks(const Actor& actor,
                                                                      const std::string& uin_text) {
  const std::string short_target = "child:" + uin_text.substr(0, 16);
  if (!actor.system && !policy::IsGranted(actor.roles, policy::Permission::kManageRetention)) {
    CP_RETURN_IF_ERROR(
        Audit(actor, "child.identity_link_read", short_target, "denied", "rbac", ""));
    return Status::PermissionDenied("Only the ContactPoint management team can see this");
  }
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(uin_text));
  CP_ASSIGN_OR_RETURN(std::vector<store::IdentityLink> links, retention_.IdentityLinksFor(uin));
  std::vector<IdentityLinkView> out;
  bool refused = false;
  for (const store::IdentityLink& l : links) {
    if (!ManagesAuthority(actor, l.authority)) {
      refused = true;
      continue;
    }
    out.push_back(
        {l.former_uin.str(), l.new_uin.str(), l.reason, l.recorded_by, FormatUtc(l.recorded_at)});
  }
  // Another authority's management learns nothing, not even that a link exists.
  CP_RETURN_IF_ERROR(Audit(actor, "child.identity_link_read", "child:" + uin.str(),
                           refused && out.empty() ? "denied" : "success",
                           refused && out.empty() ? "scope" : "",
                           boost::json::serialize(boost::json::object{{"links", out.size()}})));
  return out;
}

}  // namespace cp::workflow
