#include "store/sqlite/merge_follow_ups.h"

#include <string>

#include "store/sqlite/connection.h"

namespace cp::store::sqlite {
namespace {

// Runs `s` (bound) and collects column 0 of every row.
Result<std::vector<int64_t>> Ids(Statement& s) {
  std::vector<int64_t> ids;
  while (true) {
    auto row = s.Step();
    if (!row.ok()) {
      s.Reset();
      return row.status();
    }
    if (!*row) break;
    ids.push_back(s.ColumnInt(0));
  }
  s.Reset();
  return ids;
}

}  // namespace

Result<std::vector<PossibleDuplicate>> OpenPairsOfWithin(Database& db, int64_t child_id) {
  CP_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("SELECT id, child_id, other_child_id, weight, source, created_at FROM"
                " possible_duplicate WHERE status='open' AND (child_id=?1 OR other_child_id=?1)"
                " ORDER BY id"));
  s->Bind(1, child_id);
  std::vector<PossibleDuplicate> out;
  while (true) {
    auto row = s->Step();
    if (!row.ok()) {
      s->Reset();
      return row.status();
    }
    if (!*row) break;
    PossibleDuplicate d;
    d.id = s->ColumnInt(0);
    d.child_id = s->ColumnInt(1);
    d.other_child_id = s->ColumnInt(2);
    d.weight = s->ColumnDouble(3);
    d.source = s->ColumnText(4);
    d.created_at = TimeFromDb(s->ColumnInt(5));
    out.push_back(std::move(d));
  }
  s->Reset();
  return out;
}

Result<MergeDependants> DependantsOfWithin(Database& db, int64_t child_id) {
  MergeDependants out;
  CP_ASSIGN_OR_RETURN(Statement * b,
                      db.Cached("SELECT id FROM brokering_request WHERE child_id=? ORDER BY id"));
  b->Bind(1, child_id);
  CP_ASSIGN_OR_RETURN(out.brokering_request_ids, Ids(*b));
  CP_ASSIGN_OR_RETURN(Statement * g, db.Cached("SELECT id FROM break_glass_grant WHERE child_id=?"
                                               " AND ended_at IS NULL ORDER BY id"));
  g->Bind(1, child_id);
  CP_ASSIGN_OR_RETURN(out.live_grant_ids, Ids(*g));
  return out;
}

Status ApplyMergeFollowUpsWithin(Database& db, int64_t merge_id, const MergeChange& c,
                                 const domain::ChildRecord& survivor) {
  CP_ASSIGN_OR_RETURN(
      Statement * keep,
      db.Cached("INSERT INTO child_merge_pair(merge_id, duplicate_id, action, child_id,"
                " other_child_id) SELECT ?, id, ?, child_id, other_child_id FROM"
                " possible_duplicate WHERE id=? AND status='open'"));
  CP_ASSIGN_OR_RETURN(Statement * repoint,
                      db.Cached("UPDATE possible_duplicate SET child_id=?, other_child_id=?"
                                " WHERE id=? AND status='open'"));
  CP_ASSIGN_OR_RETURN(
      Statement * close,
      db.Cached("UPDATE possible_duplicate SET status='rejected', decided_by=?, decided_at=?,"
                " closed_reason=? WHERE id=? AND status='open'"));
  for (const PairFollowUp& f : c.pair_follow_ups) {
    const bool closing = !f.close_reason.empty();
    CP_RETURN_IF_ERROR(keep->Bind(1, merge_id)
                           .Bind(2, closing ? "closed" : "repointed")
                           .Bind(3, f.duplicate_id)
                           .Run());
    if (db.Changes() == 0) {
      return Status::Conflict("Another pair of the record changed; reload and try again");
    }
    if (closing) {
      CP_RETURN_IF_ERROR(close->Bind(1, c.decided_by)
                             .Bind(2, ToDb(c.at))
                             .Bind(3, f.close_reason)
                             .Bind(4, f.duplicate_id)
                             .Run());
    } else {
      CP_RETURN_IF_ERROR(
          repoint->Bind(1, f.child_id).Bind(2, f.other_child_id).Bind(3, f.duplicate_id).Run());
    }
  }

  CP_ASSIGN_OR_RETURN(Statement * move,
                      db.Cached("UPDATE brokering_request SET child_id=?, child_uin=?,"
                                " authority=? WHERE id=? AND child_id=?"));
  CP_ASSIGN_OR_RETURN(Statement * moved,
                      db.Cached("INSERT INTO child_merge_moved(merge_id, kind, row_id)"
                                " VALUES (?, 'brokering_request', ?)"));
  for (int64_t id : c.brokering_request_ids) {
    CP_RETURN_IF_ERROR(move->Bind(1, survivor.id)
                           .Bind(2, survivor.uin.str())
                           .Bind(3, survivor.responsible_authority)
                           .Bind(4, id)
                           .Bind(5, c.absorbed_id)
                           .Run());
    if (db.Changes() == 0) continue;
    CP_RETURN_IF_ERROR(moved->Bind(1, merge_id).Bind(2, id).Run());
  }

  CP_ASSIGN_OR_RETURN(Statement * end,
                      db.Cached("UPDATE break_glass_grant SET ended_at=?, end_reason="
                                "'record_merged' WHERE id=? AND child_id=? AND ended_at IS NULL"));
  for (int64_t id : c.ended_grant_ids) {
    CP_RETURN_IF_ERROR(end->Bind(1, ToDb(c.at)).Bind(2, id).Bind(3, c.absorbed_id).Run());
  }
  return Status::Ok();
}

