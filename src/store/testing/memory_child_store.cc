#include "store/testing/memory_child_store.h"

namespace cp::store::testing {

Status MemoryChildStore::CheckFailing() const {
  return failing_ ? Status::Unavailable("store is failing (test)") : Status::Ok();
}

void MemoryChildStore::SetFailing(bool failing) {
  std::lock_guard<std::mutex> lock(mu_);
  failing_ = failing;
}

Result<int64_t> MemoryChildStore::CreateLocked(const domain::ChildRecord& record) {
  if (record.uin.empty()) return Status::InvalidArgument("a record needs a UIN", "uin");
  if (by_uin_.count(record.uin.str())) return Status::AlreadyExists("UIN taken", "uin");
  domain::ChildRecord stored = record;
  stored.retention = {};  // Created live; only the RetentionStore changes it.
  stored.id = next_id_++;
  stored.version = 1;
  by_uin_[stored.uin.str()] = stored.id;
  changes_.push_back(stored.id);
  int64_t id = stored.id;
  records_[id] = std::move(stored);
  return id;
}

Result<int64_t> MemoryChildStore::Create(const domain::ChildRecord& record) {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  return CreateLocked(record);
}

Status MemoryChildStore::CreateBatch(std::vector<domain::ChildRecord>& records) {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  std::set<std::string> seen;
  for (const auto& r : records) {
    if (by_uin_.count(r.uin.str()) || !seen.insert(r.uin.str()).second) {
      return Status::AlreadyExists("UIN taken", "uin");
    }
  }
  for (auto& r : records) {
    CP_ASSIGN_OR_RETURN(r.id, CreateLocked(r));
    r.version = 1;
  }
  return Status::Ok();
}

Status MemoryChildStore::Update(const domain::ChildRecord& record) {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  auto it = records_.find(record.id);
  if (it == records_.end()) return Status::NotFound("no such child");
  if (it->second.version != record.version) return Status::Conflict("changed by someone else");
  domain::ChildRecord stored = record;
  stored.retention = it->second.retention;  // Only the RetentionStore changes it.
  stored.version = record.version + 1;
  it->second = std::move(stored);
  changes_.push_back(record.id);
  return Status::Ok();
}

Result<domain::ChildRecord> MemoryChildStore::Get(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  auto it = records_.find(id);
  if (it == records_.end()) return Status::NotFound("no such child");
  return it->second;
}

Result<domain::ChildRecord> MemoryChildStore::GetByUin(const domain::Uin& uin) {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  auto it = by_uin_.find(uin.str());
  if (it == by_uin_.end()) return Status::NotFound("no such child");
  return records_.at(it->second);
}

Result<domain::ChildSummary> MemoryChildStore::GetSummary(int64_t id) {
  CP_ASSIGN_OR_RETURN(domain::ChildRecord r, Get(id));
  return domain::ChildSummary{
      r.id,     r.uin,           r.name.given_names, r.name.family_name,
      r.gender, r.date_of_birth, r.shielded,         r.responsible_authority};
}

Result<int64_t> MemoryChildStore::Count() {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  return static_cast<int64_t>(records_.size());
}

Status MemoryChildStore::ScanAll(const std::function<Status(const domain::ChildRecord&)>& visit) {
  std::vector<domain::ChildRecord> copy;
  {
    std::lock_guard<std::mutex> lock(mu_);
    CP_RETURN_IF_ERROR(CheckFailing());
    for (const auto& [id, r] : records_) copy.push_back(r);
  }
  for (const auto& r : copy) CP_RETURN_IF_ERROR(visit(r));
  return Status::Ok();
}

Result<ChildStore::Changes> MemoryChildStore::ChangesSince(int64_t after, size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  Changes out;
  out.last_sequence = after;
  for (size_t i = static_cast<size_t>(std::max<int64_t>(after, 0));
       i < changes_.size() && out.child_ids.size() < limit; ++i) {
    out.child_ids.push_back(changes_[i]);
    out.last_sequence = static_cast<int64_t>(i + 1);
  }
  return out;
}

Result<int64_t> MemoryChildStore::LatestChangeSequence() {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  return static_cast<int64_t>(changes_.size());
}

Result<std::vector<int64_t>> MemoryChildStore::FindCoResidents(const domain::ChildRecord& record) {
  std::lock_guard<std::mutex> lock(mu_);
  CP_RETURN_IF_ERROR(CheckFailing());
  std::vector<int64_t> out;
  const auto& a = record.address;
  if (a.status != domain::AddressStatus::kCurrent &&
      a.status != domain::AddressStatus::kLastKnown) {
    return out;
  }
  for (const auto& [id, r] : records_) {
    if (id == record.id) continue;
    const auto& b = r.address;
    if ((b.status == domain::AddressStatus::kCurrent ||
         b.status == domain::AddressStatus::kLastKnown) &&
        b.line_1 == a.line_1 && b.line_2 == a.line_2 && b.postcode == a.postcode) {
      out.push_back(id);
    }
  }
  return out;
}

}  // namespace cp::store::testing
