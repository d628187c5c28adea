// SqliteAuditStore: the audit trail's AuditStore on its own SQLite database file
// (the app opens DIR/audit.db, apart from the main database, so that audit group commits never
// wait for the main database's write lock and vice versa).
//
// Schema (migrations in sqlite_audit_store.cc): audit_entry (one row per entry, seq as the
// rowid, indexed by actor+time, target+time and time) and audit_checkpoint. Triggers refuse
// UPDATE and DELETE on both tables: a guard against mistakes, not against an attacker with the
// file (that is what the hash chain, checkpoints and head file are for).
//
// Thread-safe. Appends use one writer connection (WAL, synchronous=FULL: a returned OK means
// the batch is on disk). Query uses a separate reader connection, and each scan opens its own
// connection holding a read snapshot, so reports and `audit verify` never block appends.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "audit/audit_store.h"
#include "store/sqlite/database.h"

namespace cp::store::sqlite {

class SqliteAuditStore final : public audit::AuditStore {
 public:
  // Opens (creating if needed) the audit database at `path` and applies its migrations.
  // `options.busy_timeout` bounds how long an append waits for a lock before it fails with
  // Unavailable (the AuditLog then fails the batch closed).
  static Result<std::unique_ptr<SqliteAuditStore>> Open(const std::string& path,
                                                        const OpenOptions& options = {});

  // Most rows Query returns, whatever the query's limit.
  static constexpr size_t kMaxQueryLimit = 10000;

  Status AppendBatch(std::span<const audit::AuditEntry> entries,
                     const audit::AuditCheckpoint* checkpoint) override;
  // BEGIN IMMEDIATE on the writer connection: SQLite's write lock serialises appenders across
  // connections and processes, and the tail is read inside that transaction.
  Status AppendAtTail(const AppendBuilder& build) override;
  Result<audit::AuditTail> ReadTail() override;
  Result<std::optional<audit::AuditCheckpoint>> ReadLastCheckpoint() override;
  Result<std::unique_ptr<audit::AuditCursor<audit::AuditEntry>>> ScanEntries(
      uint64_t from_sequence) override;
  Result<std::unique_ptr<audit::AuditCursor<audit::AuditCheckpoint>>> ScanCheckpoints() override;
  Result<std::vector<audit::AuditEntry>> Query(const audit::AuditQuery& query) override;

 private:
  SqliteAuditStore(std::string path, OpenOptions options, std::unique_ptr<Database> writer);

  const std::string path_;
  const OpenOptions options_;
  std::mutex write_mu_;
  std::unique_ptr<Database> writer_;  // Guarded by write_mu_.
  std::mutex read_mu_;
  std::unique_ptr<Database> reader_;  // Guarded by read_mu_; opened on first Query.
};

}  // namespace cp::store::sqlite
