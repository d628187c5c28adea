#include "workflow/duplicate_service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/child_record.h"
#include "domain/shielding.h"
#include "policy/rbac.h"
#include "policy/view_policy.h"
#include "store/child_store.h"
#include "store/duplicate_store.h"
#include "store/feed_store.h"
#include "store/shield_store.h"
#include "workflow/audit_trail.h"
#include "workflow/shielding_service.h"
#include "workflow/source_items.h"

namespace cp::workflow {
namespace {

using domain::ChildRecord;
using domain::DuplicateStatus;
using domain::LogAction;
using domain::RequestStatus;
using domain::ShieldRequest;
using policy::Permission;

std::string PairTarget(int64_t id) { return "possible_duplicate:" + std::to_string(id); }
std::string MergeTarget(int64_t id) { return "merge:" + std::to_string(id); }

bool Granted(const Actor& actor, Permission p) {
  return actor.system || policy::IsGranted(actor.roles, p);
}

// --- Merging the items of two records -----------------------------------------------------

bool SameName(const domain::PersonName& a, const domain::PersonName& b) {
  return a.given_names == b.given_names && a.family_name == b.family_name;
}

// Appends to `into` the names of `from` it does not hold yet (by given and family name).
void UniteNames(std::vector<domain::PersonName>& into, const std::vector<domain::PersonName>& from,
                const domain::PersonName& current) {
  for (const auto& n : from) {
    if (SameName(n, current)) continue;
    if (std::none_of(into.begin(), into.end(), [&](const auto& m) { return SameName(m, n); })) {
      into.push_back(n);
    }
  }
}

bool SameCarer(const domain::Carer& a, const domain::Carer& b) {
  return a.name == b.name && a.relationship == b.relationship && a.phone == b.phone &&
         a.email == b.email;
}

bool SameInvolvement(const domain::Involvement& a, const domain::Involvement& b) {
  return a.service_type == b.service_type && a.practitioner == b.practitioner &&
         a.organisation == b.organisation && a.start_date == b.start_date &&
         a.provenance.source == b.provenance.source;
}

bool HasAddress(const domain::Address& a) {
  return a.status != domain::AddressStatus::kNoKnownAddress || !a.postcode.empty() ||
         !a.line_1.empty();
}

// Of two single items, the one to keep: `mine` unless absent or `theirs` is newer.
template <typename T>
const std::optional<T>& NewerOf(const std::optional<T>& mine, const std::optional<T>& theirs) {
  if (!mine) return theirs;
  if (theirs && theirs->provenance.updated_at > mine->provenance.updated_at) return theirs;
  return mine;
}

// The survivor after absorbing `absorbed`: every list item of both (each with its provenance),
// the absorbed record's current name as a known-as name, and of each single item the newer.
ChildRecord MergeItems(const ChildRecord& survivor, const ChildRecord& absorbed) {
  ChildRecord out = survivor;
  UniteNames(out.former_names, absorbed.former_names, out.name);
  UniteNames(out.known_as, absorbed.known_as, out.name);
  if (!SameName(absorbed.name, out.name)) UniteNames(out.known_as, {absorbed.name}, out.name);
  if (out.gender == domain::Gender::kNotKnown && absorbed.gender != domain::Gender::kNotKnown) {
    out.gender = absorbed.gender;
  }
  if (!HasAddress(out.address) ||
      (HasAddress(absorbed.address) &&
       absorbed.address.provenance.updated_at > out.address.provenance.updated_at)) {
    out.address = absorbed.address;
  }
  for (const auto& c : absorbed.carers) {
    if (std::none_of(out.carers.begin(), out.carers.end(),
                     [&](const auto& m) { return SameCarer(m, c); })) {
      out.carers.push_back(c);
    }
  }
  out.education = NewerOf(out.education, absorbed.education);
  out.gp = NewerOf(out.gp, absorbed.gp);
  for (auto v : absorbed.involvements) {
    if (std::any_of(out.involvements.begin(), out.involvements.end(),
                    [&](const auto& m) { return SameInvolvement(m, v); })) {
      continue;
    }
    v.id = 0;  // The store numbers it within the survivor.
    out.involvements.push_back(std::move(v));
  }
  out.extended_with_consent = survivor.extended_with_consent || absorbed.extended_with_consent;
  out.shielded = survivor.shielded || absorbed.shielded;
  return out;
}

// `before` with every item of `current` that changed after `since` (arrived on the merged
// record after the merge): an unmerge must not lose what sources sent since.
ChildRecord RestoreWithNewer(const ChildRecord& before, const ChildRecord& current,
                             TimePoint since) {
  ChildRecord out = before;
  auto newer = [since](const domain::Provenance& p) { return p.updated_at > since; };
  if (newer(current.name.provenance)) out.name = current.name;
  if (newer(current.core_provenance)) {
    out.gender = current.gender;
    out.date_of_birth = current.date_of_birth;
    out.core_provenance = current.core_provenance;
  }
  for (const auto& n : current.former_names) {
    if (newer(n.provenance)) UniteNames(out.former_names, {n}, out.name);
  }
  for (const auto& n : current.known_as) {
    if (newer(n.provenance)) UniteNames(out.known_as, {n}, out.name);
  }
  if (newer(current.address.provenance)) out.address = current.address;
  for (const auto& c : current.carers) {
    if (newer(c.provenance) && std::none_of(out.carers.begin(), out.carers.end(),
                                            [&](const auto& m) { return SameCarer(m, c); })) {
      out.carers.push_back(c);
    }
  }
  if (current.education && newer(current.education->provenance)) out.education = current.education;
  if (current.gp && newer(current.gp->provenance)) out.gp = current.gp;
  for (auto v : current.involvements) {
    if (!newer(v.provenance)) continue;
    if (std::any_of(out.involvements.begin(), out.involvements.end(),
                    [&](const auto& m) { return SameInvolvement(m, v); })) {
      continue;
    }
    v.id = 0;
    out.involvements.push_back(std::move(v));
  }
  out.extended_with_consent = before.extended_with_consent || current.extended_with_consent;
  out.id = current.id;
  out.version = current.version;
  return out;
}

// --- Shielding log entries of a move --------------------------------------------------------

domain::LogEntry MovedLogEntry(const ShieldRequest& r, const ChildRecord& to, LogAction action,
                               Date today, std::string comments) {
  domain::LogEntry e;
  e.authority = to.responsible_authority;
  e.request_id = r.id;
  e.uin = to.uin.str();
  e.action = action;
  e.category = r.category;
  e.date = today;
  e.requester_contact = r.requester.name.empty() ? r.requester.contact
                                                 : r.requester.name + ", " + r.requester.contact;
  e.relationship = r.requester.relationship;
  e.comments = std::move(comments);
  return e;
}

domain::Notification ManagementNote(const std::string& authority, std::string kind,
                                    std::string text, const std::string& uin, TimePoint now) {
  return domain::Notification{
      0, "management:" + authority, std::move(kind), std::move(text), uin, 0, now};
}

boost::json::array IdsJson(const std::vector<int64_t>& ids) {
  boost::json::array out;
  for (int64_t id : ids) out.emplace_back(id);
  return out;
}

}  // namespace

DuplicateService::DuplicateService(store::ChildStore& children, store::ShieldStore& shields,
                                   store::DuplicateStore& duplicates, ShieldingService& shielding,
                                   audit::AuditSink& audit, const Clock& clock)
    : children_(children),
      shields_(shields),
      duplicates_(duplicates),
      shielding_(shielding),
      audit_(audit),
      clock_(clock) {}

bool DuplicateService::Manages(const Actor& actor, const std::string& authority) const {
  if (actor.system) return true;
  return policy::IsGranted(actor.roles, Permission::kManageShielding) && !actor.authority.empty() &&
         actor.authority == authority;
}

Status DuplicateService::Audit(const Actor& actor, std::string_view action, std::string target,
                               std::string_view outcome, std::string details) {
  return RecordAction(audit_, actor, action, std::move(target), outcome,
                      outcome == "denied" ? "rbac" : "", std::move(details));
}

Status DuplicateService::Deny(const Actor& actor, std::string_view action, std::string target) {
  CP_RETURN_IF_ERROR(Audit(actor, action, std::move(target), "denied", ""));
  return Status::PermissionDenied(
      "Only the ContactPoint management team of the records' authority decides duplicates");
}

// True when the actor manages the authority of either record of the pair (a record merged
// away no longer counts).
Result<bool> DuplicateService::ManagesPair(const Actor& actor, const domain::PossibleDuplicate& d) {
  for (int64_t child_id : {d.child_id, d.other_child_id}) {
    auto summary = children_.GetSummary(child_id);
    if (summary.status().code() == StatusCode::kNotFound) continue;
    CP_RETURN_IF_ERROR(summary.status());
    if (Manages(actor, summary->responsible_authority)) return true;
  }
  return false;
}

// The summaries of both records, whether or not one is merged away (the child store hides a
// merged record, so its UIN comes from the merge).
Result<DuplicatePair> DuplicateService::PairFor(const domain::PossibleDuplicate& d) {
  DuplicatePair pair;
  pair.id = d.id;
  pair.status = d.status;
  pair.weight = d.weight;
  pair.source = d.source;
  pair.created_at = d.created_at;
  pair.decided_by = d.decided_by;
  pair.decided_at = d.decided_at;
  pair.closed_reason = d.closed_reason;
  CP_ASSIGN_OR_RETURN(std::optional<store::MergeRecord> merge, duplicates_.LiveMergeOf(d.id));
  if (merge) pair.live_merge_id = merge->id;
  auto record = children_.GetSummary(d.child_id);
  if (record.ok()) {
    pair.record_uin = record->uin.str();
    pair.shielded = record->shielded;
  } else if (record.status().code() == StatusCode::kNotFound && merge) {
    pair.record_uin = merge->absorbed_uin;
    pair.record_merged_away = true;
  } else if (record.status().code() == StatusCode::kNotFound) {
    pair.record_merged_away = true;  // Merged away through another pair.
  } else {
    return record.status();
  }
  auto other = children_.GetSummary(d.other_child_id);
  if (other.ok()) {
    pair.other_uin = other->uin.str();
    pair.shielded = pair.shielded || other->shielded;
  } else if (other.status().code() != StatusCode::kNotFound) {
    return other.status();
  }
  return pair;
}

Result<int64_t> DuplicateService::Propose(const Actor& actor, const std::string& record_uin,
                                          const std::string& other_uin, double weight,
                                          const std::string& source) {
  constexpr std::string_view kAction = "duplicate.propose";
  CP_ASSIGN_OR_RETURN(domain::Uin uin, domain::Uin::Parse(record_uin));
  CP_ASSIGN_OR_RETURN(domain::Uin other_id, domain::Uin::Parse(other_uin));
  if (uin == other_id) {
    return Status::InvalidArgument("A record cannot be a duplicate of itself", "other_uin");
  }
  CP_ASSIGN_OR_RETURN(ChildRecord record, children_.GetByUin(uin));
  CP_ASSIGN_OR_RETURN(ChildRecord other, children_.GetByUin(other_id));
  if (!Manages(actor, record.responsible_authority) &&
      !Manages(actor, other.responsible_authority)) {
    return Deny(actor, kAction, "child:" + uin.str());
  }
  CP_ASSIGN_OR_RETURN(bool refused, duplicates_.IsDoNotMatch(record.id, other.id));
  if (refused) return Status::FailedPrecondition("do_not_match");
  CP_ASSIGN_OR_RETURN(
      std::vector<domain::PossibleDuplicate> open,
      duplicates_.ListDuplicates(other.responsible_authority, DuplicateStatus::kOpen));
  for (const auto& d : open) {
    if ((d.child_id == record.id && d.other_child_id == other.id) ||
        (d.child_id == other.id && d.other_child_id == record.id)) {
      return d.id;
    }
  }
  // §11 first: a possible match to a shielded record is never left unshielded.
  if (other.shielded && !record.shielded) {
    CP_RETURN_IF_ERROR(
        shielding_.ShieldPossibleDuplicate(actor, uin.str(), other_id.str()).status());
  } else if (record.shielded && !other.shielded) {
    CP_RETURN_IF_ERROR(
        shielding_.ShieldPossibleDuplicate(actor, other_id.str(), uin.str()).status());
  }
  boost::json::object details{{"other", other_id.str()}, {"source", source}};
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, "child:" + uin.str(), "success", boost::json::serialize(details)));
  domain::PossibleDuplicate pair;
  pair.child_id = record.id;
  pair.other_child_id = other.id;
  pair.weight = weight;
  pair.source = source;
  pair.created_at = clock_.Now();
  return duplicates_.AddPossibleDuplicate(pair);
}

