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

#include "core/clock.h"
#include "store/retention_store.h"
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
};

}  // namespace cp::store::sqlite
