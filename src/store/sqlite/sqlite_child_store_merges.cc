// SqliteChildStore::MergedInto: the redirect from a merged-away UIN to the live record it was
// merged into (docs/duplicates.md, "Opening a merged-away UIN").
#include "store/sqlite/sqlite_child_store.h"

namespace cp::store::sqlite {

Result<std::optional<domain::Uin>> SqliteChildStore::MergedInto(const domain::Uin& uin) {
  // A chain is as long as the merges of merges; a bound keeps a corrupt cycle from looping.
  constexpr int kMaxHops = 64;
  return conn_->With([&](Database& db) -> Result<std::optional<domain::Uin>> {
    CP_ASSIGN_OR_RETURN(Statement * first, db.Cached("SELECT merged_into FROM child WHERE uin=?"));
    first->Bind(1, uin.str());
    CP_ASSIGN_OR_RETURN(bool found, first->Step());
    std::optional<int64_t> next = found ? first->ColumnOptionalInt(0) : std::nullopt;
    first->Reset();
    if (!next) return std::optional<domain::Uin>();
    CP_ASSIGN_OR_RETURN(Statement * hop,
                        db.Cached("SELECT uin, merged_into FROM child WHERE id=?"));
    for (int i = 0; i < kMaxHops; ++i) {
      hop->Bind(1, *next);
      CP_ASSIGN_OR_RETURN(bool row, hop->Step());
      if (!row) {
        hop->Reset();
        return Status::Internal("a merged record points at no record");
      }
      const std::string survivor_uin = hop->ColumnText(0);
      next = hop->ColumnOptionalInt(1);
      hop->Reset();
      if (!next) {
        CP_ASSIGN_OR_RETURN(domain::Uin survivor, domain::Uin::Parse(survivor_uin));
        return std::optional<domain::Uin>(survivor);
      }
    }
    return Status::Internal("a chain of merges does not end");
  });
}

}  // namespace cp::store::sqlite
