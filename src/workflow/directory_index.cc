#include "workflow/directory_index.h"

#include <vector>

#include "domain/child_record.h"
#include "store/child_store.h"

namespace cp::workflow {
namespace {

constexpr int kBuildThreads = 2;  // The target machine has two cores.

search::Gender IndexGender(domain::Gender g) {
  switch (g) {
    case domain::Gender::kMale:
      return search::Gender::kMale;
    case domain::Gender::kFemale:
      return search::Gender::kFemale;
    case domain::Gender::kNotSpecified:
      return search::Gender::kNotSpecified;
    case domain::Gender::kNotKnown:
      return search::Gender::kNotKnown;
  }
  return search::Gender::kNotKnown;
}

search::IndexedChild ToIndexed(const domain::ChildRecord& r) {
  search::IndexedChild c;
  c.uin = static_cast<uint64_t>(r.id);
  c.given_names = r.name.given_names;
  c.family_name = r.name.family_name;
  for (const auto& n : r.former_names) c.former_names.push_back({n.given_names, n.family_name});
  for (const auto& n : r.known_as) c.known_as_names.push_back({n.given_names, n.family_name});
  c.gender = IndexGender(r.gender);
  c.date_of_birth = r.date_of_birth;
  if (r.address.status == domain::AddressStatus::kCurrent ||
      r.address.status == domain::AddressStatus::kLastKnown) {
    c.postcode = r.address.postcode;
  }
  c.authority = r.responsible_authority;
  c.shielded = r.shielded;
  return c;
}

// Archived and purged records are in no search, for any role (docs/retention.md).
bool Searchable(const domain::ChildRecord& r) {
  return r.retention.state == domain::RecordState::kLive;
}

}  // namespace

DirectoryIndex::DirectoryIndex(store::ChildStore& store, std::chrono::milliseconds poll_interval)
    : store_(store),
      poll_interval_(poll_interval),
      index_(std::make_unique<search::SearchIndex>()) {}

DirectoryIndex::~DirectoryIndex() { Stop(); }

Status DirectoryIndex::Build() {
  std::lock_guard<std::mutex> lock(sync_mu_);
  CP_ASSIGN_OR_RETURN(int64_t start, store_.LatestChangeSequence());
  // Children are indexed in batches so that normalising names and building postings run on
  // both cores (SearchIndex::Builder::AddBatch).
  constexpr size_t kBatch = 50000;
  search::SearchIndex::Builder builder;
  std::vector<search::IndexedChild> batch;
  batch.reserve(kBatch);
  CP_RETURN_IF_ERROR(store_.ScanAll([&](const domain::ChildRecord& r) -> Status {
    if (!Searchable(r)) return Status::Ok();
    batch.push_back(ToIndexed(r));
    if (batch.size() < kBatch) return Status::Ok();
    Status added = builder.AddBatch(batch, kBuildThreads);
    batch.clear();
    return added;
  }));
  CP_RETURN_IF_ERROR(builder.AddBatch(batch, kBuildThreads));
  index_ = builder.Finish();
  position_ = start;
  return Status::Ok();
}

Status DirectoryIndex::SyncNow() {
  std::lock_guard<std::mutex> lock(sync_mu_);
  while (true) {
    CP_ASSIGN_OR_RETURN(store::ChildStore::Changes changes,
                        store_.ChangesSince(position_.load(), 10000));
    if (changes.child_ids.empty()) return Status::Ok();
    for (int64_t id : changes.child_ids) {
      auto record = store_.Get(id);
      if (record.status().code() == StatusCode::kNotFound) {
        index_->Remove(static_cast<uint64_t>(id));
        continue;
      }
      CP_RETURN_IF_ERROR(record.status());
      if (!Searchable(*record)) {
        index_->Remove(static_cast<uint64_t>(id));
        continue;
      }
      index_->Upsert(ToIndexed(*record));
    }
    position_ = changes.last_sequence;
  }
}

size_t DirectoryIndex::CompactIfWorthwhile() {
  constexpr size_t kMinGarbage = 4096;
  const size_t garbage = index_->garbage_slots();
  if (garbage < kMinGarbage || garbage < index_->size() / 16) return 0;
  return index_->Compact();
}

void DirectoryIndex::Start() {
  std::lock_guard<std::mutex> lock(thread_mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  // Compaction runs on its own thread: at 11 million children it reads every posting for a
  // few seconds, which must not hold up the sync (it only takes the index lock for moments).
  compact_thread_ = std::thread([this] {
    std::unique_lock<std::mutex> guard(thread_mu_);
    while (!stopping_) {
      wake_.wait_for(guard, compact_interval_, [this] { return stopping_; });
      if (stopping_) break;
      guard.unlock();
      CompactIfWorthwhile();
      guard.lock();
    }
  });
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> guard(thread_mu_);
    while (!stopping_) {
      wake_.wait_for(guard, poll_interval_, [this] { return stopping_; });
      if (stopping_) break;
      guard.unlock();
      (void)SyncNow();  // A failed sync is retried at the next tick.
      guard.lock();
    }
  });
}

void DirectoryIndex::Stop() {
  {
    std::lock_guard<std::mutex> lock(thread_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (compact_thread_.joinable()) compact_thread_.join();
}

}  // namespace cp::workflow
