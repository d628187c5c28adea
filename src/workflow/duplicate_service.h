// DuplicateService: the possible-duplicate queue, merges and unmerges (docs/duplicates.md).
// Web and API handlers call this; it never hands out a raw child record (this header does not
// include domain/child_record.h): records leave it only as policy views.
//
// Contract:
//  - Rights: Permission::kManageShielding (the ContactPoint management team) for its own
//    authority: a pair is the business of the management of either record's responsible
//    authority. Everyone else is refused (PermissionDenied, audited). A system actor (the
//    importer's matcher, the demo, the CLI) may do anything.
//  - Views: both records of a pair are shown through the view policy (policy::Decide and
//    MakeView) for the actor, so management sees the full records of its own authority and
//    only the shielded view of a shielded record of another authority.
//  - Propose (§11): queues a pair; when either record is shielded the other is shielded at
//    once as a possible duplicate (ShieldingService::ShieldPossibleDuplicate: log action 2,
//    review within 7 days) before the pair is queued, so a possible match to a shielded record
//    is never left unshielded. A do-not-match pair is refused (FailedPrecondition
//    "do_not_match"); an open pair is returned as it is (idempotent).
//  - Confirm merges the pair: the existing record (`other`) survives; the new one (`record`)
//    is absorbed. The survivor keeps every item of both (list items are united, each keeping
//    its provenance; of a single item such as the address the newer is kept, the other stays
//    in the merge snapshot), every shield request of both (re-pointed, each active one written
//    to the shielding log), and every source reference. It is shielded if either was, with a
//    review within 7 days (or the absorbed record's earlier one). The absorbed record is
//    hidden from every read and search from then on. One store transaction.
//  - Undo restores both records from the sealed snapshots, with items that arrived on the
//    survivor after the merge kept; the moved requests and source references go back, and
//    requests placed on the merged record after the merge stay on the survivor. No shield is
//    lost: if the merged record is shielded, both records come back shielded, each with a
//    review within 7 days. The pair goes back to the queue. One store transaction.
//  - Other pairs: on Confirm, every other open pair naming the absorbed record names the
//    survivor instead, unless that would pair the survivor with itself, with a do-not-match
//    partner or with a partner it already has an open pair with: then it is closed
//    (rejected, with a closed_reason, no do-not-match). The absorbed record's brokering
//    requests move to the survivor; its live Break Glass grants end ("record_merged"). Undo
//    puts the pairs and brokering requests back (see DuplicateStore::CommitUnmerge). All of
//    it is in the merge's (unmerge's) audit details.
//  - Reject marks the pair rejected and remembers it as do-not-match (DuplicateStore::
//    DoNotMatchWith gives the matcher its exclude list).
//  - Idempotence: deciding a pair twice is Conflict("already_decided"); undoing a merge twice
//    is Conflict("already_undone") (HTTP 409).
//  - Audited first (fail closed): every list, view, proposal, decision and undo, and every
//    refusal, is recorded before it takes effect (duplicate.list, duplicate.view,
//    duplicate.propose, duplicate.merge, duplicate.reject, duplicate.unmerge); if the audit
//    cannot be written nothing changes (Unavailable). Details hold ids and UINs only.
// Thread-safe. Dependencies are not owned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_sink.h"
#include "core/clock.h"
#include "core/result.h"
#include "domain/duplicate.h"
#include "policy/child_view.h"
#include "workflow/actor.h"

namespace cp::store {
class ChildStore;
class DuplicateStore;
class FeedStore;
struct PairFollowUp;
struct MergeRecord;
struct UnmergeChange;
class ShieldStore;
}  // namespace cp::store

namespace cp::workflow {

class ShieldingService;

// One queued pair, as lists show it: UINs and flags only.
struct DuplicatePair {
  int64_t id = 0;
  std::string record_uin;  // The record the feed row created or updated (absorbed on merge).
  std::string other_uin;   // The existing record (the survivor on merge).
  domain::DuplicateStatus status = domain::DuplicateStatus::kOpen;
  double weight = 0;
  std::string source;
  TimePoint created_at;
  std::string decided_by;
  std::optional<TimePoint> decided_at;
  bool shielded = false;            // Either record is shielded.
  int64_t live_merge_id = 0;        // The merge to undo, for a confirmed pair (0: none).
  bool record_merged_away = false;  // `record_uin` is hidden by a merge.
  // Why a merge closed the pair (status rejected, no do-not-match): "merged_together",
  // "do_not_match", "superseded_by_open_pair"; empty when management decided it.
  std::string closed_reason;
};

// A pair with both records side by side, each as the actor's view policy allows.
struct DuplicateDetail {
  DuplicatePair pair;
  std::optional<policy::ChildView> record;  // Absent once merged away (see the other view).
  std::optional<policy::ChildView> other;
};

struct MergeOutcome {
  int64_t merge_id = 0;
  std::string survivor_uin;
  std::string absorbed_uin;
  bool shielded = false;
  size_t requests_moved = 0;
};

class DuplicateService {
 public:
  DuplicateService(store::ChildStore& children, store::ShieldStore& shields,
                   store::DuplicateStore& duplicates, ShieldingService& shielding,
                   audit::AuditSink& audit, const Clock& clock);

  // Queues `record_uin` as a possible duplicate of `other_uin` (§11 shielding first).
  Result<int64_t> Propose(const Actor& actor, const std::string& record_uin,
                          const std::string& other_uin, double weight, const std::string& source);
  // The actor's authority's pairs, newest first; only those with `status` when given.
  Result<std::vector<DuplicatePair>> List(const Actor& actor,
                                          std::optional<domain::DuplicateStatus> status);
  Result<DuplicateDetail> Get(const Actor& actor, int64_t id);
  Result<MergeOutcome> Confirm(const Actor& actor, int64_t id);
  Status Reject(const Actor& actor, int64_t id);
  Result<MergeOutcome> Undo(const Actor& actor, int64_t merge_id);

  // Lets a merge keep each source's singular items with its reference first, and an unmerge
  // choose each record's singular items (address, school, GP practice, name,
  // gender and date of birth) from the per-source items that go back with its source
  // references (workflow/source_items.h, docs/feeds.md). Without it they come from the merge
  // snapshots and the items newer than the merge. `feeds` must outlive this service.
  void UseSourceItems(store::FeedStore& feeds) { feeds_ = &feeds; }

 private:
  Status Audit(const Actor& actor, std::string_view action, std::string target,
               std::string_view outcome, std::string details);
  Status Deny(const Actor& actor, std::string_view action, std::string target);
  bool Manages(const Actor& actor, const std::string& authority) const;
  Result<bool> ManagesPair(const Actor& actor, const domain::PossibleDuplicate& d);
  Result<DuplicatePair> PairFor(const domain::PossibleDuplicate& d);
  // An unmerge's singular items from the per-source items (UseSourceItems).
  Status ChooseUnmergedItems(const store::MergeRecord& merge, store::UnmergeChange& change);
  // What a merge of pair `confirmed_id` does to the absorbed record's other open pairs.
  Result<std::vector<store::PairFollowUp>> PlanPairFollowUps(int64_t confirmed_id,
                                                             int64_t survivor_id,
                                                             int64_t absorbed_id);

  store::ChildStore& children_;
  store::ShieldStore& shields_;
  store::DuplicateStore& duplicates_;
  ShieldingService& shielding_;
  audit::AuditSink& audit_;
  const Clock& clock_;
  store::FeedStore* feeds_ = nullptr;
};

}  // namespace cp::workflow