Result<std::vector<DuplicatePair>> DuplicateService::List(const Actor& actor,
                                                          std::optional<DuplicateStatus> status) {
  constexpr std::string_view kAction = "duplicate.list";
  if (!Granted(actor, Permission::kManageShielding) || actor.authority.empty()) {
    return Deny(actor, kAction, "possible_duplicates");
  }
  CP_ASSIGN_OR_RETURN(std::vector<domain::PossibleDuplicate> rows,
                      duplicates_.ListDuplicates(actor.authority, status));
  std::vector<DuplicatePair> pairs;
  pairs.reserve(rows.size());
  for (const auto& d : rows) {
    CP_ASSIGN_OR_RETURN(DuplicatePair pair, PairFor(d));
    pairs.push_back(std::move(pair));
  }
  boost::json::object details{{"count", pairs.size()},
                              {"status", status ? DuplicateStatusName(*status) : "all"}};
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, "possible_duplicates", "success", boost::json::serialize(details)));
  return pairs;
}

Result<DuplicateDetail> DuplicateService::Get(const Actor& actor, int64_t id) {
  constexpr std::string_view kAction = "duplicate.view";
  if (!Granted(actor, Permission::kManageShielding)) return Deny(actor, kAction, PairTarget(id));
  CP_ASSIGN_OR_RETURN(domain::PossibleDuplicate d, duplicates_.GetDuplicate(id));
  CP_ASSIGN_OR_RETURN(bool mine, ManagesPair(actor, d));
  if (!mine) return Deny(actor, kAction, PairTarget(id));
  auto record = children_.Get(d.child_id);
  auto other = children_.Get(d.other_child_id);
  for (const auto* r : {&record, &other}) {
    if (!r->ok() && r->status().code() != StatusCode::kNotFound) return r->status();
  }
  CP_ASSIGN_OR_RETURN(DuplicatePair pair, PairFor(d));
  DuplicateDetail detail;
  detail.pair = pair;
  const policy::Viewer viewer{actor.roles, actor.authority, 0};
  auto view_of = [&](const ChildRecord& r) {
    policy::ViewLevel level =
        actor.system ? policy::ViewLevel::kFull
                     : policy::Decide(viewer, {r.shielded, r.responsible_authority, r.id});
    return policy::MakeView(r, level);
  };
  if (record.ok()) detail.record = view_of(*record);
  if (other.ok()) detail.other = view_of(*other);
  boost::json::object details{{"record", pair.record_uin}, {"other", pair.other_uin}};
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, PairTarget(id), "success", boost::json::serialize(details)));
  return detail;
}

