// SearchIndex: an in-memory index of children for forgiving, trawl-proof name searches.
//
// Build it in bulk with SearchIndex::Builder (fast, compact), then keep it current with
// Upsert/Remove. Search() finds children whose match score (0..100) reaches kMatchThreshold
// (criteria.h), ranks them, and refuses the whole search when more than `limit` match.
//
// Thread safety: every public method may be called concurrently from any thread. Searches run
// in parallel under a shared lock; Upsert and Remove take the lock exclusively for a few
// microseconds and are visible to every search that starts after they return. The lock prefers
// writers, so a stream of searches cannot delay a write by more than the searches already
// running (well under a second).
//
// Memory: a replaced or removed child leaves its old slot and postings behind as garbage
// (Stats().garbage_slots) until Compact() removes its postings and frees the slot, which the
// next Upsert reuses. Compact() holds the lock only for moments, so searches and writes go on
// while it runs (workflow::DirectoryIndex runs it in the background when garbage builds up).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/result.h"
#include "core/status.h"
#include "search/criteria.h"
#include "search/hidden_access.h"
#include "search/indexed_child.h"

namespace cp::search {

// Trawling limits the application passes to Search().
inline constexpr size_t kOrdinaryUserLimit = 10;
inline constexpr size_t kShielderLimit = 35;

enum class SearchOutcome {
  kMatches,         // `matches` holds every match (possibly none), best first.
  kTooManyMatches,  // More than `limit` children matched; nothing else is revealed.
};

struct SearchMatch {
  uint64_t uin = 0;
  int score = 0;  // kMatchThreshold..100.
  ConfidenceBand band = ConfidenceBand::kLow;
  bool operator==(const SearchMatch&) const = default;
};

struct SearchResponse {
  SearchOutcome outcome = SearchOutcome::kMatches;
  // Sorted by score (highest first), then by uin. Empty when the outcome is kTooManyMatches.
  std::vector<SearchMatch> matches;
  bool operator==(const SearchResponse&) const = default;
};

// The index's own accounting of its memory, in bytes of allocated capacity.
struct IndexStats {
  size_t live_children = 0;
  size_t slots = 0;          // Live, garbage and free child slots.
  size_t garbage_slots = 0;  // Dead slots whose postings are still in the tables.
  size_t free_slots = 0;     // Dead slots cleared by Compact(), reused by the next writes.
  size_t distinct_tokens = 0;
  size_t postings = 0;
  size_t child_table_bytes = 0;
  size_t name_bytes = 0;
  size_t posting_bytes = 0;            // Including the directory below.
  size_t posting_directory_bytes = 0;  // Key -> list maps and list offsets.
  size_t dictionary_bytes = 0;
  size_t uin_map_bytes = 0;
  size_t total_bytes = 0;
};

class SearchIndex {
 public:
  // Bulk loading. Not thread-safe; use from one thread, then Finish() hands over the index.
  class Builder {
   public:
    Builder();
    ~Builder();
    Builder(const Builder&) = delete;
    Builder& operator=(const Builder&) = delete;
    // Adds a child. AlreadyExists if its uin was already added (the first one is kept).
    cp::Status Add(const IndexedChild& child);
    // Adds many children on `threads` threads: normalising and building postings run in
    // parallel, interning names into the dictionary sequentially. Duplicates are skipped;
    // returns AlreadyExists if there were any.
    cp::Status AddBatch(std::span<const IndexedChild> children, int threads = 2);
    // Completes the index. The builder is empty afterwards.
    std::unique_ptr<SearchIndex> Finish();

   private:
    std::unique_ptr<SearchIndex> index_;
  };

  SearchIndex();  // Empty; fill with Upsert.
  ~SearchIndex();
  SearchIndex(const SearchIndex&) = delete;
  SearchIndex& operator=(const SearchIndex&) = delete;

  // Adds the child, or replaces the child with the same uin.
  void Upsert(const IndexedChild& child);
  // Removes the child; false if no child has this uin.
  bool Remove(uint64_t uin);

  // Searches. InvalidArgument("insufficient_criteria") if ValidateCriteria fails. `limit` is
  // the trawling limit (kOrdinaryUserLimit or kShielderLimit); `access` says which shielded
  // children's hidden fields the viewer may see. A hidden field the viewer may not see is
  // treated as absent: it can neither add a candidate nor change a score, so the response is
  // exactly what it would be whatever that field held.
  cp::Result<SearchResponse> Search(const SearchCriteria& criteria, size_t limit,
                                    const HiddenFieldAccess& access) const;

  // Removes the postings of every child replaced or removed so far, merges the postings
  // written since the bulk build into the compact base, and makes the freed slots available
  // for reuse; returns how many slots it freed. Runs concurrently with searches and writes:
  // it takes the lock exclusively only for moments (to set aside the tables' recent writes,
  // to install each rebuilt table, and to free the slots); the rest (reading and filtering
  // every posting: seconds at 11 million children) runs unlocked. One compaction runs at a
  // time; a second caller waits. Search results are the same before and after.
  size_t Compact();
  // Slots replaced or removed since the last Compact() began (garbage it would free).
  size_t garbage_slots() const;

  size_t size() const;  // Live children.
  IndexStats Stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cp::search
