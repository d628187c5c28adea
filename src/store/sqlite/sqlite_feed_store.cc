#include "store/sqlite/sqlite_feed_store.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/parallel_for.h"

namespace cp::store::sqlite {

namespace {

std::string HistoryPlace(const SupersededItems& s) {
  return "source_item:" + s.source + ":" + s.ref + ":" + std::to_string(s.child_id);
}

std::string ItemsPlace(const std::string& source, const std::string& ref) {
  return "source_ref:" + source + ":" + ref;
}

// Stores `sealed_items` for (source, ref) if it has none yet.
Status KeepItemsWithin(Database& db, const SourceRef& ref, const std::string& sealed_items) {
  CP_ASSIGN_OR_RETURN(Statement * s, db.Cached("UPDATE source_ref SET items=? WHERE source=? AND"
                                               " ref=? AND items IS NULL"));
  return s->BindBlob(1, sealed_items).Bind(2, ref.source).Bind(3, ref.ref).Run();
}

// `sealed_items` empty: the stored items stay as they are.
Status UpsertRef(Database& db, const SourceRef& ref, int64_t child_id,
                 const std::string& sealed_items) {
  CP_ASSIGN_OR_RETURN(Statement * s,
                      db.Cached("INSERT INTO source_ref(source, ref, child_id, row_digest, items)"
                                " VALUES (?,?,?,?,?) ON CONFLICT(source, ref) DO UPDATE SET"
                                " child_id=excluded.child_id, row_digest=excluded.row_digest,"
                                " items=coalesce(excluded.items, source_ref.items)"));
  s->Bind(1, ref.source).Bind(2, ref.ref).Bind(3, child_id).Bind(4, ref.row_digest);
  if (sealed_items.empty()) {
    s->BindNull(5);
  } else {
    s->BindBlob(5, sealed_items);
  }
  return s->Run();
}

// Gives every child_id 0 in `change` (the record being created) the new record's id. The
// record is inserted already shielded, so flag changes for it are dropped.
ShieldChange ForNewChild(ShieldChange change, int64_t id) {
  for (auto& n : change.new_requests) {
    if (n.request.child_id == 0) n.request.child_id = id;
  }
  std::vector<ShieldChange::FlagChange> flags;
  for (const auto& f : change.flags) {
    if (f.child_id != 0) flags.push_back(f);
  }
  change.flags = std::move(flags);
  for (auto& r : change.reviews) {
    if (r.child_id == 0) r.child_id = id;
  }
  return change;
}

PossibleDuplicate ReadDuplicate(const Statement& s) {
  PossibleDuplicate d;
  d.id = s.ColumnInt(0);
  d.child_id = s.ColumnInt(1);
  d.other_child_id = s.ColumnInt(2);
  d.weight = s.ColumnDouble(3);
  d.source = s.ColumnText(4);
  d.created_at = TimeFromDb(s.ColumnInt(5));
  d.status = domain::ParseDuplicateStatus(s.ColumnText(6)).value_or(domain::DuplicateStatus::kOpen);
  d.decided_by = s.ColumnText(7);
  if (auto at = s.ColumnOptionalInt(8)) d.decided_at = TimeFromDb(*at);
  return d;
}

ApiToken ReadToken(const Statement& s) {
  ApiToken t;
  t.id = s.ColumnInt(0);
  t.source = s.ColumnText(1);
  t.token_hash = s.ColumnText(2);
  t.label = s.ColumnText(3);
  t.created_at = TimeFromDb(s.ColumnInt(4));
  t.created_by = s.ColumnText(5);
  if (auto at = s.ColumnOptionalInt(6)) t.revoked_at = TimeFromDb(*at);
  t.revoked_by = s.ColumnText(7);
  return t;
}

#define CP_TOKEN_COLUMNS \
  "id, source, token_hash, label, created_at, created_by, revoked_at, revoked_by"

}  // namespace

SqliteFeedStore::SqliteFeedStore(std::shared_ptr<SharedConnection> conn,
                                 const SqliteChildStore& children, const SqliteShieldStore& shields,
                                 const crypto::SecretBox& field_box, const Clock& clock)
    : conn_(std::move(conn)),
      children_(children),
      shields_(shields),
      box_(field_box),
      clock_(clock) {}

Result<FeedBatchResult> SqliteFeedStore::Commit(const FeedBatch& batch) {
  // Seal the history and the source items outside the connection's lock.
  std::vector<std::string> sealed(batch.updates.size());
  std::vector<std::string> sealed_update_items(batch.updates.size());
  std::vector<std::string> sealed_created_items(batch.created.size());
  std::vector<SqliteChildStore::SealedChild> sealed_children(batch.created.size());
  std::vector<std::vector<std::string>> sealed_kept(batch.updates.size());
  // Every entry is sealed on its own: spread over threads (sealing is most of a new record's
  // cost; the inserts below are single-threaded under the lock).
  ParallelFor(
      batch.updates.size() + batch.created.size(),
      [&](size_t begin, size_t end) {
        for (size_t k = begin; k < end; ++k) {
          if (k < batch.updates.size()) {
            const size_t i = k;
            const FeedBatch::Update& u = batch.updates[i];
            if (u.superseded)
              sealed[i] = box_.Seal(u.superseded->items, HistoryPlace(*u.superseded));
            if (u.ref && !u.ref->items.empty()) {
              sealed_update_items[i] =
                  box_.Seal(u.ref->items, ItemsPlace(u.ref->source, u.ref->ref));
            }
            for (const SourceRef& kept : u.kept_items) {
              sealed_kept[i].push_back(box_.Seal(kept.items, ItemsPlace(kept.source, kept.ref)));
            }
            continue;
          }
          const size_t i = k - batch.updates.size();
          const SourceRef& ref = batch.created[i].ref;
          sealed_children[i] = children_.SealForCreate(batch.created[i].record);
          if (!ref.items.empty()) {
            sealed_created_items[i] = box_.Seal(ref.items, ItemsPlace(ref.source, ref.ref));
          }
        }
      },
      /*min_parallel=*/64);
  const int64_t now = ToDb(clock_.Now());
  return conn_->With([&](Database& db) -> Result<FeedBatchResult> {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    FeedBatchResult result;
    result.created_ids.reserve(batch.created.size());
    for (size_t i = 0; i < batch.created.size(); ++i) {
      const FeedBatch::NewChild& n = batch.created[i];
      CP_ASSIGN_OR_RETURN(int64_t id, children_.CreateSealedWithin(db, sealed_children[i]));
      result.created_ids.push_back(id);
      CP_RETURN_IF_ERROR(UpsertRef(db, n.ref, id, sealed_created_items[i]));
      if (n.possible_duplicate_of != 0) {
        CP_ASSIGN_OR_RETURN(
            Statement * s,
            db.Cached("INSERT OR IGNORE INTO possible_duplicate(child_id, other_child_id, weight,"
                      " source, created_at, status) VALUES (?,?,?,?,?,'open')"));
        CP_RETURN_IF_ERROR(s->Bind(1, id)
                               .Bind(2, n.possible_duplicate_of)
                               .Bind(3, n.weight)
                               .Bind(4, n.ref.source)
                               .Bind(5, now)
                               .Run());
      }
      if (n.shield) {
        if (!n.record.shielded) {
          return Status::Internal("a record with shield rows must be created shielded");
        }
        CP_RETURN_IF_ERROR(shields_.CommitWithin(db, ForNewChild(*n.shield, id)).status());
      }
    }
    for (size_t i = 0; i < batch.updates.size(); ++i) {
      const FeedBatch::Update& u = batch.updates[i];
      if (u.record_changed) CP_RETURN_IF_ERROR(children_.UpdateWithin(db, u.record));
      for (size_t k = 0; k < u.kept_items.size(); ++k) {
        CP_RETURN_IF_ERROR(KeepItemsWithin(db, u.kept_items[k], sealed_kept[i][k]));
      }
      if (u.ref) CP_RETURN_IF_ERROR(UpsertRef(db, *u.ref, u.record.id, sealed_update_items[i]));
      if (u.superseded) {
        CP_ASSIGN_OR_RETURN(
            Statement * s,
            db.Cached("INSERT INTO source_item_history(source, ref, child_id, superseded_at,"
                      " sealed) VALUES (?,?,?,?,?)"));
        const SupersededItems& h = *u.superseded;
        CP_RETURN_IF_ERROR(s->Bind(1, h.source)
                               .Bind(2, h.ref)
                               .Bind(3, h.child_id)
                               .Bind(4, ToDb(h.superseded_at))
                               .BindBlob(5, sealed[i])
                               .Run());
      }
    }
    CP_RETURN_IF_ERROR(tx.Commit());
    return result;
  });
}

Result<std::unordered_map<std::string, SourceRef>> SqliteFeedStore::FindRefs(
    const std::string& source, const std::vector<std::string>& refs) {
  return conn_->With([&](Database& db) -> Result<std::unordered_map<std::string, SourceRef>> {
    std::unordered_map<std::string, SourceRef> found;
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("SELECT child_id, row_digest FROM source_ref WHERE source=? AND ref=?"));
    for (const std::string& ref : refs) {
      s->Bind(1, source).Bind(2, ref);
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (row) found[ref] = SourceRef{source, ref, s->ColumnInt(0), s->ColumnText(1), ""};
      s->Reset();
    }
    return found;
  });
}