Status DuplicateService::ChooseUnmergedItems(const store::MergeRecord& merge,
                                             store::UnmergeChange& change) {
  CP_ASSIGN_OR_RETURN(std::vector<store::SourceRef> refs, feeds_->RefsOfChild(merge.survivor_id));
  std::vector<SourceItems> to_absorbed;
  std::vector<SourceItems> to_survivor;
  std::vector<std::string> returning_sources;
  std::vector<std::string> staying_sources;
  for (const store::SourceRef& r : refs) {
    const bool returns =
        std::find(merge.moved_source_refs.begin(), merge.moved_source_refs.end(),
                  std::make_pair(r.source, r.ref)) != merge.moved_source_refs.end();
    (returns ? returning_sources : staying_sources).push_back(r.source);
    if (r.items.empty()) continue;
    auto items = DecodeSourceItems(r.items, r.source);
    if (!items.ok()) return Status::Internal("corrupt source items");
    (returns ? to_absorbed : to_survivor).push_back(std::move(*items));
  }
  // What the survivor shows from a source whose references all go back is not its own.
  std::vector<std::string> gone;
  for (const std::string& s : returning_sources) {
    if (std::find(staying_sources.begin(), staying_sources.end(), s) == staying_sources.end()) {
      gone.push_back(s);
    }
  }
  ForgetItemsOfSources(change.survivor, merge.survivor_before, gone);
  ChooseCurrentItems(change.survivor, to_survivor);
  ChooseCurrentItems(change.absorbed, to_absorbed);
  return Status::Ok();
}

