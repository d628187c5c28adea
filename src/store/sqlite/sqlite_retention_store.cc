#include "store/sqlite/sqlite_retention_store.h"

#include <utility>

#include "store/sqlite/retention_columns.h"

namespace cp::store::sqlite {

Result<domain::Retention> DecodeRetention(int64_t state, const std::string& reason,
                                          const std::optional<std::string>& archived_on,
                                          const std::optional<std::string>& death_notified_on,
                                          const std::optional<std::string>& date_of_death,
                                          const std::optional<std::string>& purged_on) {
  domain::Retention r;
  if (state < 0 || state > static_cast<int64_t>(domain::RecordState::kPurged)) {
    return Status::Internal("corrupt child record state");
  }
  r.state = static_cast<domain::RecordState>(state);
  auto parsed_reason = domain::ParseArchiveReason(reason);
  if (!parsed_reason) return Status::Internal("corrupt child archive reason");
  r.archive_reason = *parsed_reason;
  auto date = [](const std::optional<std::string>& text, std::optional<Date>& out) -> Status {
    if (!text) return Status::Ok();
    auto d = Date::Parse(*text);
    if (!d.ok()) return Status::Internal("corrupt child lifecycle date");
    out = *d;
    return Status::Ok();
  };
  CP_RETURN_IF_ERROR(date(archived_on, r.archived_on));
  CP_RETURN_IF_ERROR(date(death_notified_on, r.death_notified_on));
  CP_RETURN_IF_ERROR(date(date_of_death, r.date_of_death));
  CP_RETURN_IF_ERROR(date(purged_on, r.purged_on));
  return r;
}

namespace {

const Clock& SystemClockInstance() {
  static const SystemClock* clock = new SystemClock();
  return *clock;
}

constexpr int64_t kScanPage = 4096;

Status AppendChange(Database& db, int64_t child_id, int64_t now) {
  CP_ASSIGN_OR_RETURN(Statement * c,
                      db.Cached("INSERT INTO child_change(child_id, changed_at) VALUES (?,?)"));
  return c->Bind(1, child_id).Bind(2, now).Run();
}

// Binds the six lifecycle columns from `first`.
void BindRetention(Statement& s, int first, const domain::Retention& r) {
  s.Bind(first, static_cast<int64_t>(r.state))
      .Bind(first + 1, domain::ArchiveReasonName(r.archive_reason))
      .Bind(first + 2, RetentionDateColumn(r.archived_on))
      .Bind(first + 3, RetentionDateColumn(r.death_notified_on))
      .Bind(first + 4, RetentionDateColumn(r.date_of_death))
      .Bind(first + 5, RetentionDateColumn(r.purged_on));
}

// Writes the lifecycle columns of `id` if its version is `version`, bumping the version.
// Does not append to the change feed (the caller does, once per transaction).
Status WriteRetention(Database& db, int64_t id, int64_t version, const domain::Retention& r) {
  CP_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("UPDATE child SET record_state=?, archive_reason=?, archived_on=?,"
                " death_notified_on=?, date_of_death=?, purged_on=?, version=version+1"
                " WHERE id=? AND version=? AND merged_into IS NULL"));
  BindRetention(*s, 1, r);
  s->Bind(7, id).Bind(8, version);
  CP_RETURN_IF_ERROR(s->Run());
  if (db.Changes() == 0) {
    CP_ASSIGN_OR_RETURN(Statement * e,
                        db.Cached("SELECT 1 FROM child WHERE id=? AND merged_into IS NULL"));
    e->Bind(1, id);
    CP_ASSIGN_OR_RETURN(bool exists, e->Step());
    e->Reset();
    if (!exists) return Status::NotFound("no such child");
    return Status::Conflict("The record was changed by someone else; reload and try again");
  }
  return Status::Ok();
}

}  // namespace

SqliteRetentionStore::SqliteRetentionStore(std::shared_ptr<SharedConnection> conn,
                                           SqliteChildStore& children, const Clock* clock)
    : conn_(std::move(conn)),
      children_(children),
      clock_(clock != nullptr ? *clock : SystemClockInstance()) {}

