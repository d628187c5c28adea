#include "store/sqlite/sqlite_duplicate_store.h"

#include <algorithm>
#include <charconv>

#include "store/sqlite/merge_follow_ups.h"

namespace cp::store::sqlite {
namespace {

#define CP_DUPLICATE_COLUMNS                                                        \
  "d.id, d.child_id, d.other_child_id, d.weight, d.source, d.created_at, d.status," \
  " d.decided_by, d.decided_at, d.closed_reason"

#define CP_MERGE_COLUMNS                                                               \
  "id, duplicate_id, survivor_id, absorbed_id, survivor_uin, absorbed_uin, authority," \
  " merged_by, merged_at, undone_by, undone_at, moved_requests"

Result<DuplicateStatus> ParseStatus(std::string_view text) {
  auto status = domain::ParseDuplicateStatus(text);
  if (!status) return Status::Internal("corrupt possible_duplicate status");
  return *status;
}

Result<PossibleDuplicate> ReadDuplicate(const Statement& s) {
  PossibleDuplicate d;
  d.id = s.ColumnInt(0);
  d.child_id = s.ColumnInt(1);
  d.other_child_id = s.ColumnInt(2);
  d.weight = s.ColumnDouble(3);
  d.source = s.ColumnText(4);
  d.created_at = TimeFromDb(s.ColumnInt(5));
  CP_ASSIGN_OR_RETURN(d.status, ParseStatus(s.ColumnText(6)));
  d.decided_by = s.ColumnText(7);
  if (auto at = s.ColumnOptionalInt(8)) d.decided_at = TimeFromDb(*at);
  d.closed_reason = s.ColumnText(9);
  return d;
}

std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

Result<std::vector<int64_t>> SplitIds(std::string_view text) {
  std::vector<int64_t> ids;
  while (!text.empty()) {
    const size_t comma = std::min(text.find(','), text.size());
    int64_t id = 0;
    const std::string_view item = text.substr(0, comma);
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (ec != std::errc() || end != item.data() + item.size()) {
      return Status::Internal("corrupt child_merge.moved_requests");
    }
    ids.push_back(id);
    text.remove_prefix(std::min(comma + 1, text.size()));
  }
  return ids;
}

MergeRecord ReadMerge(const Statement& s) {
  MergeRecord m;
  m.id = s.ColumnInt(0);
  m.duplicate_id = s.ColumnOptionalInt(1).value_or(0);
  m.survivor_id = s.ColumnInt(2);
  m.absorbed_id = s.ColumnInt(3);
  m.survivor_uin = s.ColumnText(4);
  m.absorbed_uin = s.ColumnText(5);
  m.authority = s.ColumnText(6);
  m.merged_by = s.ColumnText(7);
  m.merged_at = TimeFromDb(s.ColumnInt(8));
  m.undone_by = s.ColumnText(9);
  if (auto at = s.ColumnOptionalInt(10)) m.undone_at = TimeFromDb(*at);
  return m;
}

std::string SnapshotPlace(int64_t merge_id, std::string_view which) {
  return "child_merge:" + std::to_string(merge_id) + ":" + std::string(which);
}

Status AppendChange(Database& db, int64_t child_id, TimePoint at) {
  CP_ASSIGN_OR_RETURN(Statement * c,
                      db.Cached("INSERT INTO child_change(child_id, changed_at) VALUES (?,?)"));
  return c->Bind(1, child_id).Bind(2, ToDb(at)).Run();
}

// True when the feed importer's source_ref table is in this database.
Result<bool> HasSourceRefs(Database& db) {
  CP_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("SELECT 1 FROM sqlite_master WHERE type='table' AND name='source_ref'"));
  CP_ASSIGN_OR_RETURN(bool found, s->Step());
  s->Reset();
  return found;
}

// Points shield request `id` at `child` if it is on `from_child_id` now (Conflict otherwise).
Status MoveRequest(Database& db, int64_t id, int64_t from_child_id,
                   const domain::ChildRecord& child) {
  CP_ASSIGN_OR_RETURN(Statement * s,
                      db.Cached("UPDATE shield_request SET child_id=?, child_uin=?, authority=?"
                                " WHERE id=? AND child_id=?"));
  CP_RETURN_IF_ERROR(s->Bind(1, child.id)
                         .Bind(2, child.uin.str())
                         .Bind(3, child.responsible_authority)
                         .Bind(4, id)
                         .Bind(5, from_child_id)
                         .Run());
  if (db.Changes() == 0) {
    return Status::Conflict("A shield request changed during the merge; reload and try again");
  }
  return Status::Ok();
}

}  // namespace

