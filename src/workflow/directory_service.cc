#include "workflow/directory_service.h"

#include <boost/json.hpp>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "domain/child_record.h"
#include "domain/field_validation.h"
#include "policy/access_reasons.h"
#include "policy/rbac.h"
#include "policy/view_policy.h"
#include "search/criteria.h"
#include "store/child_store.h"
#include "workflow/audit_trail.h"
#include "workflow/directory_index.h"
#include "workflow/merge_redirect.h"

namespace cp::workflow {
namespace {

policy::Viewer ViewerOf(const Actor& actor) { return policy::Viewer{actor.roles, actor.authority}; }

// Asks the view policy, for each shielded candidate, whether this viewer sees its hidden
// fields: the index then matches only on what the viewer could see.
class PolicyHiddenAccess final : public search::HiddenFieldAccess {
 public:
  explicit PolicyHiddenAccess(policy::Viewer viewer) : viewer_(std::move(viewer)) {}
  bool CanSeeHidden(uint64_t, std::string_view authority) const override {
    return policy::CanSeeHiddenFields(viewer_, policy::RecordFacts{true, std::string(authority)});
  }

 private:
  policy::Viewer viewer_;
};

Result<search::SearchCriteria> ToCriteria(const SearchRequest& request) {
  search::SearchCriteria c;
  // Names are validated only for shape (length, control characters); matching is forgiving.
  CP_ASSIGN_OR_RETURN(c.given_name, domain::ValidateText(request.given_name, "given_name", 100));
  CP_ASSIGN_OR_RETURN(c.family_name, domain::ValidateText(request.family_name, "family_name", 100));
  if (!request.date_of_birth.empty()) {
    CP_ASSIGN_OR_RETURN(Date dob, Date::Parse(request.date_of_birth, "date_of_birth"));
    c.date_of_birth = dob;
  }
  if (!request.gender.empty()) {
    auto g = domain::ParseGender(request.gender);
    if (!g) return Status::InvalidArgument("Choose a gender from the list", "gender");
    switch (*g) {
      case domain::Gender::kMale:
        c.gender = search::Gender::kMale;
        break;
      case domain::Gender::kFemale:
        c.gender = search::Gender::kFemale;
        break;
      case domain::Gender::kNotSpecified:
        c.gender = search::Gender::kNotSpecified;
        break;
      case domain::Gender::kNotKnown:
        c.gender = search::Gender::kNotKnown;
        break;
    }
  }
  if (!request.postcode.empty()) {
    CP_ASSIGN_OR_RETURN(c.postcode, domain::NormalisePostcode(request.postcode, "postcode"));
  }
  Status enough = search::ValidateCriteria(c);
  if (!enough.ok()) {
    return Status::InvalidArgument(
        "insufficient_criteria: enter a family name and a given name or date of birth",
        enough.field());
  }
  return c;
}

// The criteria, canonicalised and HMAC'd: the audit can tell repeated searches apart without
// holding what was searched for.
std::string CriteriaDigest(const search::SearchCriteria& c, const std::string& key) {
  std::string canonical;
  auto add = [&](std::string_view s) {
    canonical += std::to_string(s.size());
    canonical += ':';
    canonical += s;
  };
  add(c.given_name);
  add(c.family_name);
  add(c.date_of_birth ? c.date_of_birth->ToString() : "");
  add(std::to_string(static_cast<int>(c.gender)));
  add(c.postcode);
  return crypto::HexEncode(crypto::HmacSha256(key, canonical));
}

std::string FieldsPresent(const search::SearchCriteria& c) {
  std::string out;
  auto add = [&](bool present, std::string_view name) {
    if (!present) return;
    if (!out.empty()) out += ",";
    out += name;
  };
  add(!c.given_name.empty(), "given_name");
  add(!c.family_name.empty(), "family_name");
  add(c.date_of_birth.has_value(), "date_of_birth");
  add(c.gender != search::Gender::kNotKnown, "gender");
  add(!c.postcode.empty(), "postcode");
  return out;
}

}  // namespace

size_t TrawlingLimit(const Actor& actor) {
  return actor.roles.Has(domain::Role::kShielder) ? search::kShielderLimit
                                                  : search::kOrdinaryUserLimit;
}

DirectoryService::DirectoryService(store::ChildStore& store, DirectoryIndex& index,
                                   audit::AuditSink& audit, std::string criteria_hmac_key,
                                   GrantLookup* grants)
    : store_(store),
      index_(index),
      audit_(audit),
      criteria_key_(std::move(criteria_hmac_key)),
      grants_(grants) {}

Status DirectoryService::AuditEvent(const Actor& actor, std::string_view action, std::string target,
                                    std::string_view outcome, std::string_view reason,
                                    std::string details) {
  return RecordAction(audit_, actor, action, std::move(target), outcome, reason,
                      std::move(details));
}

Result<std::vector<SearchHit>> DirectoryService::Search(const Actor& actor,
                                                        const SearchRequest& request) {
  if (!policy::IsGranted(actor.roles, policy::Permission::kSearchChildren)) {
    CP_RETURN_IF_ERROR(AuditEvent(actor, "child.search", "directory", "denied", "rbac", ""));
    return Status::PermissionDenied("You do not have access to search the directory");
  }
  // A search leaves any record opened under Break Glass.
  if (grants_ != nullptr) CP_RETURN_IF_ERROR(grants_->EndGrantsExcept(actor, 0, "search"));
  auto criteria = ToCriteria(request);
  if (!criteria.ok()) {
    CP_RETURN_IF_ERROR(
        AuditEvent(actor, "child.search", "directory", "refused", "invalid_criteria", ""));
    return criteria.status();
  }
  size_t limit = TrawlingLimit(actor);
  PolicyHiddenAccess access(ViewerOf(actor));
  CP_ASSIGN_OR_RETURN(search::SearchResponse response,
                      index_.index().Search(*criteria, limit, access));
  boost::json::object details{{"criteria_hmac", CriteriaDigest(*criteria, criteria_key_)},
                              {"fields", FieldsPresent(*criteria)},
                              {"limit", limit}};
  if (response.outcome == search::SearchOutcome::kTooManyMatches) {
    details["results"] = 0;
    CP_RETURN_IF_ERROR(AuditEvent(actor, "child.search", "directory", "refused", "too_many_matches",
                                  boost::json::serialize(details)));
    return Status::FailedPrecondition("too_many_matches");
  }
  std::vector<SearchHit> hits;
  boost::json::array uins;
  for (const search::SearchMatch& m : response.matches) {
    // The summary holds only what every viewer may see (the shielded view's items), and needs
    // no decryption.
    auto record = store_.GetSummary(static_cast<int64_t>(m.uin));
    if (record.status().code() == StatusCode::kNotFound) continue;  // Removed since indexed.
    CP_RETURN_IF_ERROR(record.status());
    hits.push_back(SearchHit{record->uin.str(), record->given_names, record->family_name,
                             std::string(domain::GenderName(record->gender)),
                             record->date_of_birth.ToString(), record->shielded, m.score,
                             std::string(search::ConfidenceBandName(m.band))});
    uins.emplace_back(record->uin.str());
  }
  details["results"] = hits.size();
  details["uins"] = std::move(uins);
  CP_RETURN_IF_ERROR(AuditEvent(actor, "child.search", "directory", "success", "",
                                boost::json::serialize(details)));
  return hits;
}

Result<policy::ChildView> DirectoryService::Open(const Actor& actor, const std::string& uin_text,
                                                 const std::string& reason_code,
                                                 const std::string& reason_text) {
  if (!policy::IsGranted(actor.roles, policy::Permission::kViewChildRecord)) {
    CP_RETURN_IF_ERROR(
        AuditEvent(actor, "child.view", "child:" + uin_text.substr(0, 16), "denied", "rbac", ""));
    return Status::PermissionDenied("You do not have access to child records");
  }
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(uin_text));
  CP_RETURN_IF_ERROR(policy::ValidateAccessReason(reason_code, reason_text));
  // A UIN merged away leads to the surviving record, decided below exactly as that record.
  auto resolved = GetFollowingMerges(store_, uin);
  if (resolved.status().code() == StatusCode::kNotFound) {
    CP_RETURN_IF_ERROR(
        AuditEvent(actor, "child.view", "child:" + uin.str(), "failure", "not_found", ""));
    return Status::NotFound("No child has that UIN");
  }
  CP_RETURN_IF_ERROR(resolved.status());
  const domain::ChildRecord* record = &resolved->record;
  policy::Viewer viewer = ViewerOf(actor);
  policy::RecordFacts facts{record->shielded, record->responsible_authority, record->id};
  // An archived or purged record is decided by the archive rules, which need a purpose this
  // path never establishes: it is opened only through RetentionService::OpenArchived.
  facts.state = record->retention.state;
  int64_t grant_id = 0;
  if (grants_ != nullptr) {
    // Opening this record leaves any other opened under Break Glass.
    CP_RETURN_IF_ERROR(grants_->EndGrantsExcept(actor, record->id, "left_record"));
    if (record->shielded) {
      CP_ASSIGN_OR_RETURN(grant_id, grants_->LiveGrantFor(actor, record->id));
    }
  }
  policy::ViewLevel without_grant = policy::Decide(viewer, facts);
  viewer.break_glass_child = grant_id != 0 ? record->id : 0;
  policy::ViewLevel level = policy::Decide(viewer, facts);
  // Break Glass only when the grant is what raises the level.
  bool break_glass = grant_id != 0 && level > without_grant;
  boost::json::object details{{"view_level", policy::ViewLevelName(level)},
                              {"reason_code", reason_code},
                              {"reason_text", reason_text}};
  if (!resolved->merged_from.empty()) details["merged_from"] = resolved->merged_from;
  if (break_glass) {
    details["break_glass"] = true;
    details["grant_id"] = grant_id;
  }
  if (level == policy::ViewLevel::kNone) {
    CP_RETURN_IF_ERROR(AuditEvent(actor, "child.view", "child:" + record->uin.str(), "denied",
                                  "policy", boost::json::serialize(details)));
    return Status::PermissionDenied("You do not have access to this record");
  }
  CP_RETURN_IF_ERROR(AuditEvent(actor, "child.view", "child:" + record->uin.str(), "success", "",
                                boost::json::serialize(details)));
  policy::ChildView view = *policy::MakeView(*record, level);
  if (auto* full = std::get_if<policy::FullChildView>(&view)) full->break_glass = break_glass;
  return view;
}

}  // namespace cp::workflow
