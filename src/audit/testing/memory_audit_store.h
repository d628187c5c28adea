// MemoryAuditStore: an in-memory AuditStore for tests of the AuditLog, the verifier and other
// layers that want a real AuditLog without SQLite. Not durable, obviously.
//
// Tests can make appends fail (as a locked or full database does) and can tamper with the
// stored rows directly. Thread-safe.
#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "audit/audit_store.h"

namespace cp::audit::testing {

class MemoryAuditStore : public AuditStore {
 public:
  Status AppendBatch(std::span<const AuditEntry> entries,
                     const AuditCheckpoint* checkpoint) override;
  // Serialises appenders with a lock of its own (as SQLite's write lock does across
  // processes), reads the state and passes the plan to AppendBatch (virtual, so a test
  // subclass can hold or count the append).
  Status AppendAtTail(const AppendBuilder& build) override;
  Result<AuditTail> ReadTail() override;
  Result<std::optional<AuditCheckpoint>> ReadLastCheckpoint() override;
  Result<std::unique_ptr<AuditCursor<AuditEntry>>> ScanEntries(uint64_t from_sequence) override;
  Result<std::unique_ptr<AuditCursor<AuditCheckpoint>>> ScanCheckpoints() override;
  Result<std::vector<AuditEntry>> Query(const AuditQuery& query) override;

  // While set, AppendBatch returns Unavailable and stores nothing.
  void SetFailing(bool failing);
  // Number of successful AppendBatch calls (= transactions).
  int batches() const;

  // Direct access for tampering tests: `edit` runs under the store's lock.
  void Tamper(const std::function<void(std::vector<AuditEntry>& entries,
                                       std::vector<AuditCheckpoint>& checkpoints)>& edit);

 private:
  std::mutex append_mu_;  // Held for a whole AppendAtTail; taken before mu_.
  mutable std::mutex mu_;
  std::vector<AuditEntry> entries_;           // In sequence order.
  std::vector<AuditCheckpoint> checkpoints_;  // In sequence order.
  bool failing_ = false;
  int batches_ = 0;
};

}  // namespace cp::audit::testing
