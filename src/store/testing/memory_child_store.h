// MemoryChildStore: an in-memory ChildStore for tests of the layers above the store. Keeps
// the same contract as the SQLite store (UIN uniqueness, optimistic versions, the change feed),
// apart from encryption at rest, which has nothing to protect in memory. Can be told to fail.
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <set>

#include "store/child_store.h"
#include "store/retention_store.h"

namespace cp::store::testing {

class MemoryChildStore final : public ChildStore, public RetentionStore {
 public:
  Result<int64_t> Create(const domain::ChildRecord& record) override;
  Status CreateBatch(std::vector<domain::ChildRecord>& records) override;
  Status Update(const domain::ChildRecord& record) override;
  Result<domain::ChildRecord> Get(int64_t id) override;
  Result<domain::ChildRecord> GetByUin(const domain::Uin& uin) override;
  Result<domain::ChildSummary> GetSummary(int64_t id) override;
  Result<int64_t> Count() override;
  Status ScanAll(const std::function<Status(const domain::ChildRecord&)>& visit) override;
  Result<Changes> ChangesSince(int64_t after, size_t limit) override;
  Result<int64_t> LatestChangeSequence() override;
  Result<std::vector<int64_t>> FindCoResidents(const domain::ChildRecord& record) override;

  // RetentionStore (memory_retention_store.cc). Update keeps the stored lifecycle fields, and
  // Create stores a live record, as the SQLite store does.
  Status ScanRetention(const std::function<Status(const RetentionRow&)>& visit) override;
  Status SetRetention(int64_t id, int64_t version, const domain::Retention& retention) override;
  Status Purge(int64_t id, int64_t version, Date purged_on) override;
  Result<int64_t> CreateWithIdentityChange(const domain::ChildRecord& new_record, int64_t former_id,
                                           int64_t former_version,
                                           const domain::Retention& former_retention,
                                           const IdentityLink& link) override;
  Result<std::vector<IdentityLink>> IdentityLinksFor(const domain::Uin& uin) override;

  // While set, every call returns Unavailable.
  void SetFailing(bool failing);

 private:
  Status CheckFailing() const;
  Result<int64_t> CreateLocked(const domain::ChildRecord& record);

  mutable std::mutex mu_;
  bool failing_ = false;
  int64_t next_id_ = 1;
  std::map<int64_t, domain::ChildRecord> records_;
  std::map<std::string, int64_t> by_uin_;
  std::vector<int64_t> changes_;  // Index + 1 is the sequence.
  std::vector<IdentityLink> identity_links_;
};

}  // namespace cp::store::testing
