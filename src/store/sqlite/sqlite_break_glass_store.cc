#include "store/sqlite/sqlite_break_glass_store.h"

#include <functional>

namespace cp::store::sqlite {
namespace {

using domain::BreakGlassGrant;
using domain::BreakGlassHolder;
using domain::BrokeringRequest;
using domain::BrokeringStep;
using domain::Investigation;

// Where a sealed value lives: it opens only there.
std::string Place(std::string_view column, int64_t id) {
  return std::string(column) + ":" + std::to_string(id);
}

std::string SealText(const crypto::SecretBox& box, std::string_view text, std::string_view column,
                     int64_t id) {
  return box.Seal(text, Place(column, id));
}

Result<std::string> OpenText(const crypto::SecretBox& box, const std::string& sealed,
                             std::string_view column, int64_t id) {
  if (sealed.empty()) return std::string();
  auto text = box.Open(sealed, Place(column, id));
  if (!text.ok()) return Status::Internal("a sealed value does not open: " + Place(column, id));
  return *text;
}

// Steps `s` to the end, turning each row into a T with `read`. Resets `s`.
template <typename T>
Result<std::vector<T>> ReadRows(Statement& s,
                                const std::function<Result<T>(const Statement&)>& read) {
  std::vector<T> out;
  while (true) {
    auto row = s.Step();
    if (!row.ok()) {
      s.Reset();
      return row.status();
    }
    if (!*row) break;
    auto item = read(s);
    if (!item.ok()) {
      s.Reset();
      return item.status();
    }
    out.push_back(std::move(*item));
  }
  s.Reset();
  return out;
}

Status InsertNotification(Database& db, const domain::Notification& n) {
  CP_ASSIGN_OR_RETURN(Statement * s,
                      db.Cached("INSERT INTO notification(recipient, kind, text, child_uin,"
                                " request_id, created_at) VALUES (?,?,?,?,NULL,?)"));
  return s->Bind(1, n.recipient)
      .Bind(2, n.kind)
      .Bind(3, n.text)
      .Bind(4, n.child_uin)
      .Bind(5, ToDb(n.created_at))
      .Run();
}

#define CP_HOLDER_COLUMNS                                                          \
  "id, username, authority, nominated_by, nominated_at, approved_by, approved_on," \
  " approval_reference, approval_recorded_by, revoked_at, revoked_by"

Result<BreakGlassHolder> ReadHolder(const Statement& s) {
  BreakGlassHolder h;
  h.id = s.ColumnInt(0);
  h.username = s.ColumnText(1);
  h.authority = s.ColumnText(2);
  h.nominated_by = s.ColumnText(3);
  h.nominated_at = TimeFromDb(s.ColumnInt(4));
  h.approved_by = s.ColumnText(5);
  if (auto d = s.ColumnOptionalText(6)) {
    CP_ASSIGN_OR_RETURN(Date date, Date::Parse(*d));
    h.approved_on = date;
  }
  h.approval_reference = s.ColumnText(7);
  h.approval_recorded_by = s.ColumnText(8);
  if (auto t = s.ColumnOptionalInt(9)) h.revoked_at = TimeFromDb(*t);
  h.revoked_by = s.ColumnText(10);
  return h;
}

#define CP_GRANT_COLUMNS \
  "id, username, child_id, child_uin, reason_code, created_at, expires_at, ended_at, end_reason"

Result<BreakGlassGrant> ReadGrant(const Statement& s) {
  BreakGlassGrant g;
  g.id = s.ColumnInt(0);
  g.username = s.ColumnText(1);
  g.child_id = s.ColumnInt(2);
  g.child_uin = s.ColumnText(3);
  g.reason_code = s.ColumnText(4);
  g.created_at = TimeFromDb(s.ColumnInt(5));
  g.expires_at = TimeFromDb(s.ColumnInt(6));
  if (auto t = s.ColumnOptionalInt(7)) g.ended_at = TimeFromDb(*t);
  g.end_reason = s.ColumnText(8);
  return g;
}

#define CP_INVESTIGATION_COLUMNS                                                             \
  "id, grant_id, username, user_organisation, child_uin, authority, reason_code, opened_at," \
  " due, status, finding, concluded_at, reason_sealed"

Result<Investigation> ReadInvestigation(const Statement& s, const crypto::SecretBox& box) {
  Investigation i;
  i.id = s.ColumnInt(0);
  i.grant_id = s.ColumnInt(1);
  i.username = s.ColumnText(2);
  i.user_organisation = s.ColumnText(3);
  i.child_uin = s.ColumnText(4);
  i.authority = s.ColumnText(5);
  i.reason_code = s.ColumnText(6);
  i.opened_at = TimeFromDb(s.ColumnInt(7));
  CP_ASSIGN_OR_RETURN(i.due, Date::Parse(s.ColumnText(8)));
  auto status = domain::ParseInvestigationStatus(s.ColumnText(9));
  auto finding = domain::ParseFinding(s.ColumnText(10));
  if (!status || !finding) return Status::Internal("unknown investigation status or finding");
  i.status = *status;
  i.finding = *finding;
  if (auto t = s.ColumnOptionalInt(11)) i.concluded_at = TimeFromDb(*t);
  CP_ASSIGN_OR_RETURN(i.reason_text,
                      OpenText(box, s.ColumnBlob(12), "break_glass_investigation.reason", i.id));
  return i;
}

#define CP_BROKERING_COLUMNS                                                         \
  "id, child_id, child_uin, authority, requester, requester_organisation, status,"   \
  " created_at, involvement_id, practitioner_username, decided_by, acknowledged_at," \
  " reason_sealed, practitioner_sealed, released_sealed, decline_sealed"

Result<BrokeringRequest> ReadBrokering(const Statement& s, const crypto::SecretBox& box) {
  BrokeringRequest r;
  r.id = s.ColumnInt(0);
  r.child_id = s.ColumnInt(1);
  r.child_uin = s.ColumnText(2);
  r.authority = s.ColumnText(3);
  r.requester = s.ColumnText(4);
  r.requester_organisation = s.ColumnText(5);
  auto status = domain::ParseBrokeringStatus(s.ColumnText(6));
  if (!status) return Status::Internal("unknown brokering status");
  r.status = *status;
  r.created_at = TimeFromDb(s.ColumnInt(7));
  r.involvement_id = s.ColumnInt(8);
  r.practitioner_username = s.ColumnText(9);
  r.decided_by = s.ColumnText(10);
  if (auto t = s.ColumnOptionalInt(11)) r.acknowledged_at = TimeFromDb(*t);
  CP_ASSIGN_OR_RETURN(r.reason, OpenText(box, s.ColumnBlob(12), "brokering_request.reason", r.id));
  CP_ASSIGN_OR_RETURN(r.practitioner,
                      OpenText(box, s.ColumnBlob(13), "brokering_request.practitioner", r.id));
  CP_ASSIGN_OR_RETURN(r.released,
                      OpenText(box, s.ColumnBlob(14), "brokering_request.released", r.id));
  CP_ASSIGN_OR_RETURN(r.decline_reasons,
                      OpenText(box, s.ColumnBlob(15), "brokering_request.decline", r.id));
  return r;
}

Status InsertStep(Database& db, const crypto::SecretBox& box, int64_t request_id,
                  const BrokeringStep& step) {
  CP_ASSIGN_OR_RETURN(Statement * s,
                      db.Cached("INSERT INTO brokering_step(request_id, at, actor, kind)"
                                " VALUES (?,?,?,?)"));
  CP_RETURN_IF_ERROR(
      s->Bind(1, request_id).Bind(2, ToDb(step.at)).Bind(3, step.actor).Bind(4, step.kind).Run());
  int64_t id = db.LastInsertRowId();
  CP_ASSIGN_OR_RETURN(Statement * u,
                      db.Cached("UPDATE brokering_step SET note_sealed=? WHERE id=?"));
  return u->BindBlob(1, SealText(box, step.note, "brokering_step.note", id)).Bind(2, id).Run();
}

// Requires exactly one changed row; `missing` otherwise.
Status OneRow(Database& db, Status missing) { return db.Changes() == 1 ? Status::Ok() : missing; }

}  // namespace

SqliteBreakGlassStore::SqliteBreakGlassStore(std::shared_ptr<SharedConnection> conn,
                                             const crypto::SecretBox& field_box)
    : conn_(std::move(conn)), box_(field_box) {}

// --- Holders -----------------------------------------------------------------------------

Result<int64_t> SqliteBreakGlassStore::AddHolder(const BreakGlassHolder& h) {
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("INSERT INTO break_glass_holder(username, authority,"
                                  " nominated_by, nominated_at) VALUES (?,?,?,?)"));
    Status st = s->Bind(1, h.username)
                    .Bind(2, h.authority)
                    .Bind(3, h.nominated_by)
                    .Bind(4, ToDb(h.nominated_at))
                    .Run();
    if (st.code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("This user already holds or awaits the Break Glass right",
                                   "username");
    }
    CP_RETURN_IF_ERROR(st);
    return db.LastInsertRowId();
  });
}

