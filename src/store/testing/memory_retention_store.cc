// MemoryChildStore's RetentionStore half: the same contract as SqliteRetentionStore.
#include <algorithm>

#include "store/testing/memory_child_store.h"

namespace cp::store::testing {

Status MemoryChildStore::ScanRetention(const std::function<Status(const RetentionRow&)>& visit) {
  std::vector<RetentionRow> rows;
  {
    std::lock_guard<std::mutex> lock(mu_);
    CP_RETURN_IF_ERROR(CheckFailing());
    for (const auto& [id, r] : records_) {
      if (r.retention.state == domain::RecordState::kPurged) continue;
      rows.push_back(RetentionRow{id, r.uin, r.responsible_authority, r.date_of_birth,
                                  r.extended_with_consent, r.retention, r.version});
    }
  }
  for (const RetentionRow& row : rows) CP_RETURN_IF_ERROR(visit(row));
  return Status::Ok();
}

Status MemoryChildStore::SetRetention(int64_t id, int64_t version,
                                      const domain::Retention& retention) {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  auto it = records_.find(id);
  if (it == records_.end()) return Status::NotFound("no such child");
  if (it->second.version != version) return Status::Conflict("changed by someone else");
  it->second.retention = retention;
  ++it->second.version;
  changes_.push_back(id);
  return Status::Ok();
}

Status MemoryChildStore::Purge(int64_t id, int64_t version, Date purged_on) {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  auto it = records_.find(id);
  if (it == records_.end()) return Status::NotFound("no such child");
  const domain::ChildRecord& current = it->second;
  if (current.version != version) return Status::Conflict("changed by someone else");
  domain::ChildRecord blank;
  blank.id = current.id;
  blank.uin = current.uin;
  blank.date_of_birth = current.date_of_birth;
  blank.responsible_authority = current.responsible_authority;
  blank.extended_with_consent = current.extended_with_consent;
  blank.shielded = current.shielded;
  blank.retention = current.retention;
  blank.retention.state = domain::RecordState::kPurged;
  blank.retention.purged_on = purged_on;
  blank.version = current.version + 2;  // As the SQLite store: the blanking and the state.
  it->second = std::move(blank);
  changes_.push_back(id);
  return Status::Ok();
}

Result<int64_t> MemoryChildStore::CreateWithIdentityChange(
    const domain::ChildRecord& new_record, int64_t former_id, int64_t former_version,
    const domain::Retention& former_retention, const IdentityLink& link) {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  auto former = records_.find(former_id);
  if (former == records_.end()) return Status::NotFound("no such child");
  if (former->second.version != former_version) {
    return Status::Conflict("changed by someone else");
  }
  CP_ASSIGN_OR_RETURN(int64_t new_id, CreateLocked(new_record));
  former = records_.find(former_id);
  former->second.retention = former_retention;
  ++former->second.version;
  changes_.push_back(former_id);
  IdentityLink stored = link;
  stored.id = static_cast<int64_t>(identity_links_.size()) + 1;
  stored.new_uin = new_record.uin;
  identity_links_.push_back(std::move(stored));
  return new_id;
}

Result<std::vector<IdentityLink>> MemoryChildStore::IdentityLinksFor(const domain::Uin& uin) {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  std::vector<IdentityLink> out;
  std::copy_if(identity_links_.begin(), identity_links_.end(), std::back_inserter(out),
               [&](const IdentityLink& l) { return l.former_uin == uin || l.new_uin == uin; });
  return out;
}

}  // namespace cp::store::testing