SqliteDuplicateStore::SqliteDuplicateStore(std::shared_ptr<SharedConnection> conn,
                                           const SqliteChildStore& children,
                                           const SqliteShieldStore& shields)
    : conn_(std::move(conn)), children_(children), shields_(shields) {}

Result<int64_t> SqliteDuplicateStore::AddPossibleDuplicate(const PossibleDuplicate& pair) {
  if (pair.child_id == pair.other_child_id) {
    return Status::InvalidArgument("A record cannot be a duplicate of itself", "other_child_id");
  }
  CP_ASSIGN_OR_RETURN(bool refused, IsDoNotMatch(pair.child_id, pair.other_child_id));
  if (refused) return Status::FailedPrecondition("do_not_match");
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("INSERT INTO possible_duplicate(child_id, other_child_id, weight, source,"
                  " created_at) VALUES (?,?,?,?,?)"));
    CP_RETURN_IF_ERROR(s->Bind(1, pair.child_id)
                           .Bind(2, pair.other_child_id)
                           .Bind(3, pair.weight)
                           .Bind(4, pair.source)
                           .Bind(5, ToDb(pair.created_at))
                           .Run());
    return db.LastInsertRowId();
  });
}

Result<PossibleDuplicate> SqliteDuplicateStore::GetDuplicate(int64_t id) {
  return conn_->With([&](Database& db) -> Result<PossibleDuplicate> {
    CP_ASSIGN_OR_RETURN(Statement * s, db.Cached("SELECT " CP_DUPLICATE_COLUMNS
                                                 " FROM possible_duplicate d WHERE d.id=?"));
    s->Bind(1, id);
    CP_ASSIGN_OR_RETURN(bool found, s->Step());
    if (!found) return Status::NotFound("no such possible duplicate");
    auto d = ReadDuplicate(*s);
    s->Reset();
    return d;
  });
}

Result<std::vector<PossibleDuplicate>> SqliteDuplicateStore::ListDuplicates(
    const std::string& authority, std::optional<DuplicateStatus> status) {
  return conn_->With([&](Database& db) -> Result<std::vector<PossibleDuplicate>> {
    CP_ASSIGN_OR_RETURN(
        Statement * s, db.Cached("SELECT " CP_DUPLICATE_COLUMNS
                                 " FROM possible_duplicate d JOIN child a ON a.id=d.child_id"
                                 " JOIN child b ON b.id=d.other_child_id"
                                 " WHERE (a.responsible_authority=?1 OR b.responsible_authority=?1)"
                                 " AND (?2 IS NULL OR d.status=?2) ORDER BY d.id DESC"));
    s->Bind(1, authority);
    if (status) {
      s->Bind(2, DuplicateStatusName(*status));
    } else {
      s->BindNull(2);
    }
    std::vector<PossibleDuplicate> out;
    while (true) {
      auto row = s->Step();
      if (!row.ok()) {
        s->Reset();
        return row.status();
      }
      if (!*row) break;
      auto d = ReadDuplicate(*s);
      if (!d.ok()) {
        s->Reset();
        return d.status();
      }
      out.push_back(std::move(*d));
    }
    s->Reset();
    return out;
  });
}

namespace {

// Sets the open pair `id` to `status`; NotFound / Conflict("already_decided").
Status DecidePair(Database& db, int64_t id, DuplicateStatus status, const std::string& by,
                  TimePoint at) {
  CP_ASSIGN_OR_RETURN(Statement * s,
                      db.Cached("UPDATE possible_duplicate SET status=?, decided_by=?,"
                                " decided_at=? WHERE id=? AND status='open'"));
  CP_RETURN_IF_ERROR(
      s->Bind(1, DuplicateStatusName(status)).Bind(2, by).Bind(3, ToDb(at)).Bind(4, id).Run());
  if (db.Changes() > 0) return Status::Ok();
  CP_ASSIGN_OR_RETURN(Statement * e, db.Cached("SELECT 1 FROM possible_duplicate WHERE id=?"));
  e->Bind(1, id);
  CP_ASSIGN_OR_RETURN(bool exists, e->Step());
  e->Reset();
  if (!exists) return Status::NotFound("no such possible duplicate");
  return Status::Conflict("already_decided");
}

}  // namespace

