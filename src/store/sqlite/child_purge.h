// The purge of a child's personal data across every feature's tables (docs/retention.md,
// "What the purge removes"). SqliteRetentionStore::Purge blanks the `child` row itself; each
// store that keeps its own sealed details about a child (shielding, Break Glass and brokering)
// implements ChildPurgeParticipant, and the retention store calls every registered participant
// inside the purge's one transaction, so the record and everything about it go together or not
// at all. (Merge snapshots and identity links are blanked by the retention store itself.)
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"
#include "domain/child_record.h"
#include "store/sqlite/database.h"

namespace cp::store::sqlite {

// The rows a purge reaches: the purged record and every record merged into it (directly or
// through a chain of merges), which are the same child.
struct PurgeTarget {
  std::vector<int64_t> child_ids;
  std::vector<std::string> uins;
};

class ChildPurgeParticipant {
 public:
  virtual ~ChildPurgeParticipant() = default;

  // Blanks, on `db` (which the caller holds inside an open transaction on the participant's
  // connection), every personal detail the participant holds about `target`: free text and
  // person details become empty, re-sealed where the column is sealed so that readers still
  // open them; uploaded documents are deleted. Ids, UINs, codes, statuses, usernames of staff
  // and times stay, so the audit and the reports keep working. An error aborts the purge.
  virtual Status PurgeChildWithin(Database& db, const PurgeTarget& target) const = 0;
};

// What a purged record keeps of `record`: its id, UIN, date of birth, responsible authority,
// flags (shielded, extended with consent), version and lifecycle; everything else is empty
// (names, gender not known, provenance, the whole protected part).
domain::ChildRecord PurgedCopy(const domain::ChildRecord& record);

// Helpers the participants share (child_purge.cc).

// The `id`s of the rows of `table` whose `column` is one of `values`, ascending (none for no
// values). `table` and `column` are trusted SQL names, never user input.
Result<std::vector<int64_t>> IdsWhereIn(Database& db, std::string_view table,
                                        std::string_view column,
                                        const std::vector<int64_t>& values);
Result<std::vector<int64_t>> IdsWhereIn(Database& db, std::string_view table,
                                        std::string_view column,
                                        const std::vector<std::string>& values);
// `a` and `b` merged, ascending, without repeats.
std::vector<int64_t> UnionOfIds(std::vector<int64_t> a, const std::vector<int64_t>& b);
// Runs `update_sql` (two parameters: the new sealed value, then the row id) for each of `ids`
// with the value `seal(id)` returns.
Status ResealEach(Database& db, std::string_view update_sql, const std::vector<int64_t>& ids,
                  const std::function<std::string(int64_t id)>& seal);

}  // namespace cp::store::sqlite
