#include "store/sqlite/sqlite_audit_store.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace cp::store::sqlite {
namespace {

using audit::AuditCheckpoint;
using audit::AuditCursor;
using audit::AuditEntry;

const std::vector<Migration> kAuditMigrations = {
    {1, "audit entries and checkpoints", R"sql(
CREATE TABLE audit_entry (
  seq            INTEGER PRIMARY KEY,  -- 1, 2, 3, ... (the rowid)
  time_us        INTEGER NOT NULL,     -- microseconds since the Unix epoch, UTC
  actor          TEXT NOT NULL,
  organisation   TEXT NOT NULL,
  action         TEXT NOT NULL,
  target         TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  reason         TEXT NOT NULL,
  request_id     TEXT NOT NULL,
  client_address TEXT NOT NULL,
  details_json   TEXT NOT NULL,
  prev_hash      BLOB NOT NULL,        -- 32 bytes
  hash           BLOB NOT NULL         -- 32 bytes
);
CREATE INDEX audit_entry_actor_time ON audit_entry(actor, time_us);
CREATE INDEX audit_entry_target_time ON audit_entry(target, time_us);
CREATE INDEX audit_entry_time ON audit_entry(time_us);

CREATE TABLE audit_checkpoint (
  seq       INTEGER PRIMARY KEY,  -- the entry it signs (0: the empty trail)
  time_us   INTEGER NOT NULL,
  hash      BLOB NOT NULL,        -- 32 bytes
  signature BLOB NOT NULL         -- 64 bytes, Ed25519
);

CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql"},
};

int64_t ToDb(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint TimeFromDb(int64_t v) { return TimePoint(Duration(v)); }

// The column list every entry SELECT uses, in ReadEntry's order.
#define CP_AUDIT_ENTRY_COLUMNS                                                       \
  "seq, time_us, actor, organisation, action, target, outcome, reason, request_id, " \
  "client_address, details_json, prev_hash, hash"

void ReadEntry(const Statement& row, AuditEntry* out) {
  out->sequence = static_cast<uint64_t>(row.ColumnInt(0));
  out->time = TimeFromDb(row.ColumnInt(1));
  out->event.actor = row.ColumnText(2);
  out->event.organisation = row.ColumnText(3);
  out->event.action = row.ColumnText(4);
  out->event.target = row.ColumnText(5);
  out->event.outcome = row.ColumnText(6);
  out->event.reason = row.ColumnText(7);
  out->event.request_id = row.ColumnText(8);
  out->event.client_address = row.ColumnText(9);
  out->event.details_json = row.ColumnText(10);
  out->prev_hash = row.ColumnBlob(11);
  out->hash = row.ColumnBlob(12);
}

void ReadCheckpoint(const Statement& row, AuditCheckpoint* out) {
  out->sequence = static_cast<uint64_t>(row.ColumnInt(0));
  out->time = TimeFromDb(row.ColumnInt(1));
  out->hash = row.ColumnBlob(2);
  out->signature = row.ColumnBlob(3);
}

// A cursor over one statement on its own connection. SQLite keeps the statement's read
// snapshot until it finishes, so the cursor sees a consistent prefix of the trail.
template <typename T>
class StatementCursor : public AuditCursor<T> {
 public:
  using RowReader = void (*)(const Statement&, T*);
  StatementCursor(std::unique_ptr<Database> db, Statement stmt, RowReader reader)
      : db_(std::move(db)), stmt_(std::move(stmt)), reader_(reader) {}

  Result<bool> Next(T* out) override {
    if (done_) return false;
    CP_ASSIGN_OR_RETURN(bool row, stmt_.Step());
    if (!row) {
      done_ = true;
      return false;
    }
    reader_(stmt_, out);
    return true;
  }

 private:
  std::unique_ptr<Database> db_;  // Declared first: destroyed after stmt_.
  Statement stmt_;
  RowReader reader_;
  bool done_ = false;
};

}  // namespace

SqliteAuditStore::SqliteAuditStore(std::string path, OpenOptions options,
                                   std::unique_ptr<Database> writer)
    : path_(std::move(path)), options_(options), writer_(std::move(writer)) {}

Result<std::unique_ptr<SqliteAuditStore>> SqliteAuditStore::Open(const std::string& path,
                                                                 const OpenOptions& options) {
  CP_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path, options));
  CP_RETURN_IF_ERROR(Migrate(*db, kAuditMigrations));
  return std::unique_ptr<SqliteAuditStore>(new SqliteAuditStore(path, options, std::move(db)));
}