Status SqliteDuplicateStore::RejectDuplicate(int64_t id, const std::string& decided_by,
                                             TimePoint at) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_RETURN_IF_ERROR(DecidePair(db, id, DuplicateStatus::kRejected, decided_by, at));
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("INSERT OR IGNORE INTO do_not_match(child_a, child_b, decided_by, decided_at,"
                  " duplicate_id) SELECT min(child_id, other_child_id),"
                  " max(child_id, other_child_id), ?, ?, id FROM possible_duplicate WHERE id=?"));
    CP_RETURN_IF_ERROR(s->Bind(1, decided_by).Bind(2, ToDb(at)).Bind(3, id).Run());
    return tx.Commit();
  });
}

Result<bool> SqliteDuplicateStore::IsDoNotMatch(int64_t child_a, int64_t child_b) {
  return conn_->With([&](Database& db) -> Result<bool> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT 1 FROM do_not_match WHERE child_a=? AND child_b=?"));
    s->Bind(1, std::min(child_a, child_b)).Bind(2, std::max(child_a, child_b));
    CP_ASSIGN_OR_RETURN(bool found, s->Step());
    s->Reset();
    return found;
  });
}

Result<std::vector<int64_t>> SqliteDuplicateStore::DoNotMatchWith(int64_t child_id) {
  return conn_->With([&](Database& db) -> Result<std::vector<int64_t>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT child_b FROM do_not_match WHERE child_a=?1"
                                  " UNION SELECT child_a FROM do_not_match WHERE child_b=?1"));
    s->Bind(1, child_id);
    std::vector<int64_t> ids;
    while (true) {
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      ids.push_back(s->ColumnInt(0));
    }
    s->Reset();
    return ids;
  });
}

Result<int64_t> SqliteDuplicateStore::CommitMerge(const MergeChange& c) {
  const domain::ChildRecord& survivor = c.survivor;
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    if (c.duplicate_id > 0) {
      CP_RETURN_IF_ERROR(
          DecidePair(db, c.duplicate_id, DuplicateStatus::kConfirmed, c.decided_by, c.at));
    }
    CP_RETURN_IF_ERROR(children_.UpdateWithin(db, survivor));
    CP_ASSIGN_OR_RETURN(Statement * hide,
                        db.Cached("UPDATE child SET merged_into=?, version=version+1"
                                  " WHERE id=? AND version=? AND merged_into IS NULL"));
    CP_RETURN_IF_ERROR(
        hide->Bind(1, survivor.id).Bind(2, c.absorbed_id).Bind(3, c.absorbed_version).Run());
    if (db.Changes() == 0) {
      return Status::Conflict("The record was changed by someone else; reload and try again");
    }
    CP_RETURN_IF_ERROR(AppendChange(db, c.absorbed_id, c.at));

    CP_ASSIGN_OR_RETURN(
        Statement * ins,
        db.Cached("INSERT INTO child_merge(duplicate_id, survivor_id, absorbed_id, survivor_uin,"
                  " absorbed_uin, authority, merged_by, merged_at, moved_requests)"
                  " VALUES (?,?,?,?,?,?,?,?,?)"));
    if (c.duplicate_id > 0) {
      ins->Bind(1, c.duplicate_id);
    } else {
      ins->BindNull(1);
    }
    CP_RETURN_IF_ERROR(ins->Bind(2, survivor.id)
                           .Bind(3, c.absorbed_id)
                           .Bind(4, survivor.uin.str())
                           .Bind(5, c.absorbed_before.uin.str())
                           .Bind(6, c.authority)
                           .Bind(7, c.decided_by)
                           .Bind(8, ToDb(c.at))
                           .Bind(9, JoinIds(c.moved_request_ids))
                           .Run());
    const int64_t merge_id = db.LastInsertRowId();
    CP_ASSIGN_OR_RETURN(Statement * seal,
                        db.Cached("UPDATE child_merge SET survivor_snapshot=?, absorbed_snapshot=?"
                                  " WHERE id=?"));
    CP_RETURN_IF_ERROR(
        seal->BindBlob(
                1, children_.SealSnapshot(c.survivor_before, SnapshotPlace(merge_id, "survivor")))
            .BindBlob(
                2, children_.SealSnapshot(c.absorbed_before, SnapshotPlace(merge_id, "absorbed")))
            .Bind(3, merge_id)
            .Run());

    for (int64_t id : c.moved_request_ids) {
      CP_RETURN_IF_ERROR(MoveRequest(db, id, c.absorbed_id, survivor));
    }

    CP_ASSIGN_OR_RETURN(bool has_refs, HasSourceRefs(db));
    if (has_refs) {
      CP_ASSIGN_OR_RETURN(Statement * keep,
                          db.Cached("INSERT INTO child_merge_source_ref(merge_id, source, ref)"
                                    " SELECT ?, source, ref FROM source_ref WHERE child_id=?"));
      CP_RETURN_IF_ERROR(keep->Bind(1, merge_id).Bind(2, c.absorbed_id).Run());
      CP_ASSIGN_OR_RETURN(Statement * move,
                          db.Cached("UPDATE source_ref SET child_id=? WHERE child_id=?"));
      CP_RETURN_IF_ERROR(move->Bind(1, survivor.id).Bind(2, c.absorbed_id).Run());
    }

    CP_RETURN_IF_ERROR(ApplyMergeFollowUpsWithin(db, merge_id, c, survivor));
    CP_RETURN_IF_ERROR(shields_.CommitWithin(db, c.shields).status());
    CP_RETURN_IF_ERROR(tx.Commit());
    return merge_id;
  });
}