Result<std::optional<BreakGlassHolder>> SqliteBreakGlassStore::CurrentHolder(
    const std::string& username) {
  return conn_->With([&](Database& db) -> Result<std::optional<BreakGlassHolder>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT " CP_HOLDER_COLUMNS " FROM break_glass_holder"
                                  " WHERE username=? AND revoked_at IS NULL"));
    s->Bind(1, username);
    CP_ASSIGN_OR_RETURN(auto rows, ReadRows<BreakGlassHolder>(*s, ReadHolder));
    if (rows.empty()) return std::optional<BreakGlassHolder>();
    return std::optional<BreakGlassHolder>(std::move(rows.front()));
  });
}

Result<std::vector<BreakGlassHolder>> SqliteBreakGlassStore::Holders(const std::string& authority) {
  return conn_->With([&](Database& db) -> Result<std::vector<BreakGlassHolder>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT " CP_HOLDER_COLUMNS " FROM break_glass_holder"
                                  " WHERE authority=? ORDER BY username, id"));
    s->Bind(1, authority);
    return ReadRows<BreakGlassHolder>(*s, ReadHolder);
  });
}

Status SqliteBreakGlassStore::RecordApproval(const BreakGlassHolder& h) {
  if (!h.approved_on) return Status::InvalidArgument("Enter the date of approval", "approved_on");
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("UPDATE break_glass_holder SET approved_by=?, approved_on=?,"
                                  " approval_reference=?, approval_recorded_by=?"
                                  " WHERE id=? AND revoked_at IS NULL"));
    CP_RETURN_IF_ERROR(s->Bind(1, h.approved_by)
                           .Bind(2, h.approved_on->ToString())
                           .Bind(3, h.approval_reference)
                           .Bind(4, h.approval_recorded_by)
                           .Bind(5, h.id)
                           .Run());
    return OneRow(db, Status::NotFound("No such Break Glass authorisation"));
  });
}