Status SqliteRetentionStore::ScanRetention(
    const std::function<Status(const RetentionRow&)>& visit) {
  int64_t after = 0;
  std::vector<RetentionRow> page;
  while (true) {
    page.clear();
    CP_RETURN_IF_ERROR(conn_->With([&](Database& db) -> Status {
      CP_ASSIGN_OR_RETURN(
          Statement * s,
          db.Cached("SELECT id, uin, responsible_authority, date_of_birth, extended_with_consent,"
                    " version, record_state, archive_reason, archived_on, death_notified_on,"
                    " date_of_death, purged_on FROM child"
                    " WHERE id>? AND record_state<>2 AND merged_into IS NULL"
                    " ORDER BY id LIMIT ?"));
      s->Bind(1, after).Bind(2, kScanPage);
      while (true) {
        CP_ASSIGN_OR_RETURN(bool row, s->Step());
        if (!row) break;
        RetentionRow r;
        r.id = s->ColumnInt(0);
        auto uin = domain::Uin::Parse(s->ColumnText(1));
        auto dob = Date::Parse(s->ColumnText(3));
        auto retention = DecodeRetention(s->ColumnInt(6), s->ColumnText(7),
                                         s->ColumnOptionalText(8), s->ColumnOptionalText(9),
                                         s->ColumnOptionalText(10), s->ColumnOptionalText(11));
        if (!uin.ok() || !dob.ok() || !retention.ok()) {
          s->Reset();
          return Status::Internal("stored child row is malformed");
        }
        r.uin = *uin;
        r.responsible_authority = s->ColumnText(2);
        r.date_of_birth = *dob;
        r.extended_with_consent = s->ColumnInt(4) != 0;
        r.version = s->ColumnInt(5);
        r.retention = *retention;
        page.push_back(std::move(r));
      }
      s->Reset();
      return Status::Ok();
    }));
    for (const RetentionRow& r : page) CP_RETURN_IF_ERROR(visit(r));
    if (static_cast<int64_t>(page.size()) < kScanPage) return Status::Ok();
    after = page.back().id;
  }
}

Status SqliteRetentionStore::SetRetention(int64_t id, int64_t version,
                                          const domain::Retention& retention) {
  const int64_t now = ToDb(clock_.Now());
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_RETURN_IF_ERROR(WriteRetention(db, id, version, retention));
    CP_RETURN_IF_ERROR(AppendChange(db, id, now));
    return tx.Commit();
  });
}

void SqliteRetentionStore::AddPurgeParticipant(const ChildPurgeParticipant& participant) {
  purge_participants_.push_back(&participant);
}

namespace {

// The purged record and every record merged into it, directly or through a chain of merges.
Result<PurgeTarget> PurgeTargetOf(Database& db, int64_t id) {
  CP_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("WITH RECURSIVE same(id) AS (SELECT ? UNION SELECT child.id FROM child"
                " JOIN same ON child.merged_into = same.id)"
                " SELECT child.id, child.uin FROM child JOIN same USING (id) ORDER BY child.id"));
  s->Bind(1, id);
  PurgeTarget target;
  while (true) {
    CP_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    target.child_ids.push_back(s->ColumnInt(0));
    target.uins.push_back(s->ColumnText(1));
  }
  return target;
}

// Re-seals both snapshots of every merge `target` took part in with only what a purged record
// keeps: both sides of a merge are the same child. The places are SqliteDuplicateStore's
// ("child_merge:<id>:survivor|absorbed").
Status BlankMergeSnapshots(Database& db, const SqliteChildStore& children,
                           const PurgeTarget& target) {
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> as_survivor,
                      IdsWhereIn(db, "child_merge", "survivor_id", target.child_ids));
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> as_absorbed,
                      IdsWhereIn(db, "child_merge", "absorbed_id", target.child_ids));
  CP_ASSIGN_OR_RETURN(Statement * read,
                      db.Cached("SELECT survivor_snapshot, absorbed_snapshot FROM child_merge"
                                " WHERE id=?"));
  CP_ASSIGN_OR_RETURN(Statement * write,
                      db.Cached("UPDATE child_merge SET survivor_snapshot=?, absorbed_snapshot=?"
                                " WHERE id=?"));
  for (int64_t id : UnionOfIds(std::move(as_survivor), as_absorbed)) {
    read->Bind(1, id);
    CP_ASSIGN_OR_RETURN(bool found, read->Step());
    std::string sealed[2];
    if (found) {
      sealed[0] = read->ColumnBlob(0);
      sealed[1] = read->ColumnBlob(1);
    }
    read->Reset();
    if (!found) return Status::Internal("a merge vanished during the purge");
    std::string blanked[2];
    const char* const kSides[2] = {"survivor", "absorbed"};
    for (int side = 0; side < 2; ++side) {
      const std::string place = "child_merge:" + std::to_string(id) + ":" + kSides[side];
      CP_ASSIGN_OR_RETURN(domain::ChildRecord before, children.OpenSnapshot(sealed[side], place));
      blanked[side] = children.SealSnapshot(PurgedCopy(before), place);
    }
    CP_RETURN_IF_ERROR(write->BindBlob(1, blanked[0]).BindBlob(2, blanked[1]).Bind(3, id).Run());
  }
  return Status::Ok();
}

}  // namespace

