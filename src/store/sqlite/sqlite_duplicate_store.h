// DuplicateStore on the main SQLite database (migration 5: possible_duplicate, do_not_match,
// child_merge, child_merge_source_ref, and child.merged_into). Thread-safe.
//
// CommitMerge and CommitUnmerge run in one transaction on the connection they share with
// SqliteChildStore and SqliteShieldStore, writing the records through
// SqliteChildStore::UpdateWithin (version checks, sealing, change feed) and the shield changes
// through SqliteShieldStore::CommitWithin. Marking the absorbed record merged bumps its version
// and appends it to the change feed, so the search index drops it.
//
// Source references: when the feed importer's `source_ref(source, ref, child_id)` table exists,
// a merge re-points the absorbed record's references to the survivor and remembers which moved
// (child_merge_source_ref); an unmerge points exactly those back.
//
// At rest: the two record snapshots are sealed with the field key by
// SqliteChildStore::SealSnapshot, bound to "child_merge:<id>:survivor" and
// "child_merge:<id>:absorbed".
#pragma once

#include <memory>

#include "store/duplicate_store.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_child_store.h"
#include "store/sqlite/sqlite_shield_store.h"

namespace cp::store::sqlite {

class SqliteDuplicateStore final : public DuplicateStore {
 public:
  // `children` and `shields` must use the same connection and outlive this store.
  SqliteDuplicateStore(std::shared_ptr<SharedConnection> conn, const SqliteChildStore& children,
                       const SqliteShieldStore& shields);

  Result<int64_t> AddPossibleDuplicate(const PossibleDuplicate& pair) override;
  Result<PossibleDuplicate> GetDuplicate(int64_t id) override;
  Result<std::vector<PossibleDuplicate>> ListDuplicates(
      const std::string& authority, std::optional<DuplicateStatus> status) override;
  Status RejectDuplicate(int64_t id, const std::string& decided_by, TimePoint at) override;
  Result<bool> IsDoNotMatch(int64_t child_a, int64_t child_b) override;
  Result<std::vector<int64_t>> DoNotMatchWith(int64_t child_id) override;
  Result<int64_t> CommitMerge(const MergeChange& change) override;
  Status CommitUnmerge(const UnmergeChange& change) override;
  Result<MergeRecord> GetMerge(int64_t id) override;
  Result<std::optional<MergeRecord>> LiveMergeOf(int64_t duplicate_id) override;
  Result<std::vector<PossibleDuplicate>> OpenPairsOf(int64_t child_id) override;
  Result<MergeDependants> DependantsOf(int64_t child_id) override;

 private:
  std::shared_ptr<SharedConnection> conn_;
  const SqliteChildStore& children_;
  const SqliteShieldStore& shields_;
};

}  // namespace cp::store::sqlite