Status SqliteBreakGlassStore::Revoke(int64_t id, TimePoint at, const std::string& by) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("UPDATE break_glass_holder SET revoked_at=?, revoked_by=?"
                                  " WHERE id=? AND revoked_at IS NULL"));
    CP_RETURN_IF_ERROR(s->Bind(1, ToDb(at)).Bind(2, by).Bind(3, id).Run());
    return OneRow(db, Status::NotFound("No such Break Glass authorisation"));
  });
}

// --- Grants and investigations -----------------------------------------------------------

Result<OpenedGrant> SqliteBreakGlassStore::OpenGrant(const BreakGlassGrant& g,
                                                     const Investigation& inv,
                                                     const domain::Notification& note) {
  return conn_->With([&](Database& db) -> Result<OpenedGrant> {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_ASSIGN_OR_RETURN(
        Statement * end,
        db.Cached("UPDATE break_glass_grant SET ended_at=?,"
                  " end_reason='superseded' WHERE username=? AND ended_at IS NULL"));
    CP_RETURN_IF_ERROR(end->Bind(1, ToDb(g.created_at)).Bind(2, g.username).Run());
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("INSERT INTO break_glass_grant(username, child_id, child_uin,"
                                  " reason_code, created_at, expires_at) VALUES (?,?,?,?,?,?)"));
    CP_RETURN_IF_ERROR(s->Bind(1, g.username)
                           .Bind(2, g.child_id)
                           .Bind(3, g.child_uin)
                           .Bind(4, g.reason_code)
                           .Bind(5, ToDb(g.created_at))
                           .Bind(6, ToDb(g.expires_at))
                           .Run());
    OpenedGrant opened;
    opened.grant_id = db.LastInsertRowId();
    CP_ASSIGN_OR_RETURN(
        Statement * i,
        db.Cached("INSERT INTO break_glass_investigation(grant_id, username, user_organisation,"
                  " child_uin, authority, reason_code, opened_at, due, status, finding)"
                  " VALUES (?,?,?,?,?,?,?,?,?,?)"));
    CP_RETURN_IF_ERROR(i->Bind(1, opened.grant_id)
                           .Bind(2, inv.username)
                           .Bind(3, inv.user_organisation)
                           .Bind(4, inv.child_uin)
                           .Bind(5, inv.authority)
                           .Bind(6, inv.reason_code)
                           .Bind(7, ToDb(inv.opened_at))
                           .Bind(8, inv.due.ToString())
                           .Bind(9, domain::InvestigationStatusName(inv.status))
                           .Bind(10, domain::FindingName(inv.finding))
                           .Run());
    opened.investigation_id = db.LastInsertRowId();
    CP_ASSIGN_OR_RETURN(Statement * seal,
                        db.Cached("UPDATE break_glass_investigation SET reason_sealed=?"
                                  " WHERE id=?"));
    CP_RETURN_IF_ERROR(
        seal->BindBlob(1, SealText(box_, inv.reason_text, "break_glass_investigation.reason",
                                   opened.investigation_id))
            .Bind(2, opened.investigation_id)
            .Run());
    CP_RETURN_IF_ERROR(InsertNotification(db, note));
    CP_RETURN_IF_ERROR(tx.Commit());
    return opened;
  });
}

