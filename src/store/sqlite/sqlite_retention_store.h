// RetentionStore on the main SQLite database: the lifecycle columns of `child` and the
// `identity_link` table (migration "child lifecycle and identity links"). Works with the
// SqliteChildStore on the same connection, so that a purge (the record blanked through
// SqliteChildStore::UpdateWithin) or an identity change (the new record inserted through
// CreateWithin) is one transaction with the lifecycle change and the change-feed entry.
//
// At rest: the identity link holds the two UINs, the authority, the reason code, who recorded
// it and when, in clear (UINs only: no names); no query other than IdentityLinksFor reads
// the table. Thread-safe.
#pragma once

#include <memory>
#include <vector>

#include "core/clock.h"
#include "store/retention_store.h"
#include "store/sqlite/child_purge.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_child_store.h"

namespace cp::store::sqlite {

class SqliteRetentionStore final : public RetentionStore {
 public:
  // `children` must use `conn` and outlive this store. `clock` stamps the change feed
  // (nullptr: the system clock).
  SqliteRetentionStore(std::shared_ptr<SharedConnection> conn, SqliteChildStore& children,
                       const Clock* clock = nullptr);

  Status ScanRetention(const std::function<Status(const RetentionRow&)>& visit) override;
  Status SetRetention(int64_t id, int64_t version, const domain::Retention& retention) override;
  // Registers a store whose own details about a child the purge must blank as well (the
  // shielding and Break Glass stores; docs/retention.md). `participant` must use
  // this store's connection and outlive it. Not thread-safe: register while wiring, before
  // the first purge.
  void AddPurgeParticipant(const ChildPurgeParticipant& participant);

  // In one transaction: the record and every record merged into it are blanked (PurgedCopy),
  // as are the snapshots of their merges; their feed history is deleted, every registered
  // participant's details about them blanked, the identity links that name them deleted, and
  // the record marked purged.
  Status Purge(int64_t id, int64_t version, Date purged_on) override;
  Result<int64_t> CreateWithIdentityChange(const domain::ChildRecord& new_record, int64_t former_id,
                                           int64_t former_version,
                                           const domain::Retention& former_retention,
                                           const IdentityLink& link) override;
  Result<std::vector<IdentityLink>> IdentityLinksFor(const domain::Uin& uin) override;

 private:
  std::shared_ptr<SharedConnection> conn_;
  SqliteChildStore& children_;
  const Clock& clock_;
  std::vector<const ChildPurgeParticipant*> purge_participants_;
};

}  // namespace cp::store::sqlite