Result<std::vector<store::PairFollowUp>> DuplicateService::PlanPairFollowUps(int64_t confirmed_id,
                                                                             int64_t survivor_id,
                                                                             int64_t absorbed_id) {
  CP_ASSIGN_OR_RETURN(std::vector<domain::PossibleDuplicate> of_absorbed,
                      duplicates_.OpenPairsOf(absorbed_id));
  CP_ASSIGN_OR_RETURN(std::vector<domain::PossibleDuplicate> of_survivor,
                      duplicates_.OpenPairsOf(survivor_id));
  std::vector<store::PairFollowUp> out;
  for (const domain::PossibleDuplicate& d : of_absorbed) {
    if (d.id == confirmed_id) continue;
    const int64_t partner = d.child_id == absorbed_id ? d.other_child_id : d.child_id;
    store::PairFollowUp f;
    f.duplicate_id = d.id;
    f.child_id = d.child_id == absorbed_id ? survivor_id : d.child_id;
    f.other_child_id = d.other_child_id == absorbed_id ? survivor_id : d.other_child_id;
    if (partner == survivor_id) {
      f.close_reason = "merged_together";
    } else {
      CP_ASSIGN_OR_RETURN(bool refused, duplicates_.IsDoNotMatch(survivor_id, partner));
      const bool already_open =
          std::any_of(of_survivor.begin(), of_survivor.end(), [&](const auto& o) {
            return o.id != confirmed_id && (o.child_id == partner || o.other_child_id == partner);
          });
      if (refused) {
        f.close_reason = "do_not_match";
      } else if (already_open) {
        f.close_reason = "superseded_by_open_pair";
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

Result<MergeOutcome> DuplicateService::Confirm(const Actor& actor, int64_t id) {
  constexpr std::string_view kAction = "duplicate.merge";
  if (!Granted(actor, Permission::kManageShielding)) return Deny(actor, kAction, PairTarget(id));
  CP_ASSIGN_OR_RETURN(domain::PossibleDuplicate d, duplicates_.GetDuplicate(id));
  CP_ASSIGN_OR_RETURN(bool mine, ManagesPair(actor, d));
  if (!mine) return Deny(actor, kAction, PairTarget(id));
  if (d.status != DuplicateStatus::kOpen) return Status::Conflict("already_decided");
  auto absorbed_read = children_.Get(d.child_id);
  auto survivor_read = children_.Get(d.other_child_id);
  for (const auto* r : {&absorbed_read, &survivor_read}) {
    if (r->status().code() == StatusCode::kNotFound) {
      // One of them was merged away through another pair since this one was queued.
      return Status::FailedPrecondition("record_merged");
    }
    CP_RETURN_IF_ERROR(r->status());
  }
  const ChildRecord& absorbed = *absorbed_read;
  const ChildRecord& survivor = *survivor_read;
  const TimePoint now = clock_.Now();
  const Date today = Date::FromTime(now);
  const std::string by = actor.system ? "system" : actor.username;

  store::MergeChange change;
  change.duplicate_id = id;
  change.survivor = MergeItems(survivor, absorbed);
  change.absorbed_id = absorbed.id;
  change.absorbed_version = absorbed.version;
  change.survivor_before = survivor;
  change.absorbed_before = absorbed;
  change.authority = survivor.responsible_authority;
  change.decided_by = by;
  change.at = now;
  CP_ASSIGN_OR_RETURN(change.pair_follow_ups, PlanPairFollowUps(id, survivor.id, absorbed.id));
  if (feeds_ != nullptr) {
    // Each source's items as the two records show them, kept with its reference before the
    // merged record may show another source's (a reference that only created its record has
    // none stored): so the survivor holds both sources' items.
    for (const ChildRecord* r : {&survivor, &absorbed}) {
      CP_ASSIGN_OR_RETURN(std::vector<store::SourceRef> refs, feeds_->RefsOfChild(r->id));
      std::vector<store::SourceRef> keep;
      for (store::SourceRef& ref : refs) {
        if (!ref.items.empty()) continue;
        ref.items = EncodeSourceItems(ItemsShownFrom(*r, ref.source));
        keep.push_back(std::move(ref));
      }
      if (!keep.empty()) CP_RETURN_IF_ERROR(feeds_->KeepItems(keep));
    }
  }
  CP_ASSIGN_OR_RETURN(store::MergeDependants dependants, duplicates_.DependantsOf(absorbed.id));
  change.brokering_request_ids = dependants.brokering_request_ids;
  change.ended_grant_ids = dependants.live_grant_ids;

  // Every request of the absorbed record moves (history too); each active one is logged on
  // the survivor: "shield applied" for the first if the survivor was not shielded, otherwise
  // "additional request".
  CP_ASSIGN_OR_RETURN(std::vector<ShieldRequest> requests, shields_.RequestsForChild(absorbed.id));
  bool survivor_shielded = survivor.shielded;
  for (const ShieldRequest& r : requests) {
    change.moved_request_ids.push_back(r.id);
    if (r.status != RequestStatus::kActive) continue;
    change.shields.log.push_back(
        {MovedLogEntry(
             r, survivor,
             survivor_shielded ? LogAction::kAdditionalRequest : LogAction::kShieldApplied, today,
             "Moved from " + absorbed.uin.str() + " by a duplicate merge"),
         -1});
    survivor_shielded = true;
  }
  if (change.survivor.shielded) {
    // The absorbed record's open review moves to the survivor (never later than it was); a
    // record shielded by the merge is reviewed within 7 days.
    CP_ASSIGN_OR_RETURN(std::optional<domain::Review> open, shields_.OpenReview(absorbed.id));
    std::optional<Date> due;
    if (open) due = open->due;
    if (!survivor.shielded) {
      const Date first = domain::FirstReviewDue(today, false);
      due = due ? std::min(*due, first) : first;
    }
    if (due) {
      change.shields.reviews.push_back(
          {survivor.id, survivor.uin.str(), survivor.responsible_authority, *due});
    }
    change.shields.close_open_reviews_of.push_back(absorbed.id);
    change.shields.notifications.push_back(
        {ManagementNote(survivor.responsible_authority, "duplicate_merged",
                        "Record " + absorbed.uin.str() + " was merged into the shielded record " +
                            survivor.uin.str() + ": check its shield requests and review.",
                        survivor.uin.str(), now),
         -1});
  }

  boost::json::object details{{"survivor", survivor.uin.str()},
                              {"absorbed", absorbed.uin.str()},
                              {"requests_moved", IdsJson(change.moved_request_ids)},
                              {"shielded", change.survivor.shielded},
                              {"brokering_moved", IdsJson(change.brokering_request_ids)},
                              {"grants_ended", IdsJson(change.ended_grant_ids)}};
  boost::json::array repointed;
  boost::json::array closed;
  for (const store::PairFollowUp& f : change.pair_follow_ups) {
    if (f.close_reason.empty()) {
      repointed.emplace_back(f.duplicate_id);
    } else {
      closed.push_back({{"id", f.duplicate_id}, {"reason", f.close_reason}});
    }
  }
  details["pairs_repointed"] = std::move(repointed);
  details["pairs_closed"] = std::move(closed);
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, PairTarget(id), "success", boost::json::serialize(details)));
  CP_ASSIGN_OR_RETURN(int64_t merge_id, duplicates_.CommitMerge(change));
  MergeOutcome outcome;
  outcome.merge_id = merge_id;
  outcome.survivor_uin = survivor.uin.str();
  outcome.absorbed_uin = absorbed.uin.str();
  outcome.shielded = change.survivor.shielded;
  outcome.requests_moved = change.moved_request_ids.size();
  return outcome;
}

Status DuplicateService::Reject(const Actor& actor, int64_t id) {
  constexpr std::string_view kAction = "duplicate.reject";
  if (!Granted(actor, Permission::kManageShielding)) return Deny(actor, kAction, PairTarget(id));
  CP_ASSIGN_OR_RETURN(domain::PossibleDuplicate d, duplicates_.GetDuplicate(id));
  CP_ASSIGN_OR_RETURN(bool mine, ManagesPair(actor, d));
  if (!mine) return Deny(actor, kAction, PairTarget(id));
  if (d.status != DuplicateStatus::kOpen) return Status::Conflict("already_decided");
  CP_ASSIGN_OR_RETURN(DuplicatePair pair, PairFor(d));
  boost::json::object details{{"record", pair.record_uin}, {"other", pair.other_uin}};
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, PairTarget(id), "success", boost::json::serialize(details)));
  return duplicates_.RejectDuplicate(id, actor.system ? "system" : actor.username, clock_.Now());
}