Result<BreakGlassGrant> SqliteBreakGlassStore::GetGrant(int64_t id) {
  return conn_->With([&](Database& db) -> Result<BreakGlassGrant> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT " CP_GRANT_COLUMNS " FROM break_glass_grant WHERE id=?"));
    s->Bind(1, id);
    CP_ASSIGN_OR_RETURN(auto rows, ReadRows<BreakGlassGrant>(*s, ReadGrant));
    if (rows.empty()) return Status::NotFound("No such Break Glass grant");
    return rows.front();
  });
}

Result<std::vector<BreakGlassGrant>> SqliteBreakGlassStore::LiveGrants(const std::string& username,
                                                                       TimePoint now) {
  return conn_->With([&](Database& db) -> Result<std::vector<BreakGlassGrant>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT " CP_GRANT_COLUMNS " FROM break_glass_grant"
                                  " WHERE username=? AND ended_at IS NULL AND expires_at>?"
                                  " ORDER BY id DESC"));
    s->Bind(1, username).Bind(2, ToDb(now));
    return ReadRows<BreakGlassGrant>(*s, ReadGrant);
  });
}

Result<bool> SqliteBreakGlassStore::EndGrant(int64_t id, TimePoint at, const std::string& reason) {
  return conn_->With([&](Database& db) -> Result<bool> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("UPDATE break_glass_grant SET ended_at=?, end_reason=?"
                                  " WHERE id=? AND ended_at IS NULL"));
    CP_RETURN_IF_ERROR(s->Bind(1, ToDb(at)).Bind(2, reason).Bind(3, id).Run());
    return db.Changes() == 1;
  });
}

