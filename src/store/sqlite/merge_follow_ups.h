// What a merge does besides the two records and their shield requests (docs/duplicates.md):
// the absorbed record's other open pairs, its brokering requests and its live Break Glass
// grants; and how an unmerge puts them back. Internal to SqliteDuplicateStore: every function
// runs on the caller's connection, inside the caller's transaction (migration 9 tables).
#pragma once

#include <cstdint>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/child_record.h"
#include "store/duplicate_store.h"
#include "store/sqlite/database.h"

namespace cp::store::sqlite {

// The open pairs naming `child_id` on either side, oldest first.
Result<std::vector<PossibleDuplicate>> OpenPairsOfWithin(Database& db, int64_t child_id);

// The brokering requests and live Break Glass grants on `child_id`.
Result<MergeDependants> DependantsOfWithin(Database& db, int64_t child_id);

// Applies the change's pair follow-ups (each pair must still be open: Conflict otherwise),
// re-points its brokering requests to `survivor` and ends its grants, remembering for merge
// `merge_id` what was done. Requests or grants no longer on the absorbed record are skipped.
Status ApplyMergeFollowUpsWithin(Database& db, int64_t merge_id, const MergeChange& change,
                                 const domain::ChildRecord& survivor);

// Puts back what merge `merge_id` did: re-pointed pairs still open and still naming
// `survivor_id` name `absorbed` again; closed pairs still closed by the merge reopen unless the
// same two records have an open pair or are do-not-match; moved brokering requests still on
// the survivor go back to `absorbed`. Ended grants stay ended.
Status UndoMergeFollowUpsWithin(Database& db, int64_t merge_id, int64_t survivor_id,
                                const domain::ChildRecord& absorbed);

// What merge `merge_id` did to other pairs and brokering requests.
Status ReadMergeFollowUpsWithin(Database& db, MergeRecord& merge);

}  // namespace cp::store::sqlite
