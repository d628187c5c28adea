#include "audit/testing/memory_audit_store.h"

#include <algorithm>

namespace cp::audit::testing {
namespace {

// Iterates over a private copy (a snapshot).
template <typename T>
class VectorCursor : public AuditCursor<T> {
 public:
  explicit VectorCursor(std::vector<T> rows) : rows_(std::move(rows)) {}
  Result<bool> Next(T* out) override {
    if (next_ >= rows_.size()) return false;
    *out = rows_[next_++];
    return true;
  }

 private:
  std::vector<T> rows_;
  size_t next_ = 0;
};

}  // namespace

Status MemoryAuditStore::AppendBatch(std::span<const AuditEntry> entries,
                                     const AuditCheckpoint* checkpoint) {
  std::lock_guard lock(mu_);
  if (failing_) return Status::Unavailable("memory audit store: told to fail");
  uint64_t last = entries_.empty() ? 0 : entries_.back().sequence;
  for (const AuditEntry& entry : entries) {
    if (entry.sequence <= last) return Status::AlreadyExists("sequence taken");
    last = entry.sequence;
  }
  if (checkpoint != nullptr && !checkpoints_.empty() &&
      checkpoint->sequence <= checkpoints_.back().sequence) {
    return Status::AlreadyExists("checkpoint sequence taken");
  }
  entries_.insert(entries_.end(), entries.begin(), entries.end());
  if (checkpoint != nullptr) checkpoints_.push_back(*checkpoint);
  ++batches_;
  return Status::Ok();
}

Status MemoryAuditStore::AppendAtTail(const AppendBuilder& build) {
  std::lock_guard append_lock(append_mu_);
  AuditAppendContext context;
  CP_ASSIGN_OR_RETURN(context.tail, ReadTail());
  CP_ASSIGN_OR_RETURN(context.last_checkpoint, ReadLastCheckpoint());
  CP_ASSIGN_OR_RETURN(AuditAppendPlan plan, build(context));
  if (plan.entries.empty() && !plan.checkpoint.has_value()) return Status::Ok();
  return AppendBatch(plan.entries, plan.checkpoint ? &*plan.checkpoint : nullptr);
}

Result<AuditTail> MemoryAuditStore::ReadTail() {
  std::lock_guard lock(mu_);
  AuditTail tail;
  if (entries_.empty()) {
    tail.hash = GenesisHash();
  } else {
    tail.sequence = entries_.back().sequence;
    tail.hash = entries_.back().hash;
  }
  return tail;
}

Result<std::optional<AuditCheckpoint>> MemoryAuditStore::ReadLastCheckpoint() {
  std::lock_guard lock(mu_);
  if (checkpoints_.empty()) return std::optional<AuditCheckpoint>();
  return std::optional<AuditCheckpoint>(checkpoints_.back());
}

Result<std::unique_ptr<AuditCursor<AuditEntry>>> MemoryAuditStore::ScanEntries(
    uint64_t from_sequence) {
  std::lock_guard lock(mu_);
  std::vector<AuditEntry> rows;
  for (const AuditEntry& entry : entries_) {
    if (entry.sequence >= from_sequence) rows.push_back(entry);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const AuditEntry& a, const AuditEntry& b) {
    return a.sequence < b.sequence;
  });
  return std::unique_ptr<AuditCursor<AuditEntry>>(
      std::make_unique<VectorCursor<AuditEntry>>(std::move(rows)));
}

Result<std::unique_ptr<AuditCursor<AuditCheckpoint>>> MemoryAuditStore::ScanCheckpoints() {
  std::lock_guard lock(mu_);
  std::vector<AuditCheckpoint> rows = checkpoints_;
  std::stable_sort(
      rows.begin(), rows.end(),
      [](const AuditCheckpoint& a, const AuditCheckpoint& b) { return a.sequence < b.sequence; });
  return std::unique_ptr<AuditCursor<AuditCheckpoint>>(
      std::make_unique<VectorCursor<AuditCheckpoint>>(std::move(rows)));
}

Result<std::vector<AuditEntry>> MemoryAuditStore::Query(const AuditQuery& query) {
  std::lock_guard lock(mu_);
  std::vector<AuditEntry> out;
  for (const AuditEntry& entry : entries_) {
    const AuditEvent& e = entry.event;
    if (query.actor && e.actor != *query.actor) continue;
    if (query.target && e.target != *query.target) continue;
    if (!e.action.starts_with(query.action_prefix)) continue;
    if (query.from && entry.time < *query.from) continue;
    if (query.to && entry.time >= *query.to) continue;
    out.push_back(entry);
  }
  std::stable_sort(out.begin(), out.end(), [](const AuditEntry& a, const AuditEntry& b) {
    return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
  });
  if (out.size() > query.limit) out.resize(query.limit);
  return out;
}

void MemoryAuditStore::SetFailing(bool failing) {
  std::lock_guard lock(mu_);
  failing_ = failing;
}

int MemoryAuditStore::batches() const {
  std::lock_guard lock(mu_);
  return batches_;
}

void MemoryAuditStore::Tamper(
    const std::function<void(std::vector<AuditEntry>&, std::vector<AuditCheckpoint>&)>& edit) {
  std::lock_guard lock(mu_);
  edit(entries_, checkpoints_);
}

}  // namespace cp::audit::testing