namespace {

// Inserts `entries` and `checkpoint` inside the caller's transaction on `db`.
Status InsertRows(Database& db, std::span<const AuditEntry> entries,
                  const AuditCheckpoint* checkpoint) {
  if (!entries.empty()) {
    CP_ASSIGN_OR_RETURN(Statement * insert,
                        db.Cached("INSERT INTO audit_entry(" CP_AUDIT_ENTRY_COLUMNS
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                  "?13)"));
    for (const AuditEntry& e : entries) {
      insert->Reset();
      insert->Bind(1, static_cast<int64_t>(e.sequence))
          .Bind(2, ToDb(e.time))
          .Bind(3, e.event.actor)
          .Bind(4, e.event.organisation)
          .Bind(5, e.event.action)
          .Bind(6, e.event.target)
          .Bind(7, e.event.outcome)
          .Bind(8, e.event.reason)
          .Bind(9, e.event.request_id)
          .Bind(10, e.event.client_address)
          .Bind(11, e.event.details_json)
          .BindBlob(12, e.prev_hash)
          .BindBlob(13, e.hash);
      CP_RETURN_IF_ERROR(insert->Run());
    }
  }
  if (checkpoint != nullptr) {
    CP_ASSIGN_OR_RETURN(Statement * insert,
                        db.Cached("INSERT INTO audit_checkpoint(seq, time_us, hash, signature) "
                                  "VALUES (?1, ?2, ?3, ?4)"));
    insert->Bind(1, static_cast<int64_t>(checkpoint->sequence))
        .Bind(2, ToDb(checkpoint->time))
        .BindBlob(3, checkpoint->hash)
        .BindBlob(4, checkpoint->signature);
    CP_RETURN_IF_ERROR(insert->Run());
  }
  return Status::Ok();
}

Result<audit::AuditTail> ReadTailOn(Database& db) {
  CP_ASSIGN_OR_RETURN(Statement * stmt,
                      db.Cached("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"));
  audit::AuditTail tail;
  CP_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (row) {
    tail.sequence = static_cast<uint64_t>(stmt->ColumnInt(0));
    tail.hash = stmt->ColumnBlob(1);
  } else {
    tail.hash = audit::GenesisHash();
  }
  stmt->Reset();
  return tail;
}

Result<std::optional<AuditCheckpoint>> ReadLastCheckpointOn(Database& db) {
  CP_ASSIGN_OR_RETURN(Statement * stmt,
                      db.Cached("SELECT seq, time_us, hash, signature FROM audit_checkpoint "
                                "ORDER BY seq DESC LIMIT 1"));
  CP_ASSIGN_OR_RETURN(bool row, stmt->Step());
  std::optional<AuditCheckpoint> out;
  if (row) ReadCheckpoint(*stmt, &out.emplace());
  stmt->Reset();
  return out;
}

}  // namespace

Status SqliteAuditStore::AppendBatch(std::span<const AuditEntry> entries,
                                     const AuditCheckpoint* checkpoint) {
  std::lock_guard lock(write_mu_);
  Database& db = *writer_;
  CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  CP_RETURN_IF_ERROR(InsertRows(db, entries, checkpoint));
  return tx.Commit();
}

Status SqliteAuditStore::AppendAtTail(const AppendBuilder& build) {
  std::lock_guard lock(write_mu_);
  Database& db = *writer_;
  // BEGIN IMMEDIATE takes SQLite's write lock at once, so from here until COMMIT no other
  // connection, in this process or another, can append: the tail read below stays the tail.
  CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  audit::AuditAppendContext context;
  CP_ASSIGN_OR_RETURN(context.tail, ReadTailOn(db));
  CP_ASSIGN_OR_RETURN(context.last_checkpoint, ReadLastCheckpointOn(db));
  CP_ASSIGN_OR_RETURN(audit::AuditAppendPlan plan, build(context));
  if (plan.entries.empty() && !plan.checkpoint.has_value()) return Status::Ok();  // Rolls back.
  CP_RETURN_IF_ERROR(InsertRows(db, plan.entries, plan.checkpoint ? &*plan.checkpoint : nullptr));
  return tx.Commit();
}