Result<Investigation> SqliteBreakGlassStore::GetInvestigation(int64_t id) {
  return conn_->With([&](Database& db) -> Result<Investigation> {
    CP_ASSIGN_OR_RETURN(Statement * s, db.Cached("SELECT " CP_INVESTIGATION_COLUMNS
                                                 " FROM break_glass_investigation WHERE id=?"));
    s->Bind(1, id);
    CP_ASSIGN_OR_RETURN(auto rows, ReadRows<Investigation>(*s, [&](const Statement& st) {
                          return ReadInvestigation(st, box_);
                        }));
    if (rows.empty()) return Status::NotFound("No such investigation");
    Investigation inv = std::move(rows.front());
    CP_ASSIGN_OR_RETURN(Statement * n, db.Cached("SELECT id, author, created_at, text_sealed"
                                                 " FROM break_glass_investigation_note"
                                                 " WHERE investigation_id=? ORDER BY id"));
    n->Bind(1, id);
    CP_ASSIGN_OR_RETURN(
        inv.notes, ReadRows<domain::InvestigationNote>(
                       *n, [&](const Statement& st) -> Result<domain::InvestigationNote> {
                         domain::InvestigationNote note{st.ColumnInt(0), st.ColumnText(1),
                                                        TimeFromDb(st.ColumnInt(2)), ""};
                         CP_ASSIGN_OR_RETURN(
                             note.text, OpenText(box_, st.ColumnBlob(3),
                                                 "break_glass_investigation_note.text", note.id));
                         return note;
                       }));
    return inv;
  });
}

Result<std::vector<Investigation>> SqliteBreakGlassStore::Investigations(
    const std::string& authority) {
  return conn_->With([&](Database& db) -> Result<std::vector<Investigation>> {
    CP_ASSIGN_OR_RETURN(Statement * s, db.Cached("SELECT " CP_INVESTIGATION_COLUMNS
                                                 " FROM break_glass_investigation WHERE authority=?"
                                                 " ORDER BY id DESC"));
    s->Bind(1, authority);
    return ReadRows<Investigation>(
        *s, [&](const Statement& st) { return ReadInvestigation(st, box_); });
  });
}

Status SqliteBreakGlassStore::SetInvestigationStatus(int64_t id, domain::InvestigationStatus from,
                                                     domain::InvestigationStatus to,
                                                     domain::Finding finding, TimePoint at) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("UPDATE break_glass_investigation SET status=?, finding=?,"
                                  " concluded_at=? WHERE id=? AND status=?"));
    s->Bind(1, domain::InvestigationStatusName(to)).Bind(2, domain::FindingName(finding));
    if (to == domain::InvestigationStatus::kConcluded) {
      s->Bind(3, ToDb(at));
    } else {
      s->BindNull(3);
    }
    CP_RETURN_IF_ERROR(s->Bind(4, id).Bind(5, domain::InvestigationStatusName(from)).Run());
    return OneRow(db, Status::Conflict("Someone else changed this investigation first"));
  });
}

Result<int64_t> SqliteBreakGlassStore::AddInvestigationNote(int64_t investigation_id,
                                                            const domain::InvestigationNote& note) {
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("INSERT INTO break_glass_investigation_note(investigation_id,"
                                  " author, created_at) VALUES (?,?,?)"));
    CP_RETURN_IF_ERROR(
        s->Bind(1, investigation_id).Bind(2, note.author).Bind(3, ToDb(note.created_at)).Run());
    int64_t id = db.LastInsertRowId();
    CP_ASSIGN_OR_RETURN(Statement * u,
                        db.Cached("UPDATE break_glass_investigation_note SET text_sealed=?"
                                  " WHERE id=?"));
    CP_RETURN_IF_ERROR(
        u->BindBlob(1, SealText(box_, note.text, "break_glass_investigation_note.text", id))
            .Bind(2, id)
            .Run());
    CP_RETURN_IF_ERROR(tx.Commit());
    return id;
  });
}

// --- Brokering ---------------------------------------------------------------------------