Status SqliteRetentionStore::Purge(int64_t id, int64_t version, Date purged_on) {
  CP_ASSIGN_OR_RETURN(domain::ChildRecord current, children_.Get(id));
  if (current.version != version) {
    return Status::Conflict("The record was changed by someone else; reload and try again");
  }
  // What is left: the UIN, the date of birth, the authority, the flags and the dates.
  const domain::ChildRecord blank = PurgedCopy(current);
  domain::Retention retention = current.retention;
  retention.state = domain::RecordState::kPurged;
  retention.purged_on = purged_on;
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // Blanks the clear and sealed columns and appends the change-feed entry.
    CP_RETURN_IF_ERROR(children_.UpdateWithin(db, blank));
    CP_RETURN_IF_ERROR(WriteRetention(db, id, version + 1, retention));
    CP_ASSIGN_OR_RETURN(PurgeTarget target, PurgeTargetOf(db, id));
    // A record merged into this one is the same child: blanked, and purged with it (so an
    // unmerge could only bring back a purged record).
    CP_ASSIGN_OR_RETURN(
        Statement * merged_state,
        db.Cached("UPDATE child SET record_state=?, archive_reason=?, archived_on=?,"
                  " death_notified_on=?, date_of_death=?, purged_on=? WHERE id=?"));
    for (int64_t merged : target.child_ids) {
      if (merged == id) continue;
      CP_RETURN_IF_ERROR(children_.BlankMergedWithin(db, merged));
      BindRetention(*merged_state, 1, retention);
      CP_RETURN_IF_ERROR(merged_state->Bind(7, merged).Run());
    }
    // The items a feed superseded (migration 6) are the child's personal data too.
    CP_ASSIGN_OR_RETURN(Statement * history,
                        db.Cached("DELETE FROM source_item_history WHERE child_id=?"));
    for (int64_t child : target.child_ids) CP_RETURN_IF_ERROR(history->Bind(1, child).Run());
    // Each source's own items for its reference to the child (migration 9): the reference and
    // its digest stay (a feed that sends the row again is still recognised), the items go.
    CP_ASSIGN_OR_RETURN(Statement * items,
                        db.Cached("UPDATE source_ref SET items=NULL WHERE child_id=?"));
    for (int64_t child : target.child_ids) CP_RETURN_IF_ERROR(items->Bind(1, child).Run());
    CP_RETURN_IF_ERROR(BlankMergeSnapshots(db, children_, target));
    for (const ChildPurgeParticipant* participant : purge_participants_) {
      CP_RETURN_IF_ERROR(participant->PurgeChildWithin(db, target));
    }
    // The restricted link to a former or new identity goes with either side: once one side's
    // data is gone, the link would only tie the other identity to the purged one's history.
    CP_ASSIGN_OR_RETURN(Statement * links,
                        db.Cached("DELETE FROM identity_link WHERE former_child_id=? OR"
                                  " new_child_id=?"));
    for (int64_t child : target.child_ids) {
      CP_RETURN_IF_ERROR(links->Bind(1, child).Bind(2, child).Run());
    }
    return tx.Commit();
  });
}

Result<int64_t> SqliteRetentionStore::CreateWithIdentityChange(
    const domain::ChildRecord& new_record, int64_t former_id, int64_t former_version,
    const domain::Retention& former_retention, const IdentityLink& link) {
  const int64_t now = ToDb(clock_.Now());
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_ASSIGN_OR_RETURN(int64_t new_id, children_.CreateWithin(db, new_record));
    CP_RETURN_IF_ERROR(WriteRetention(db, former_id, former_version, former_retention));
    CP_RETURN_IF_ERROR(AppendChange(db, former_id, now));
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("INSERT INTO identity_link(former_child_id, former_uin, new_child_id, new_uin,"
                  " authority, reason, recorded_by, recorded_at) VALUES (?,?,?,?,?,?,?,?)"));
    s->Bind(1, former_id)
        .Bind(2, link.former_uin.str())
        .Bind(3, new_id)
        .Bind(4, new_record.uin.str())
        .Bind(5, link.authority)
        .Bind(6, link.reason)
        .Bind(7, link.recorded_by)
        .Bind(8, ToDb(link.recorded_at));
    CP_RETURN_IF_ERROR(s->Run());
    CP_RETURN_IF_ERROR(tx.Commit());
    return new_id;
  });
}

Result<std::vector<IdentityLink>> SqliteRetentionStore::IdentityLinksFor(const domain::Uin& uin) {
  return conn_->With([&](Database& db) -> Result<std::vector<IdentityLink>> {
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("SELECT id, former_uin, new_uin, authority, reason, recorded_by, recorded_at"
                  " FROM identity_link WHERE former_uin=? OR new_uin=? ORDER BY id"));
    s->Bind(1, uin.str()).Bind(2, uin.str());
    std::vector<IdentityLink> links;
    while (true) {
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      IdentityLink l;
      l.id = s->ColumnInt(0);
      auto former = domain::Uin::Parse(s->ColumnText(1));
      auto fresh = domain::Uin::Parse(s->ColumnText(2));
      if (!former.ok() || !fresh.ok()) {
        s->Reset();
        return Status::Internal("stored identity link is malformed");
      }
      l.former_uin = *former;
      l.new_uin = *fresh;
      l.authority = s->ColumnText(3);
      l.reason = s->ColumnText(4);
      l.recorded_by = s->ColumnText(5);
      l.recorded_at = TimeFromDb(s->ColumnInt(6));
      links.push_back(std::move(l));
    }
    s->Reset();
    return links;
  });
}

}  // namespace cp::store::sqlite