Status SqliteDuplicateStore::CommitUnmerge(const UnmergeChange& c) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_ASSIGN_OR_RETURN(
        Statement * find,
        db.Cached("SELECT survivor_id, absorbed_id, duplicate_id FROM child_merge WHERE id=?"));
    find->Bind(1, c.merge_id);
    CP_ASSIGN_OR_RETURN(bool found, find->Step());
    if (!found) return Status::NotFound("no such merge");
    const int64_t survivor_id = find->ColumnInt(0);
    const int64_t absorbed_id = find->ColumnInt(1);
    const int64_t duplicate_id = find->ColumnOptionalInt(2).value_or(0);
    find->Reset();
    if (survivor_id != c.survivor.id || absorbed_id != c.absorbed.id) {
      return Status::Internal("unmerge does not match its merge");
    }

    CP_ASSIGN_OR_RETURN(Statement * done,
                        db.Cached("UPDATE child_merge SET undone_by=?, undone_at=?"
                                  " WHERE id=? AND undone_at IS NULL"));
    CP_RETURN_IF_ERROR(done->Bind(1, c.undone_by).Bind(2, ToDb(c.at)).Bind(3, c.merge_id).Run());
    if (db.Changes() == 0) return Status::Conflict("already_undone");

    CP_ASSIGN_OR_RETURN(
        Statement * show,
        db.Cached(
            "UPDATE child SET merged_into=NULL WHERE id=? AND merged_into=? RETURNING version"));
    show->Bind(1, absorbed_id).Bind(2, survivor_id);
    CP_ASSIGN_OR_RETURN(bool shown, show->Step());
    if (!shown) return Status::Internal("the absorbed record is not merged into the survivor");
    domain::ChildRecord absorbed = c.absorbed;
    absorbed.version = show->ColumnInt(0);
    show->Reset();
    CP_RETURN_IF_ERROR(children_.UpdateWithin(db, absorbed));
    CP_RETURN_IF_ERROR(children_.UpdateWithin(db, c.survivor));

    for (int64_t id : c.returned_request_ids) {
      CP_RETURN_IF_ERROR(MoveRequest(db, id, survivor_id, absorbed));
    }

    CP_ASSIGN_OR_RETURN(bool has_refs, HasSourceRefs(db));
    if (has_refs) {
      CP_ASSIGN_OR_RETURN(
          Statement * back,
          db.Cached("UPDATE source_ref SET child_id=?1 WHERE child_id=?2 AND EXISTS (SELECT 1"
                    " FROM child_merge_source_ref m WHERE m.merge_id=?3"
                    " AND m.source=source_ref.source AND m.ref=source_ref.ref)"));
      CP_RETURN_IF_ERROR(back->Bind(1, absorbed_id).Bind(2, survivor_id).Bind(3, c.merge_id).Run());
    }

    if (duplicate_id > 0) {
      // Back to the queue for a fresh decision, unless the same pair is open again already.
      CP_ASSIGN_OR_RETURN(
          Statement * reopen,
          db.Cached("UPDATE possible_duplicate SET status='open', decided_by='', decided_at=NULL"
                    " WHERE id=?1 AND status='confirmed' AND NOT EXISTS (SELECT 1 FROM"
                    " possible_duplicate o WHERE o.status='open' AND"
                    " min(o.child_id, o.other_child_id)=min(possible_duplicate.child_id,"
                    " possible_duplicate.other_child_id) AND max(o.child_id, o.other_child_id)="
                    "max(possible_duplicate.child_id, possible_duplicate.other_child_id))"));
      CP_RETURN_IF_ERROR(reopen->Bind(1, duplicate_id).Run());
    }
    CP_RETURN_IF_ERROR(UndoMergeFollowUpsWithin(db, c.merge_id, survivor_id, absorbed));

    CP_RETURN_IF_ERROR(shields_.CommitWithin(db, c.shields).status());
    return tx.Commit();
  });
}