namespace {

Status SealBrokering(Database& db, const crypto::SecretBox& box, const BrokeringRequest& r,
                     int64_t id) {
  CP_ASSIGN_OR_RETURN(Statement * s,
                      db.Cached("UPDATE brokering_request SET reason_sealed=?,"
                                " practitioner_sealed=?, released_sealed=?, decline_sealed=?"
                                " WHERE id=?"));
  return s->BindBlob(1, SealText(box, r.reason, "brokering_request.reason", id))
      .BindBlob(2, SealText(box, r.practitioner, "brokering_request.practitioner", id))
      .BindBlob(3, SealText(box, r.released, "brokering_request.released", id))
      .BindBlob(4, SealText(box, r.decline_reasons, "brokering_request.decline", id))
      .Bind(5, id)
      .Run();
}

}  // namespace

Result<int64_t> SqliteBreakGlassStore::CreateBrokering(const BrokeringRequest& r,
                                                       const BrokeringStep& step,
                                                       const domain::Notification& note) {
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("INSERT INTO brokering_request(child_id, child_uin, authority,"
                                  " requester, requester_organisation, status, created_at)"
                                  " VALUES (?,?,?,?,?,?,?)"));
    CP_RETURN_IF_ERROR(s->Bind(1, r.child_id)
                           .Bind(2, r.child_uin)
                           .Bind(3, r.authority)
                           .Bind(4, r.requester)
                           .Bind(5, r.requester_organisation)
                           .Bind(6, domain::BrokeringStatusName(r.status))
                           .Bind(7, ToDb(r.created_at))
                           .Run());
    int64_t id = db.LastInsertRowId();
    CP_RETURN_IF_ERROR(SealBrokering(db, box_, r, id));
    CP_RETURN_IF_ERROR(InsertStep(db, box_, id, step));
    CP_RETURN_IF_ERROR(InsertNotification(db, note));
    CP_RETURN_IF_ERROR(tx.Commit());
    return id;
  });
}

Result<BrokeringRequest> SqliteBreakGlassStore::GetBrokering(int64_t id) {
  return conn_->With([&](Database& db) -> Result<BrokeringRequest> {
    CP_ASSIGN_OR_RETURN(Statement * s, db.Cached("SELECT " CP_BROKERING_COLUMNS
                                                 " FROM brokering_request WHERE id=?"));
    s->Bind(1, id);
    CP_ASSIGN_OR_RETURN(auto rows, ReadRows<BrokeringRequest>(*s, [&](const Statement& st) {
                          return ReadBrokering(st, box_);
                        }));
    if (rows.empty()) return Status::NotFound("No such brokering request");
    BrokeringRequest r = std::move(rows.front());
    CP_ASSIGN_OR_RETURN(Statement * t,
                        db.Cached("SELECT id, at, actor, kind, note_sealed FROM brokering_step"
                                  " WHERE request_id=? ORDER BY id"));
    t->Bind(1, id);
    CP_ASSIGN_OR_RETURN(
        r.steps, ReadRows<BrokeringStep>(*t, [&](const Statement& st) -> Result<BrokeringStep> {
          BrokeringStep step{st.ColumnInt(0), TimeFromDb(st.ColumnInt(1)), st.ColumnText(2),
                             st.ColumnText(3), ""};
          CP_ASSIGN_OR_RETURN(step.note,
                              OpenText(box_, st.ColumnBlob(4), "brokering_step.note", step.id));
          return step;
        }));
    return r;
  });
}

Result<std::vector<BrokeringRequest>> SqliteBreakGlassStore::BrokeringBy(
    const std::string& requester) {
  return conn_->With([&](Database& db) -> Result<std::vector<BrokeringRequest>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT " CP_BROKERING_COLUMNS
                                  " FROM brokering_request WHERE requester=? ORDER BY id DESC"));
    s->Bind(1, requester);
    return ReadRows<BrokeringRequest>(*s,
                                      [&](const Statement& st) { return ReadBrokering(st, box_); });
  });
}

Result<std::vector<BrokeringRequest>> SqliteBreakGlassStore::BrokeringForAuthority(
    const std::string& authority) {
  return conn_->With([&](Database& db) -> Result<std::vector<BrokeringRequest>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT " CP_BROKERING_COLUMNS
                                  " FROM brokering_request WHERE authority=? ORDER BY id DESC"));
    s->Bind(1, authority);
    return ReadRows<BrokeringRequest>(*s,
                                      [&](const Statement& st) { return ReadBrokering(st, box_); });
  });
}

