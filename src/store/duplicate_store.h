// Backend-neutral storage of possible duplicates, do-not-match pairs and merges
// (docs/duplicates.md). Thread-safe. Unavailable means the store could not be reached or
// written: callers fail closed.
//
// Atomicity: a merge (CommitMerge) and an unmerge (CommitUnmerge) are each one transaction
// together with the child store (the records, their change-feed entries), the shield store
// (re-pointed requests, log entries, reviews, notifications) and the source references, so a
// crash never leaves a record half merged or a shield request pointing at a hidden record.
//
// Confidentiality at rest: the snapshots of both records that an unmerge restores are sealed
// with the field key (they hold every item of both records, addresses included).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/child_record.h"
#include "domain/duplicate.h"
#include "store/shield_store.h"

namespace cp::store {

using domain::DuplicateStatus;
using domain::DuplicateStatusName;
using domain::PossibleDuplicate;

// A confirmed merge: `absorbed` was folded into `survivor`.
// An open pair that names the absorbed record, other than the pair being confirmed: after the
// merge it names the survivor instead (re-pointed), or, when that would pair the survivor with
// itself, with a do-not-match partner or with a partner it already has an open pair with, it is
// closed with `close_reason`.
struct PairFollowUp {
  int64_t duplicate_id = 0;
  int64_t child_id = 0;  // The pair's two records after the merge (when re-pointed).
  int64_t other_child_id = 0;
  std::string close_reason;  // Empty: re-pointed.
};

// What a merge did to a pair (child_merge_pair): the pair's records BEFORE the merge.
struct MergedPair {
  int64_t duplicate_id = 0;
  bool closed = false;  // Closed (true) or re-pointed (false).
  int64_t child_id = 0;
  int64_t other_child_id = 0;
};

// What else points at a record besides its items and shield requests (read before a merge).
struct MergeDependants {
  std::vector<int64_t> brokering_request_ids;  // Every brokering request on the record.
  std::vector<int64_t> live_grant_ids;         // Break Glass grants not yet ended.
};

struct MergeRecord {
  int64_t id = 0;
  int64_t duplicate_id = 0;  // 0 when not from the queue.
  int64_t survivor_id = 0;
  int64_t absorbed_id = 0;
  std::string survivor_uin;
  std::string absorbed_uin;
  std::string authority;  // The survivor's responsible authority at the time of the merge.
  std::string merged_by;
  TimePoint merged_at;
  std::string undone_by;
  std::optional<TimePoint> undone_at;
  std::vector<int64_t> moved_request_ids;  // Shield requests moved from absorbed to survivor.
  std::vector<std::pair<std::string, std::string>> moved_source_refs;  // (source, ref).
  std::vector<MergedPair> pairs;             // Other pairs re-pointed or closed.
  std::vector<int64_t> moved_brokering_ids;  // Brokering requests re-pointed.
  // Both records exactly as they were before the merge (GetMerge only).
  domain::ChildRecord survivor_before;
  domain::ChildRecord absorbed_before;
};

// Everything a merge changes.
struct MergeChange {
  int64_t duplicate_id = 0;  // Must be open; becomes confirmed. 0: not from the queue.
  // The merged record to write (id and version as read: Conflict if it changed since).
  domain::ChildRecord survivor;
  int64_t absorbed_id = 0;
  int64_t absorbed_version = 0;  // As read: Conflict if it changed since.
  domain::ChildRecord survivor_before;
  domain::ChildRecord absorbed_before;
  std::vector<int64_t> moved_request_ids;  // Re-pointed to the survivor (status unchanged).
  ShieldChange shields;                    // Log entries, reviews, notifications.
  // The absorbed record's other open pairs (Conflict if one is no longer open).
  std::vector<PairFollowUp> pair_follow_ups;
  // Re-pointed to the survivor (child, UIN and authority), if still on the absorbed record.
  std::vector<int64_t> brokering_request_ids;
  // Ended with reason "record_merged", if still live: a grant covered the record it was given
  // for, so its holder breaks glass again on the survivor (a new reason, a new investigation).
  std::vector<int64_t> ended_grant_ids;
  std::string authority;
  std::string decided_by;
  TimePoint at;
};

// Everything an unmerge changes.
struct UnmergeChange {
  int64_t merge_id = 0;
  domain::ChildRecord survivor;  // Restored survivor (version as read).
  domain::ChildRecord absorbed;  // Restored absorbed record (its version is the store's own).
  std::vector<int64_t> returned_request_ids;  // Re-pointed back to the absorbed record.
  ShieldChange shields;
  std::string undone_by;
  TimePoint at;
};

class DuplicateStore {
 public:
  virtual ~DuplicateStore() = default;

  // Queues a pair. AlreadyExists if the same pair (either order) is already open;
  // FailedPrecondition("do_not_match") if management rejected the pair before.
  virtual Result<int64_t> AddPossibleDuplicate(const PossibleDuplicate& pair) = 0;
  virtual Result<PossibleDuplicate> GetDuplicate(int64_t id) = 0;
  // Pairs where either record's responsible authority is `authority`, newest first; only
  // those with `status` when given.
  virtual Result<std::vector<PossibleDuplicate>> ListDuplicates(
      const std::string& authority, std::optional<DuplicateStatus> status) = 0;

  // Marks the open pair rejected and remembers it as do-not-match, in one transaction.
  // Conflict("already_decided") if the pair is no longer open.
  virtual Status RejectDuplicate(int64_t id, const std::string& decided_by, TimePoint at) = 0;
  virtual Result<bool> IsDoNotMatch(int64_t child_a, int64_t child_b) = 0;
  // The records `child_id` must never be proposed with (the matcher's exclude list).
  virtual Result<std::vector<int64_t>> DoNotMatchWith(int64_t child_id) = 0;

  // Applies `change` in one transaction and returns the merge id. Conflict("already_decided")
  // if the pair is no longer open, Conflict if either record changed since it was read,
  // NotFound if either is gone (e.g. already merged away).
  virtual Result<int64_t> CommitMerge(const MergeChange& change) = 0;
  // Applies `change` in one transaction: the absorbed record is visible again, both records
  // are rewritten, requests, source references and brokering requests go back, the pair is
  // open again, pairs the merge re-pointed (still open) name the absorbed record again and
  // pairs it closed (still closed) reopen unless that pair is open again or do-not-match.
  // Conflict("already_undone") if the merge was undone before.
  virtual Status CommitUnmerge(const UnmergeChange& change) = 0;
  virtual Result<MergeRecord> GetMerge(int64_t id) = 0;
  // The open pairs naming `child_id` on either side, oldest first.
  virtual Result<std::vector<PossibleDuplicate>> OpenPairsOf(int64_t child_id) = 0;
  // The brokering requests and live Break Glass grants on `child_id`.
  virtual Result<MergeDependants> DependantsOf(int64_t child_id) = 0;
  // The live (not undone) merge of the pair `duplicate_id`, if any (without snapshots).
  virtual Result<std::optional<MergeRecord>> LiveMergeOf(int64_t duplicate_id) = 0;
};

}  // namespace cp::store
