// DirectoryIndex: the in-memory search index kept consistent with the child store.
//
// Contract:
//  - Build() scans the whole store once (at start) and remembers the store's change-feed
//    position first, so nothing written during the scan is missed.
//  - SyncNow() applies every change since the last position (from this process or any other:
//    `contactpoint import`, a second node), reading each changed record afresh. Start() runs
//    SyncNow every `poll_interval` (default 250 ms) on a background thread, so a write
//    reaches search within a second.
//  - Updates leave garbage in the index (the replaced child's slot and postings). While
//    started, a second background thread checks every `compact_interval` (default 30 s) and
//    compacts the index (search::SearchIndex::Compact, which searches and syncs run alongside)
//    once the garbage reaches 1/16 of the live children (at least 4,096 slots).
//  - The index is keyed by the store's internal child id; the search layer never sees UINs or
//    the raw record, only the fields it matches on (search::IndexedChild).
// Thread-safe: searches run concurrently with SyncNow.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "core/result.h"
#include "search/search_index.h"

namespace cp::store {
class ChildStore;
}

namespace cp::workflow {

class DirectoryIndex {
 public:
  explicit DirectoryIndex(store::ChildStore& store,
                          std::chrono::milliseconds poll_interval = std::chrono::milliseconds(250));
  ~DirectoryIndex();

  // Not while started (it replaces the index).
  Status Build();
  Status SyncNow();
  // Compacts the index if the garbage is worth it (see above); returns the slots freed.
  size_t CompactIfWorthwhile();
  // Starts / stops the background sync and compaction threads.
  void Start();
  void Stop();
  // How often the compaction thread checks. Call before Start().
  void set_compact_interval(std::chrono::milliseconds interval) { compact_interval_ = interval; }

  const search::SearchIndex& index() const { return *index_; }
  int64_t position() const { return position_.load(); }

 private:
  store::ChildStore& store_;
  std::chrono::milliseconds poll_interval_;
  std::unique_ptr<search::SearchIndex> index_;
  std::atomic<int64_t> position_{0};
  std::mutex sync_mu_;  // One SyncNow at a time.
  std::mutex thread_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  std::chrono::milliseconds compact_interval_{30'000};
  std::thread compact_thread_;
};

}  // namespace cp::workflow
