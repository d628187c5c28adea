// DirectoryIndex: the in-memory search index kept consistent with the child store.
//
// Contract:
//  - Build() scans the whole store once (at start) and remembers the store's change-feed
//    position first, so nothing written during the scan is missed.
//  - SyncNow() applies every change since the last position (from this process or any other:
//    `contactpoint import`, a second node), reading each changed record afresh. Start() runs
//    SyncNow every `poll_interval` (default 250 ms) on a background thread, so a write
//    reaches search within a second.
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

  Status Build();
  Status SyncNow();
  // Starts / stops the background sync thread.
  void Start();
  void Stop();

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
};

}  // namespace cp::workflow