Result<audit::AuditTail> SqliteAuditStore::ReadTail() {
  std::lock_guard lock(write_mu_);
  return ReadTailOn(*writer_);
}

Result<std::optional<AuditCheckpoint>> SqliteAuditStore::ReadLastCheckpoint() {
  std::lock_guard lock(write_mu_);
  return ReadLastCheckpointOn(*writer_);
}

Result<std::unique_ptr<AuditCursor<AuditEntry>>> SqliteAuditStore::ScanEntries(
    uint64_t from_sequence) {
  CP_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path_, options_));
  CP_ASSIGN_OR_RETURN(Statement stmt, db->Prepare("SELECT " CP_AUDIT_ENTRY_COLUMNS
                                                  " FROM audit_entry WHERE seq >= ?1 "
                                                  "ORDER BY seq"));
  // Sequences above INT64_MAX cannot exist; clamp so the comparison stays meaningful.
  stmt.Bind(1, static_cast<int64_t>(std::min<uint64_t>(from_sequence, INT64_MAX)));
  return std::unique_ptr<AuditCursor<AuditEntry>>(
      std::make_unique<StatementCursor<AuditEntry>>(std::move(db), std::move(stmt), &ReadEntry));
}

Result<std::unique_ptr<AuditCursor<AuditCheckpoint>>> SqliteAuditStore::ScanCheckpoints() {
  CP_ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path_, options_));
  CP_ASSIGN_OR_RETURN(Statement stmt,
                      db->Prepare("SELECT seq, time_us, hash, signature FROM audit_checkpoint "
                                  "ORDER BY seq"));
  return std::unique_ptr<AuditCursor<AuditCheckpoint>>(
      std::make_unique<StatementCursor<AuditCheckpoint>>(std::move(db), std::move(stmt),
                                                         &ReadCheckpoint));
}

Result<std::vector<AuditEntry>> SqliteAuditStore::Query(const audit::AuditQuery& query) {
  std::lock_guard lock(read_mu_);
  if (reader_ == nullptr) {
    CP_ASSIGN_OR_RETURN(reader_, Database::Open(path_, options_));
  }
  // One literal statement per shape, so that SQLite picks the matching index.
  Statement* stmt = nullptr;
  if (query.actor.has_value()) {
    CP_ASSIGN_OR_RETURN(stmt,
                        reader_->Cached("SELECT " CP_AUDIT_ENTRY_COLUMNS
                                        " FROM audit_entry WHERE actor = ?1 AND (?2 IS NULL OR "
                                        "target = ?2) AND time_us >= ?3 AND time_us < ?4 AND "
                                        "substr(action, 1, length(?5)) = ?5 "
                                        "ORDER BY time_us DESC, seq DESC LIMIT ?6"));
  } else if (query.target.has_value()) {
    CP_ASSIGN_OR_RETURN(stmt, reader_->Cached("SELECT " CP_AUDIT_ENTRY_COLUMNS
                                              " FROM audit_entry WHERE ?1 IS NULL AND target = ?2 "
                                              "AND time_us >= ?3 AND time_us < ?4 AND "
                                              "substr(action, 1, length(?5)) = ?5 "
                                              "ORDER BY time_us DESC, seq DESC LIMIT ?6"));
  } else {
    CP_ASSIGN_OR_RETURN(stmt, reader_->Cached("SELECT " CP_AUDIT_ENTRY_COLUMNS
                                              " FROM audit_entry WHERE ?1 IS NULL AND ?2 IS NULL "
                                              "AND time_us >= ?3 AND time_us < ?4 AND "
                                              "substr(action, 1, length(?5)) = ?5 "
                                              "ORDER BY time_us DESC, seq DESC LIMIT ?6"));
  }
  const size_t limit = std::min(query.limit, kMaxQueryLimit);
  stmt->Bind(1, query.actor)
      .Bind(2, query.target)
      .Bind(3, query.from ? ToDb(*query.from) : INT64_MIN)
      .Bind(4, query.to ? ToDb(*query.to) : INT64_MAX)
      .Bind(5, query.action_prefix)
      .Bind(6, static_cast<int64_t>(limit));
  std::vector<AuditEntry> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row.ok()) {
      stmt->Reset();
      return row.status();
    }
    if (!*row) break;
    ReadEntry(*stmt, &out.emplace_back());
  }
  stmt->Reset();
  return out;
}

}  // namespace cp::store::sqlite