Status SqliteFeedStore::KeepItems(const std::vector<SourceRef>& refs) {
  std::vector<std::string> sealed;
  sealed.reserve(refs.size());
  for (const SourceRef& r : refs) sealed.push_back(box_.Seal(r.items, ItemsPlace(r.source, r.ref)));
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    for (size_t i = 0; i < refs.size(); ++i) {
      CP_RETURN_IF_ERROR(KeepItemsWithin(db, refs[i], sealed[i]));
    }
    return tx.Commit();
  });
}

Result<std::vector<SourceRef>> SqliteFeedStore::RefsOfChild(int64_t child_id) {
  auto rows = conn_->With([&](Database& db) -> Result<std::vector<SourceRef>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT source, ref, row_digest, items FROM"
                                  " source_ref WHERE child_id=? ORDER BY source, ref"));
    s->Bind(1, child_id);
    std::vector<SourceRef> out;
    while (true) {
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back(SourceRef{s->ColumnText(0), s->ColumnText(1), child_id, s->ColumnText(2),
                              s->ColumnIsNull(3) ? std::string() : s->ColumnBlob(3)});
    }
    s->Reset();
    return out;
  });
  if (!rows.ok()) return rows.status();
  for (SourceRef& r : *rows) {
    if (r.items.empty()) continue;
    auto plain = box_.Open(r.items, ItemsPlace(r.source, r.ref));
    if (!plain.ok()) return Status::Internal("source items failed authentication");
    r.items = std::move(*plain);
  }
  return rows;
}

