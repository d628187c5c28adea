// Backend-neutral storage for data-source feeds (issue 7, docs/feeds.md): the mapping of each
// source's references to children, the queue of possible duplicates, do-not-match pairs, the
// history of superseded source items, and the data sources' API tokens. Thread-safe.
// Unavailable means the store could not be reached or written: callers fail closed.
//
// Atomicity: FeedStore::Commit applies one batch of an import (new records, updated records,
// their source references, superseded items, possible duplicates and the shielding of new
// possible duplicates of shielded children) in ONE transaction, together with the child
// store's change feed. A crash (kill -9) therefore leaves either the whole batch or none of
// it, and a record created as a possible match to a shielded child never exists unshielded.
//
// Confidentiality at rest: superseded source items are sealed with the field key. Tokens are
// stored only as the hex SHA-256 of the token.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/child_record.h"
#include "domain/duplicate.h"
#include "store/shield_store.h"

namespace cp::store {

// One (source, reference) → child mapping (table `source_ref`).
struct SourceRef {
  std::string source;  // The data source's organisation code.
  std::string ref;     // The source's own reference for the child.
  int64_t child_id = 0;
  // A keyed digest of the row the source last sent for this reference (empty: unknown, e.g. a
  // mapping written by a merge). Equal digests mean the row is unchanged (idempotent re-runs).
  std::string row_digest;
  // The source's own singular items for this reference (name, gender and date of birth,
  // address, school, GP practice, each with its time: workflow/source_items.h), opaque to the
  // store and sealed at rest (bound to "source_ref:<source>:<ref>", so they follow the
  // reference through merges and unmerges). Empty: none stored (a reference that only created
  // its record, or written before migration 9): the items the record shows from that source
  // are its items. Read back by RefsOfChild only; Commit leaves stored items alone when empty.
  std::string items;
};

// A pair of records that may be the same child, queued for management
// (table `possible_duplicate`; the type is shared with the duplicate store).
using domain::PossibleDuplicate;

// The items one source held on a record before a feed replaced them (history).
struct SupersededItems {
  std::string source;
  std::string ref;
  int64_t child_id = 0;
  TimePoint superseded_at;
  std::string items;  // Opaque to the store (JSON written by the importer); sealed at rest.
};

// A data source's API token (only its hash is stored).
struct ApiToken {
  int64_t id = 0;
  std::string source;      // Organisation code the token is limited to.
  std::string token_hash;  // Hex SHA-256 of the token.
  std::string label;
  TimePoint created_at;
  std::string created_by;
  std::optional<TimePoint> revoked_at;
  std::string revoked_by;
};

// One batch of an import, applied atomically by FeedStore::Commit.
struct FeedBatch {
  struct NewChild {
    domain::ChildRecord record;  // UIN set; id ignored. `shielded` set when created shielded.
    SourceRef ref;               // child_id ignored (the new record's id).
    // Queues (record, other_child_id) as a possible duplicate when other_child_id != 0.
    int64_t possible_duplicate_of = 0;
    double weight = 0;
    // Shield rows written with the record. Every child_id 0 in it (requests, flags, reviews)
    // stands for this new record. Empty when not shielded on creation.
    std::optional<ShieldChange> shield;
  };
  struct Update {
    // The record as it should become; `version` is the version it was read at (Conflict if
    // it changed since). With `record_changed` false only the mapping is written.
    domain::ChildRecord record;
    bool record_changed = true;
    // Inserted or replaced (onto record.id) when set; absent for a feed keyed by UIN.
    std::optional<SourceRef> ref;
    std::optional<SupersededItems> superseded;
    // Other references' items to keep before this update changes what the record shows from
    // their source: written only where the stored items are still empty (see KeepItems).
    std::vector<SourceRef> kept_items;
  };
  std::vector<NewChild> created;
  std::vector<Update> updates;
};

struct FeedBatchResult {
  std::vector<int64_t> created_ids;  // Ids of FeedBatch::created, in order.
};

class FeedStore {
 public:
  virtual ~FeedStore() = default;

  // --- Import ---------------------------------------------------------------------------
  // Applies `batch` in one transaction (see the header comment). Conflict if an updated
  // record's version moved (nothing is written: re-read and retry); AlreadyExists (field
  // "uin") if a new record's UIN is taken (draw another and retry).
  virtual Result<FeedBatchResult> Commit(const FeedBatch& batch) = 0;

  // The mappings of `refs` of `source` that exist, by reference.
  virtual Result<std::unordered_map<std::string, SourceRef>> FindRefs(
      const std::string& source, const std::vector<std::string>& refs) = 0;
  // Sets the items of each of `refs` (by source and reference) that has none stored yet, in
  // one transaction; others are left alone. Used before a change would stop a record showing
  // an item of a source whose reference has no items (a first load stores none: the record's
  // items from that source are its items until then).
  virtual Status KeepItems(const std::vector<SourceRef>& refs) = 0;
  // Every mapping onto `child_id`, with its items (opened).
  virtual Result<std::vector<SourceRef>> RefsOfChild(int64_t child_id) = 0;

  // --- Possible duplicates and do-not-match pairs (read side; the duplicate workflow of
  // docs/duplicates.md decides them) ------------------------------------------------------
  // Every pair naming `child_id` on either side, oldest first.
  virtual Result<std::vector<PossibleDuplicate>> PossibleDuplicatesOf(int64_t child_id) = 0;
  // The records `child_id` must never be matched with.
  virtual Result<std::vector<int64_t>> DoNotMatchPartners(int64_t child_id) = 0;

  // --- History --------------------------------------------------------------------------
  // Superseded source items of a record, oldest first.
  virtual Result<std::vector<SupersededItems>> History(int64_t child_id) = 0;

  // --- API tokens -----------------------------------------------------------------------
  virtual Result<int64_t> AddToken(const ApiToken& token) = 0;
  // The token with this hash, revoked or not; NotFound if none.
  virtual Result<ApiToken> FindToken(const std::string& token_hash) = 0;
  virtual Result<std::vector<ApiToken>> Tokens(const std::string& source) = 0;
  // Revokes token `id` of `source`; NotFound if it is not that source's; FailedPrecondition
  // ("revoked") if already revoked.
  virtual Status RevokeToken(const std::string& source, int64_t id, const std::string& by,
                             TimePoint at) = 0;
};

}  // namespace cp::store