Result<MergeOutcome> DuplicateService::Undo(const Actor& actor, int64_t merge_id) {
  constexpr std::string_view kAction = "duplicate.unmerge";
  if (!Granted(actor, Permission::kManageShielding)) {
    return Deny(actor, kAction, MergeTarget(merge_id));
  }
  CP_ASSIGN_OR_RETURN(store::MergeRecord merge, duplicates_.GetMerge(merge_id));
  if (!Manages(actor, merge.authority) &&
      !Manages(actor, merge.absorbed_before.responsible_authority)) {
    return Deny(actor, kAction, MergeTarget(merge_id));
  }
  if (merge.undone_at) return Status::Conflict("already_undone");
  auto current = children_.Get(merge.survivor_id);
  if (current.status().code() == StatusCode::kNotFound) {
    // The survivor was merged into a third record since: undo that merge first.
    return Status::FailedPrecondition("survivor_merged_again");
  }
  CP_RETURN_IF_ERROR(current.status());
  const TimePoint now = clock_.Now();
  const Date today = Date::FromTime(now);

  store::UnmergeChange change;
  change.merge_id = merge_id;
  change.survivor = RestoreWithNewer(merge.survivor_before, *current, merge.merged_at);
  change.absorbed = merge.absorbed_before;
  // Never lose a shield: whatever was shielded stays so, and if the merged record is
  // shielded both come back shielded (in doubt, both), each reviewed within 7 days.
  change.survivor.shielded = merge.survivor_before.shielded || current->shielded;
  change.absorbed.shielded = merge.absorbed_before.shielded || current->shielded;
  change.undone_by = actor.system ? "system" : actor.username;
  change.at = now;
  if (feeds_ != nullptr) CP_RETURN_IF_ERROR(ChooseUnmergedItems(merge, change));

  CP_ASSIGN_OR_RETURN(std::vector<ShieldRequest> on_survivor,
                      shields_.RequestsForChild(merge.survivor_id));
  bool absorbed_has_active = false;
  bool first_active = true;
  for (const ShieldRequest& r : on_survivor) {
    if (std::find(merge.moved_request_ids.begin(), merge.moved_request_ids.end(), r.id) ==
        merge.moved_request_ids.end()) {
      continue;  // The survivor's own, or placed on the merged record after the merge: stays.
    }
    change.returned_request_ids.push_back(r.id);
    if (r.status != RequestStatus::kActive) continue;
    absorbed_has_active = true;
    change.shields.log.push_back(
        {MovedLogEntry(r, change.absorbed,
                       first_active ? LogAction::kShieldApplied : LogAction::kAdditionalRequest,
                       today,
                       "Returned from " + merge.survivor_uin + " by undoing merge " +
                           std::to_string(merge_id)),
         -1});
    first_active = false;
  }
  CP_ASSIGN_OR_RETURN(std::vector<ShieldRequest> survivor_requests,
                      shields_.RequestsForChild(merge.survivor_id));
  const bool survivor_has_active =
      std::any_of(survivor_requests.begin(), survivor_requests.end(), [&](const auto& r) {
        return r.status == RequestStatus::kActive &&
               std::find(change.returned_request_ids.begin(), change.returned_request_ids.end(),
                         r.id) == change.returned_request_ids.end();
      });
  const Date due = domain::FirstReviewDue(today, false);
  for (const ChildRecord* r : {&change.survivor, &change.absorbed}) {
    if (!r->shielded) continue;
    change.shields.reviews.push_back({r->id, r->uin.str(), r->responsible_authority, due});
    const bool has_active = r == &change.survivor ? survivor_has_active : absorbed_has_active;
    change.shields.notifications.push_back(
        {ManagementNote(
             r->responsible_authority, has_active ? "duplicate_unmerged" : "decide_shield",
             "Merge " + std::to_string(merge_id) + " was undone: record " + r->uin.str() +
                 " stays shielded" +
                 (has_active ? "" : " without an active request: decide about the shield") +
                 "; review within 7 days.",
             r->uin.str(), now),
         -1});
  }

  boost::json::object details{{"survivor", merge.survivor_uin},
                              {"absorbed", merge.absorbed_uin},
                              {"requests_returned", IdsJson(change.returned_request_ids)},
                              {"survivor_shielded", change.survivor.shielded},
                              {"absorbed_shielded", change.absorbed.shielded},
                              {"brokering_returned", IdsJson(merge.moved_brokering_ids)}};
  boost::json::array pairs;
  for (const store::MergedPair& p : merge.pairs) pairs.emplace_back(p.duplicate_id);
  details["pairs_restored"] = std::move(pairs);
  CP_RETURN_IF_ERROR(
      Audit(actor, kAction, MergeTarget(merge_id), "success", boost::json::serialize(details)));
  CP_RETURN_IF_ERROR(duplicates_.CommitUnmerge(change));
  MergeOutcome outcome;
  outcome.merge_id = merge_id;
  outcome.survivor_uin = merge.survivor_uin;
  outcome.absorbed_uin = merge.absorbed_uin;
  outcome.shielded = change.survivor.shielded || change.absorbed.shielded;
  outcome.requests_moved = change.returned_request_ids.size();
  return outcome;
}

}  // namespace cp::workflow
