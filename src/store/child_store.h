// Backend-neutral storage of child records (the directory). Thread-safe. Unavailable means the
// store could not be reached or written: callers fail closed.
//
// Confidentiality at rest: implementations must keep every field a shielded view hides
// (former and known-as names, address, carers, education, GP, involvements, and their
// provenance) encrypted with the field key, for every record, so that the database file or a
// backup alone never shows where a child lives. Only the UIN, current names, gender, date of
// birth, the responsible authority and flags may be stored in clear.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/result.h"
#include "domain/child_record.h"

namespace cp::store {

class ChildStore {
 public:
  virtual ~ChildStore() = default;

  // Inserts `record` (its id and version are ignored; its UIN must be set) and returns the id.
  // AlreadyExists (field "uin") if the UIN is taken: the caller draws another and retries.
  virtual Result<int64_t> Create(const domain::ChildRecord& record) = 0;
  // Inserts many records in one transaction (bulk loads, the demo). Either all are stored or
  // none. Sets each record's id.
  virtual Status CreateBatch(std::vector<domain::ChildRecord>& records) = 0;
  // Replaces the record with id `record.id` if `record.version` still matches, then increments
  // the version. Conflict if someone else changed it first; NotFound if absent.
  virtual Status Update(const domain::ChildRecord& record) = 0;
  virtual Result<domain::ChildRecord> Get(int64_t id) = 0;
  virtual Result<domain::ChildRecord> GetByUin(const domain::Uin& uin) = 0;
  // The UIN of the live record `uin` was merged into (following a merge of the survivor into a
  // third record), or nullopt when `uin` names no merged-away record (docs/duplicates.md).
  // The default: a store without merges.
  virtual Result<std::optional<domain::Uin>> MergedInto(const domain::Uin& uin) {
    (void)uin;
    return std::optional<domain::Uin>();
  }
  // The clear items only (no decryption): what search results show. NotFound if absent.
  virtual Result<domain::ChildSummary> GetSummary(int64_t id) = 0;
  virtual Result<int64_t> Count() = 0;

  // Calls `visit` for every record in id order (the search index is built from this at start).
  // Stops early and returns the first non-OK Status `visit` returns.
  virtual Status ScanAll(const std::function<Status(const domain::ChildRecord&)>& visit) = 0;

  // The change feed. Every Create/CreateBatch/Update appends the record's id to a durable,
  // ordered log in the same transaction, so a reader in any process (the search index of a
  // running server while `contactpoint import` writes) can catch up.
  struct Changes {
    std::vector<int64_t> child_ids;  // In order; may repeat an id.
    int64_t last_sequence = 0;       // Pass back as `after` next time.
  };
  virtual Result<Changes> ChangesSince(int64_t after, size_t limit) = 0;
  // The newest change sequence (0 when there are none).
  virtual Result<int64_t> LatestChangeSequence() = 0;

  // Ids of the records whose current address matches `record`'s (same normalised address
  // lines and postcode), excluding `record` itself. Used to find co-residing children. The
  // match uses a keyed hash, so no address is stored in clear to do it.
  virtual Result<std::vector<int64_t>> FindCoResidents(const domain::ChildRecord& record) = 0;
};

}  // namespace cp::store
