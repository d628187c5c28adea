#include "policy/view_policy.h"

#include "core/time_format.h"
#include "domain/service_types.h"
#include "policy/rbac.h"

namespace cp::policy {
namespace {

using domain::Role;

// Which records a rule applies to.
enum class RecordKind { kNotShielded, kShielded };
// Whether the viewer must belong to the record's responsible authority, or hold a live
// Break Glass grant for this very record.
enum class Scope { kAny, kOwnAuthority, kBreakGlassGrant };

struct ViewRule {
  RecordKind record;
  Role role;
  Scope scope;
  ViewLevel grants;
};

// The whole table. A viewer with no matching rule sees nothing. Administrators and data
// sources appear nowhere: they never see child data.
constexpr ViewRule kViewRules[] = {
    // Records that are not shielded: every child-data role sees all of it.
    {RecordKind::kNotShielded, Role::kPractitioner, Scope::kAny, ViewLevel::kFull},
    {RecordKind::kNotShielded, Role::kShielder, Scope::kAny, ViewLevel::kFull},
    {RecordKind::kNotShielded, Role::kManagement, Scope::kAny, ViewLevel::kFull},
    {RecordKind::kNotShielded, Role::kBreakGlass, Scope::kAny, ViewLevel::kFull},
    {RecordKind::kNotShielded, Role::kDpo, Scope::kAny, ViewLevel::kFull},
    // Shielded records: only the responsible authority's management team sees the hidden
    // fields; every other child-data role sees the shielded view.
    {RecordKind::kShielded, Role::kPractitioner, Scope::kAny, ViewLevel::kShielded},
    {RecordKind::kShielded, Role::kShielder, Scope::kAny, ViewLevel::kShielded},
    {RecordKind::kShielded, Role::kManagement, Scope::kAny, ViewLevel::kShielded},
    {RecordKind::kShielded, Role::kManagement, Scope::kOwnAuthority, ViewLevel::kFull},
    {RecordKind::kShielded, Role::kBreakGlass, Scope::kAny, ViewLevel::kShielded},
    // Break Glass: a holder with a live grant for this record sees all of it, for the grant's
    // life only (docs/break-glass.md).
    {RecordKind::kShielded, Role::kBreakGlass, Scope::kBreakGlassGrant, ViewLevel::kFull},
    {RecordKind::kShielded, Role::kDpo, Scope::kAny, ViewLevel::kShielded},
};

// Archived records (docs/retention.md): found by no search. The management team of the
// responsible authority reads them during the year after archiving; after that only the
// archive reader role, and only for a child-protection enquiry or a serious case review (the
// archive reader reads them during the first year too, on the same terms). A shielded record
// stays shielded for the archive reader. Purged records are seen by nobody (no rule).
enum class ArchiveScope { kOwnAuthorityWithinReadPeriod, kArchivePurpose };

struct ArchiveRule {
  RecordKind record;
  Role role;
  ArchiveScope scope;
  ViewLevel grants;
};

constexpr ArchiveRule kArchiveRules[] = {
    {RecordKind::kNotShielded, Role::kManagement, ArchiveScope::kOwnAuthorityWithinReadPeriod,
     ViewLevel::kFull},
    {RecordKind::kShielded, Role::kManagement, ArchiveScope::kOwnAuthorityWithinReadPeriod,
     ViewLevel::kFull},
    {RecordKind::kNotShielded, Role::kArchiveReader, ArchiveScope::kArchivePurpose,
     ViewLevel::kFull},
    {RecordKind::kShielded, Role::kArchiveReader, ArchiveScope::kArchivePurpose,
     ViewLevel::kShielded},
};

ViewLevel DecideArchived(const Viewer& viewer, const RecordFacts& record) {
  if (record.state != domain::RecordState::kArchived) return ViewLevel::kNone;  // Purged.
  if (!IsGranted(viewer.roles, Permission::kReadArchive)) return ViewLevel::kNone;
  RecordKind kind = record.shielded ? RecordKind::kShielded : RecordKind::kNotShielded;
  ViewLevel best = ViewLevel::kNone;
  for (const ArchiveRule& rule : kArchiveRules) {
    if (rule.record != kind || !viewer.roles.Has(rule.role)) continue;
    if (rule.scope == ArchiveScope::kOwnAuthorityWithinReadPeriod &&
        (!record.within_management_read_period || viewer.authority.empty() ||
         viewer.authority != record.responsible_authority)) {
      continue;
    }
    if (rule.scope == ArchiveScope::kArchivePurpose && !record.archive_purpose) continue;
    if (rule.grants > best) best = rule.grants;
  }
  return best;
}

std::string OptionalDate(const std::optional<Date>& d) { return d ? d->ToString() : ""; }

SourcedText Sourced(const domain::Provenance& p) { return {p.source, FormatUtc(p.updated_at)}; }

NameView Name(const domain::PersonName& n) {
  return {n.given_names, n.family_name, Sourced(n.provenance)};
}

std::string AddressStatusName(domain::AddressStatus s) {
  switch (s) {
    case domain::AddressStatus::kCurrent:
      return "current";
    case domain::AddressStatus::kLastKnown:
      return "last_known";
    case domain::AddressStatus::kNoKnownAddress:
      return "no_known_address";
    case domain::AddressStatus::kLeftEngland:
      return "left_england";
  }
  return "no_known_address";
}

}  // namespace

std::string_view ViewLevelName(ViewLevel level) {
  switch (level) {
    case ViewLevel::kNone:
      return "none";
    case ViewLevel::kShielded:
      return "shielded";
    case ViewLevel::kFull:
      return "full";
  }
  return "none";
}

ViewLevel Decide(const Viewer& viewer, const RecordFacts& record) {
  if (record.state != domain::RecordState::kLive) return DecideArchived(viewer, record);
  if (!IsGranted(viewer.roles, Permission::kViewChildRecord)) return ViewLevel::kNone;
  RecordKind kind = record.shielded ? RecordKind::kShielded : RecordKind::kNotShielded;
  ViewLevel best = ViewLevel::kNone;
  for (const ViewRule& rule : kViewRules) {
    if (rule.record != kind || !viewer.roles.Has(rule.role)) continue;
    if (rule.scope == Scope::kOwnAuthority &&
        (viewer.authority.empty() || viewer.authority != record.responsible_authority)) {
      continue;
    }
    if (rule.scope == Scope::kBreakGlassGrant &&
        (viewer.break_glass_child == 0 || viewer.break_glass_child != record.child_id)) {
      continue;
    }
    if (rule.grants > best) best = rule.grants;
  }
  return best;
}

std::optional<ChildView> MakeView(const domain::ChildRecord& r, ViewLevel level) {
  switch (level) {
    case ViewLevel::kNone:
      return std::nullopt;
    case ViewLevel::kShielded:
      return ChildView(ShieldedChildView{r.uin.str(), r.name.given_names, r.name.family_name,
                                         std::string(domain::GenderName(r.gender)),
                                         r.date_of_birth.ToString(), std::string(kShieldedNotice)});
    case ViewLevel::kFull:
      break;
  }
  FullChildView v;
  v.uin = r.uin.str();
  v.name = Name(r.name);
  for (const auto& n : r.former_names) v.former_names.push_back(Name(n));
  for (const auto& n : r.known_as) v.known_as.push_back(Name(n));
  v.gender = std::string(domain::GenderName(r.gender));
  v.date_of_birth = r.date_of_birth.ToString();
  v.core_provenance = Sourced(r.core_provenance);
  v.address = {AddressStatusName(r.address.status),
               r.address.line_1,
               r.address.line_2,
               r.address.town,
               r.address.postcode,
               OptionalDate(r.address.intent_to_return),
               Sourced(r.address.provenance)};
  for (const auto& c : r.carers) {
    v.carers.push_back({c.name, c.relationship, c.phone, c.email, Sourced(c.provenance)});
  }
  if (r.education) {
    v.education = SettingView{r.education->name, "", OptionalDate(r.education->start_date),
                              Sourced(r.education->provenance)};
  }
  if (r.gp) v.gp = SettingView{r.gp->name, r.gp->phone, "", Sourced(r.gp->provenance)};
  for (const auto& i : r.involvements) {
    auto type = domain::FindServiceType(i.service_type);
    v.involvements.push_back(
        {i.service_type, type ? std::string(type->label) : i.service_type, i.practitioner,
         i.organisation, i.phone, i.email, OptionalDate(i.start_date), OptionalDate(i.end_date),
         i.lead_professional, i.caf_complete, type && type->sensitive, Sourced(i.provenance)});
  }
  v.responsible_authority = r.responsible_authority;
  v.shielded = r.shielded;
  v.extended_with_consent = r.extended_with_consent;
  return ChildView(std::move(v));
}

}  // namespace cp::policy