Result<std::vector<BrokeringRequest>> SqliteBreakGlassStore::BrokeringForPractitioner(
    const std::string& username) {
  return conn_->With([&](Database& db) -> Result<std::vector<BrokeringRequest>> {
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("SELECT " CP_BROKERING_COLUMNS
                  " FROM brokering_request WHERE practitioner_username=? ORDER BY id DESC"));
    s->Bind(1, username);
    return ReadRows<BrokeringRequest>(*s,
                                      [&](const Statement& st) { return ReadBrokering(st, box_); });
  });
}

Status SqliteBreakGlassStore::UpdateBrokering(
    const BrokeringRequest& r, domain::BrokeringStatus expected, const BrokeringStep& step,
    const std::optional<domain::Notification>& notification) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("UPDATE brokering_request SET status=?, involvement_id=?,"
                                  " practitioner_username=?, decided_by=?, acknowledged_at=?"
                                  " WHERE id=? AND status=?"));
    s->Bind(1, domain::BrokeringStatusName(r.status))
        .Bind(2, r.involvement_id)
        .Bind(3, r.practitioner_username)
        .Bind(4, r.decided_by);
    if (r.acknowledged_at) {
      s->Bind(5, ToDb(*r.acknowledged_at));
    } else {
      s->BindNull(5);
    }
    CP_RETURN_IF_ERROR(s->Bind(6, r.id).Bind(7, domain::BrokeringStatusName(expected)).Run());
    CP_RETURN_IF_ERROR(
        OneRow(db, Status::Conflict("Someone else moved this brokering request on first")));
    CP_RETURN_IF_ERROR(SealBrokering(db, box_, r, r.id));
    CP_RETURN_IF_ERROR(InsertStep(db, box_, r.id, step));
    if (notification) CP_RETURN_IF_ERROR(InsertNotification(db, *notification));
    return tx.Commit();
  });
}

Status SqliteBreakGlassStore::AddBrokeringStep(int64_t request_id, const BrokeringStep& step) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_RETURN_IF_ERROR(InsertStep(db, box_, request_id, step));
    return tx.Commit();
  });
}

Status SqliteBreakGlassStore::PurgeChildWithin(Database& db, const PurgeTarget& target) const {
  auto blank = [&](std::string_view column) {
    return [this, column](int64_t id) { return SealText(box_, "", column, id); };
  };
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> investigations,
                      IdsWhereIn(db, "break_glass_investigation", "child_uin", target.uins));
  CP_RETURN_IF_ERROR(ResealEach(db,
                                "UPDATE break_glass_investigation SET reason_sealed=? WHERE id=?",
                                investigations, blank("break_glass_investigation.reason")));
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> notes, IdsWhereIn(db, "break_glass_investigation_note",
                                                             "investigation_id", investigations));
  CP_RETURN_IF_ERROR(
      ResealEach(db, "UPDATE break_glass_investigation_note SET text_sealed=? WHERE id=?", notes,
                 blank("break_glass_investigation_note.text")));

  CP_ASSIGN_OR_RETURN(std::vector<int64_t> by_child,
                      IdsWhereIn(db, "brokering_request", "child_id", target.child_ids));
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> by_uin,
                      IdsWhereIn(db, "brokering_request", "child_uin", target.uins));
  const std::vector<int64_t> requests = UnionOfIds(std::move(by_child), by_uin);
  for (int64_t id : requests) {
    BrokeringRequest blank_request;
    CP_RETURN_IF_ERROR(SealBrokering(db, box_, blank_request, id));
  }
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> steps,
                      IdsWhereIn(db, "brokering_step", "request_id", requests));
  return ResealEach(db, "UPDATE brokering_step SET note_sealed=? WHERE id=?", steps,
                    blank("brokering_step.note"));
}

}  // namespace cp::store::sqlite