Status UndoMergeFollowUpsWithin(Database& db, int64_t merge_id, int64_t survivor_id,
                                const domain::ChildRecord& absorbed) {
  // Re-pointed pairs: the absorbed record comes back in the survivor's place.
  CP_ASSIGN_OR_RETURN(
      Statement * back,
      db.Cached("UPDATE possible_duplicate SET child_id=m.child_id,"
                " other_child_id=m.other_child_id FROM child_merge_pair m WHERE m.merge_id=?1"
                " AND m.action='repointed' AND m.duplicate_id=possible_duplicate.id AND"
                " possible_duplicate.status='open' AND (possible_duplicate.child_id=?2 OR"
                " possible_duplicate.other_child_id=?2)"));
  CP_RETURN_IF_ERROR(back->Bind(1, merge_id).Bind(2, survivor_id).Run());
  // Closed pairs: open again for a decision, unless decided since, open again already, or
  // remembered as do-not-match.
  CP_ASSIGN_OR_RETURN(
      Statement * reopen,
      db.Cached(
          "UPDATE possible_duplicate SET status='open', decided_by='', decided_at=NULL,"
          " closed_reason='' WHERE status='rejected' AND closed_reason<>'' AND id IN (SELECT"
          " duplicate_id FROM child_merge_pair WHERE merge_id=?1 AND action='closed') AND NOT"
          " EXISTS (SELECT 1 FROM possible_duplicate o WHERE o.status='open' AND"
          " min(o.child_id, o.other_child_id)=min(possible_duplicate.child_id,"
          " possible_duplicate.other_child_id) AND max(o.child_id, o.other_child_id)="
          "max(possible_duplicate.child_id, possible_duplicate.other_child_id)) AND NOT EXISTS"
          " (SELECT 1 FROM do_not_match n WHERE n.child_a=min(possible_duplicate.child_id,"
          " possible_duplicate.other_child_id) AND n.child_b=max(possible_duplicate.child_id,"
          " possible_duplicate.other_child_id))"));
  CP_RETURN_IF_ERROR(reopen->Bind(1, merge_id).Run());
  CP_ASSIGN_OR_RETURN(
      Statement * requests,
      db.Cached("UPDATE brokering_request SET child_id=?1, child_uin=?2, authority=?3 WHERE"
                " child_id=?4 AND id IN (SELECT row_id FROM child_merge_moved WHERE"
                " merge_id=?5 AND kind='brokering_request')"));
  return requests->Bind(1, absorbed.id)
      .Bind(2, absorbed.uin.str())
      .Bind(3, absorbed.responsible_authority)
      .Bind(4, survivor_id)
      .Bind(5, merge_id)
      .Run();
}

Status ReadMergeFollowUpsWithin(Database& db, MergeRecord& merge) {
  CP_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("SELECT duplicate_id, action, child_id, other_child_id FROM child_merge_pair"
                " WHERE merge_id=? ORDER BY rowid"));
  s->Bind(1, merge.id);
  while (true) {
    auto row = s->Step();
    if (!row.ok()) {
      s->Reset();
      return row.status();
    }
    if (!*row) break;
    merge.pairs.push_back(
        {s->ColumnInt(0), s->ColumnText(1) == "closed", s->ColumnInt(2), s->ColumnInt(3)});
  }
  s->Reset();
  CP_ASSIGN_OR_RETURN(Statement * m,
                      db.Cached("SELECT row_id FROM child_merge_moved WHERE merge_id=? AND"
                                " kind='brokering_request' ORDER BY rowid"));
  m->Bind(1, merge.id);
  CP_ASSIGN_OR_RETURN(merge.moved_brokering_ids, Ids(*m));
  return Status::Ok();
}

}  // namespace cp::store::sqlite