Result<MergeRecord> SqliteDuplicateStore::GetMerge(int64_t id) {
  struct Raw {
    MergeRecord merge;
    std::string moved;
    std::string survivor_sealed;
    std::string absorbed_sealed;
  };
  CP_ASSIGN_OR_RETURN(Raw raw, conn_->With([&](Database& db) -> Result<Raw> {
    CP_ASSIGN_OR_RETURN(
        Statement * s, db.Cached("SELECT " CP_MERGE_COLUMNS ", survivor_snapshot, absorbed_snapshot"
                                 " FROM child_merge WHERE id=?"));
    s->Bind(1, id);
    CP_ASSIGN_OR_RETURN(bool found, s->Step());
    if (!found) return Status::NotFound("no such merge");
    Raw r{ReadMerge(*s), s->ColumnText(11), s->ColumnBlob(12), s->ColumnBlob(13)};
    s->Reset();
    CP_ASSIGN_OR_RETURN(Statement * refs,
                        db.Cached("SELECT source, ref FROM child_merge_source_ref WHERE merge_id=?"
                                  " ORDER BY rowid"));
    refs->Bind(1, id);
    while (true) {
      CP_ASSIGN_OR_RETURN(bool row, refs->Step());
      if (!row) break;
      r.merge.moved_source_refs.emplace_back(refs->ColumnText(0), refs->ColumnText(1));
    }
    refs->Reset();
    CP_RETURN_IF_ERROR(ReadMergeFollowUpsWithin(db, r.merge));
    return r;
  }));
  CP_ASSIGN_OR_RETURN(raw.merge.moved_request_ids, SplitIds(raw.moved));
  CP_ASSIGN_OR_RETURN(raw.merge.survivor_before,
                      children_.OpenSnapshot(raw.survivor_sealed, SnapshotPlace(id, "survivor")));
  CP_ASSIGN_OR_RETURN(raw.merge.absorbed_before,
                      children_.OpenSnapshot(raw.absorbed_sealed, SnapshotPlace(id, "absorbed")));
  return raw.merge;
}

Result<std::vector<PossibleDuplicate>> SqliteDuplicateStore::OpenPairsOf(int64_t child_id) {
  return conn_->With([&](Database& db) { return OpenPairsOfWithin(db, child_id); });
}

Result<MergeDependants> SqliteDuplicateStore::DependantsOf(int64_t child_id) {
  return conn_->With([&](Database& db) { return DependantsOfWithin(db, child_id); });
}

Result<std::optional<MergeRecord>> SqliteDuplicateStore::LiveMergeOf(int64_t duplicate_id) {
  return conn_->With([&](Database& db) -> Result<std::optional<MergeRecord>> {
    CP_ASSIGN_OR_RETURN(
        Statement * s, db.Cached("SELECT " CP_MERGE_COLUMNS " FROM child_merge WHERE duplicate_id=?"
                                 " AND undone_at IS NULL"));
    s->Bind(1, duplicate_id);
    CP_ASSIGN_OR_RETURN(bool found, s->Step());
    if (!found) return std::optional<MergeRecord>();
    MergeRecord m = ReadMerge(*s);
    const std::string moved = s->ColumnText(11);
    s->Reset();
    CP_ASSIGN_OR_RETURN(m.moved_request_ids, SplitIds(moved));
    return std::optional<MergeRecord>(std::move(m));
  });
}

}  // namespace cp::store::sqlite
