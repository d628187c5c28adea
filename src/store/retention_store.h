// RetentionStore: the lifecycle of child records (live, archived, purged) and the restricted
// links between a former and a new identity (docs/retention.md). Implemented by the child
// stores (SqliteChildStore, testing::MemoryChildStore) beside ChildStore, over the same rows.
//
// Every change here bumps the record's version and appends to the ChildStore change feed in
// the same transaction, so the search index drops an archived record at its next sync.
// Identity links are read only through IdentityLinksFor(): no search, scan or record read
// returns them. Thread-safe. Unavailable means the store could not be reached: callers fail
// closed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/child_record.h"
#include "domain/retention.h"
#include "domain/uin.h"

namespace cp::store {

// The clear columns of one record that the retention rules need (no decryption).
struct RetentionRow {
  int64_t id = 0;
  domain::Uin uin;
  std::string responsible_authority;
  Date date_of_birth;
  bool extended_with_consent = false;
  domain::Retention retention;
  int64_t version = 0;
};

// The restricted link between a child's former and new identity (principle 13).
struct IdentityLink {
  int64_t id = 0;  // Assigned by the store.
  domain::Uin former_uin;
  domain::Uin new_uin;
  std::string authority;  // The responsible authority whose management may read the link.
  std::string reason;     // "witness_protection" or "adoption".
  std::string recorded_by;
  TimePoint recorded_at;
  bool operator==(const IdentityLink&) const = default;
};

class RetentionStore {
 public:
  virtual ~RetentionStore() = default;

  // Calls `visit` for every record that is not purged, in id order. Stops at the first non-OK
  // Status `visit` returns and returns it.
  virtual Status ScanRetention(const std::function<Status(const RetentionRow&)>& visit) = 0;

  // Replaces the lifecycle fields of record `id` if its version is still `version` (Conflict
  // otherwise; NotFound if absent). Does not touch the personal data.
  virtual Status SetRetention(int64_t id, int64_t version, const domain::Retention& retention) = 0;

  // Removes the personal data of record `id` (version must match): names, gender, address,
  // carers, education, GP, involvements, former and known-as names, provenance and the
  // co-residence key, and the items feeds superseded (source history). Keeps the UIN, the date
  // of birth, the authority and the lifecycle dates; sets the state to purged on `purged_on`.
  // Final.
  virtual Status Purge(int64_t id, int64_t version, Date purged_on) = 0;

  // One transaction: inserts `new_record` (as ChildStore::Create), archives record
  // `former_id` (version must match) with `former_retention`, and stores `link` with the new
  // record's UIN. Returns the new record's id. AlreadyExists ("uin") if the new UIN is taken.
  virtual Result<int64_t> CreateWithIdentityChange(const domain::ChildRecord& new_record,
                                                   int64_t former_id, int64_t former_version,
                                                   const domain::Retention& former_retention,
                                                   const IdentityLink& link) = 0;

  // Every link where `uin` is the former or the new identity, oldest first.
  virtual Result<std::vector<IdentityLink>> IdentityLinksFor(const domain::Uin& uin) = 0;
};

}  // namespace cp::store