Result<std::vector<PossibleDuplicate>> SqliteFeedStore::PossibleDuplicatesOf(int64_t child_id) {
  return conn_->With([&](Database& db) -> Result<std::vector<PossibleDuplicate>> {
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("SELECT id, child_id, other_child_id, weight, source, created_at, status,"
                  " decided_by, decided_at FROM possible_duplicate"
                  " WHERE child_id=? OR other_child_id=? ORDER BY id"));
    s->Bind(1, child_id).Bind(2, child_id);
    std::vector<PossibleDuplicate> out;
    while (true) {
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back(ReadDuplicate(*s));
    }
    s->Reset();
    return out;
  });
}

Result<std::vector<int64_t>> SqliteFeedStore::DoNotMatchPartners(int64_t child_id) {
  return conn_->With([&](Database& db) -> Result<std::vector<int64_t>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT child_b FROM do_not_match WHERE child_a=?"
                                  " UNION SELECT child_a FROM do_not_match WHERE child_b=?"));
    s->Bind(1, child_id).Bind(2, child_id);
    std::vector<int64_t> out;
    while (true) {
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back(s->ColumnInt(0));
    }
    s->Reset();
    return out;
  });
}

Result<std::vector<SupersededItems>> SqliteFeedStore::History(int64_t child_id) {
  auto rows = conn_->With([&](Database& db) -> Result<std::vector<SupersededItems>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT source, ref, superseded_at, sealed FROM"
                                  " source_item_history WHERE child_id=? ORDER BY id"));
    s->Bind(1, child_id);
    std::vector<SupersededItems> out;
    while (true) {
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back(SupersededItems{s->ColumnText(0), s->ColumnText(1), child_id,
                                    TimeFromDb(s->ColumnInt(2)), s->ColumnBlob(3)});
    }
    s->Reset();
    return out;
  });
  if (!rows.ok()) return rows.status();
  for (SupersededItems& h : *rows) {
    auto plain = box_.Open(h.items, HistoryPlace(h));
    if (!plain.ok()) return Status::Internal("superseded source items failed authentication");
    h.items = std::move(*plain);
  }
  return rows;
}

Result<int64_t> SqliteFeedStore::AddToken(const ApiToken& token) {
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("INSERT INTO api_token(source, token_hash, label, created_at, created_by)"
                  " VALUES (?,?,?,?,?)"));
    CP_RETURN_IF_ERROR(s->Bind(1, token.source)
                           .Bind(2, token.token_hash)
                           .Bind(3, token.label)
                           .Bind(4, ToDb(token.created_at))
                           .Bind(5, token.created_by)
                           .Run());
    return db.LastInsertRowId();
  });
}

Result<ApiToken> SqliteFeedStore::FindToken(const std::string& token_hash) {
  return conn_->With([&](Database& db) -> Result<ApiToken> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT " CP_TOKEN_COLUMNS " FROM api_token WHERE token_hash=?"));
    s->Bind(1, token_hash);
    CP_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::NotFound("no such token");
    ApiToken t = ReadToken(*s);
    s->Reset();
    return t;
  });
}

Result<std::vector<ApiToken>> SqliteFeedStore::Tokens(const std::string& source) {
  return conn_->With([&](Database& db) -> Result<std::vector<ApiToken>> {
    CP_ASSIGN_OR_RETURN(Statement * s, db.Cached("SELECT " CP_TOKEN_COLUMNS
                                                 " FROM api_token WHERE source=? ORDER BY id"));
    s->Bind(1, source);
    std::vector<ApiToken> out;
    while (true) {
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back(ReadToken(*s));
    }
    s->Reset();
    return out;
  });
}

Status SqliteFeedStore::RevokeToken(const std::string& source, int64_t id, const std::string& by,
                                    TimePoint at) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Statement * q,
                        db.Cached("SELECT revoked_at FROM api_token WHERE id=? AND source=?"));
    q->Bind(1, id).Bind(2, source);
    CP_ASSIGN_OR_RETURN(bool row, q->Step());
    const bool revoked = row && !q->ColumnIsNull(0);
    q->Reset();
    if (!row) return Status::NotFound("no such token for this source");
    if (revoked) return Status::FailedPrecondition("revoked");
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("UPDATE api_token SET revoked_at=?, revoked_by=? WHERE id=? AND source=?"));
    return s->Bind(1, ToDb(at)).Bind(2, by).Bind(3, id).Bind(4, source).Run();
  });
}

}  // namespace cp::store::sqlite
