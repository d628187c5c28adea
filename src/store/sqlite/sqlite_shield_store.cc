#include "store/sqlite/sqlite_shield_store.h"

#include <algorithm>
#include <utility>

namespace cp::store::sqlite {

using domain::ShieldRequest;

namespace {

// ---------------------------------------------------------------------------------------------
// Sealed parts: a list of strings, each a varint length and its bytes, sealed with the field
// key under "<table>:<id>".
// ---------------------------------------------------------------------------------------------

std::string Pack(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    uint64_t n = s.size();
    while (n >= 0x80) {
      out.push_back(static_cast<char>((n & 0x7F) | 0x80));
      n >>= 7;
    }
    out.push_back(static_cast<char>(n));
    out.append(s);
  }
  return out;
}

Result<std::vector<std::string>> Unpack(std::string_view in) {
  std::vector<std::string> out;
  while (!in.empty()) {
    uint64_t n = 0;
    int shift = 0;
    while (true) {
      if (in.empty() || shift > 56) return Status::Internal("corrupt sealed shielding data");
      const auto b = static_cast<uint8_t>(in[0]);
      in.remove_prefix(1);
      n |= static_cast<uint64_t>(b & 0x7F) << shift;
      shift += 7;
      if ((b & 0x80) == 0) break;
    }
    if (n > in.size()) return Status::Internal("corrupt sealed shielding data");
    out.emplace_back(in.substr(0, n));
    in.remove_prefix(n);
  }
  return out;
}

std::string Place(std::string_view table, int64_t id) {
  return std::string(table) + ":" + std::to_string(id);
}

Result<std::vector<std::string>> OpenPacked(const crypto::SecretBox& box, std::string_view sealed,
                                            std::string_view table, int64_t id, size_t min_items) {
  auto plain = box.Open(sealed, Place(table, id));
  if (!plain.ok()) return Status::Internal("sealed shielding data failed authentication");
  CP_ASSIGN_OR_RETURN(std::vector<std::string> items, Unpack(*plain));
  if (items.size() < min_items) return Status::Internal("corrupt sealed shielding data");
  return items;
}

constexpr size_t kRequestFixedItems = 19;

std::vector<std::string> RequestSecrets(const ShieldRequest& r) {
  const domain::ShieldForm& f = r.form;
  std::vector<std::string> items = {r.requester.name,
                                    r.requester.contact,
                                    r.requester.relationship,
                                    r.comments,
                                    r.decision_note,
                                    f.requester_reference,
                                    f.surname,
                                    f.known_as_surname,
                                    f.forenames,
                                    f.date_of_birth,
                                    f.gender,
                                    f.service_name,
                                    f.caseworker,
                                    f.service_phone,
                                    f.service_email,
                                    f.office_decision,
                                    f.decided_by,
                                    f.reviewer,
                                    f.review_when};
  items.insert(items.end(), f.recent_addresses.begin(), f.recent_addresses.end());
  return items;
}

void SetRequestSecrets(const std::vector<std::string>& s, ShieldRequest& r) {
  r.requester = {s[0], s[1], s[2]};
  r.comments = s[3];
  r.decision_note = s[4];
  domain::ShieldForm& f = r.form;
  f.requester_reference = s[5];
  f.surname = s[6];
  f.known_as_surname = s[7];
  f.forenames = s[8];
  f.date_of_birth = s[9];
  f.gender = s[10];
  f.service_name = s[11];
  f.caseworker = s[12];
  f.service_phone = s[13];
  f.service_email = s[14];
  f.office_decision = s[15];
  f.decided_by = s[16];
  f.reviewer = s[17];
  f.review_when = s[18];
  f.recent_addresses.assign(s.begin() + kRequestFixedItems, s.end());
}

std::string CriteriaText(const std::vector<domain::ShieldCriterion>& criteria) {
  std::string out;
  for (auto c : criteria) {
    if (!out.empty()) out += ",";
    out += domain::ShieldCriterionName(c);
  }
  return out;
}

Result<std::vector<domain::ShieldCriterion>> ParseCriteriaText(std::string_view text) {
  std::vector<domain::ShieldCriterion> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    auto c = domain::ParseShieldCriterion(text.substr(0, comma));
    if (!c) return Status::Internal("corrupt shielding criteria");
    out.push_back(*c);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::optional<std::string> OptDateText(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return d->ToString();
}

Result<std::optional<Date>> OptDateFrom(const Statement& s, int col) {
  if (s.ColumnIsNull(col)) return std::optional<Date>();
  CP_ASSIGN_OR_RETURN(Date d, Date::Parse(s.ColumnText(col)));
  return std::optional<Date>(d);
}

std::optional<TimePoint> OptTimeFrom(const Statement& s, int col) {
  if (s.ColumnIsNull(col)) return std::nullopt;
  return TimeFromDb(s.ColumnInt(col));
}

#define CP_REQUEST_COLUMNS                                                                \
  "id, child_id, child_uin, authority, source, status, criteria, category, requested_by," \
  " requester_org, routed_to, origin_request_id, linked_uin, telephone, form_due,"        \
  " form_received, pre_go_live, created_at, decided_at, decided_by, sealed"

Result<ShieldRequest> ReadRequest(const Statement& s, const crypto::SecretBox& box) {
  ShieldRequest r;
  r.id = s.ColumnInt(0);
  r.child_id = s.ColumnInt(1);
  r.child_uin = s.ColumnText(2);
  r.authority = s.ColumnText(3);
  auto source = domain::ParseShieldSource(s.ColumnText(4));
  auto status = domain::ParseRequestStatus(s.ColumnText(5));
  if (!source || !status) return Status::Internal("corrupt shield request");
  r.source = *source;
  r.status = *status;
  CP_ASSIGN_OR_RETURN(r.criteria, ParseCriteriaText(s.ColumnText(6)));
  r.category = s.ColumnText(7);
  r.requested_by = s.ColumnText(8);
  r.requester_org = s.ColumnText(9);
  r.routed_to = s.ColumnText(10);
  r.origin_request_id = s.ColumnOptionalInt(11).value_or(0);
  r.linked_uin = s.ColumnText(12);
  r.telephone = s.ColumnInt(13) != 0;
  CP_ASSIGN_OR_RETURN(r.form_due, OptDateFrom(s, 14));
  CP_ASSIGN_OR_RETURN(r.form_received, OptDateFrom(s, 15));
  r.pre_go_live = s.ColumnInt(16) != 0;
  r.created_at = TimeFromDb(s.ColumnInt(17));
  r.decided_at = OptTimeFrom(s, 18);
  r.decided_by = s.ColumnText(19);
  CP_ASSIGN_OR_RETURN(
      std::vector<std::string> secrets,
      OpenPacked(box, s.ColumnBlob(20), "shield_request", r.id, kRequestFixedItems));
  SetRequestSecrets(secrets, r);
  return r;
}

Status SealInto(Database& db, std::string_view sql, const std::string& sealed, int64_t id) {
  CP_ASSIGN_OR_RETURN(Statement * s, db.Cached(sql));
  return s->BindBlob(1, sealed).Bind(2, id).Run();
}

Status InsertRequest(Database& db, const crypto::SecretBox& box, const ShieldRequest& r,
                     int64_t origin_id, int64_t& id) {
  CP_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("INSERT INTO shield_request(child_id, child_uin, authority, source, status,"
                " criteria, category, requested_by, requester_org, routed_to, origin_request_id,"
                " linked_uin, telephone, form_due, form_received, pre_go_live, created_at,"
                " decided_at, decided_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  s->Bind(1, r.child_id)
      .Bind(2, r.child_uin)
      .Bind(3, r.authority)
      .Bind(4, domain::ShieldSourceName(r.source))
      .Bind(5, domain::RequestStatusName(r.status))
      .Bind(6, CriteriaText(r.criteria))
      .Bind(7, r.category)
      .Bind(8, r.requested_by)
      .Bind(9, r.requester_org)
      .Bind(10, r.routed_to);
  if (origin_id > 0) {
    s->Bind(11, origin_id);
  } else {
    s->BindNull(11);
  }
  s->Bind(12, r.linked_uin)
      .Bind(13, r.telephone ? 1 : 0)
      .Bind(14, OptDateText(r.form_due))
      .Bind(15, OptDateText(r.form_received))
      .Bind(16, r.pre_go_live ? 1 : 0)
      .Bind(17, ToDb(r.created_at));
  if (r.decided_at) {
    s->Bind(18, ToDb(*r.decided_at));
  } else {
    s->BindNull(18);
  }
  s->Bind(19, r.decided_by);
  CP_RETURN_IF_ERROR(s->Run());
  id = db.LastInsertRowId();
  return SealInto(db, "UPDATE shield_request SET sealed=? WHERE id=?",
                  box.Seal(Pack(RequestSecrets(r)), Place("shield_request", id)), id);
}

Status UpdateRequest(Database& db, const crypto::SecretBox& box,
                     const ShieldChange::RequestUpdate& u) {
  const ShieldRequest& r = u.request;
  CP_ASSIGN_OR_RETURN(Statement * s,
                      db.Cached("UPDATE shield_request SET status=?, form_received=?, decided_at=?,"
                                " decided_by=?, sealed=? WHERE id=? AND status=?"));
  s->Bind(1, domain::RequestStatusName(r.status)).Bind(2, OptDateText(r.form_received));
  if (r.decided_at) {
    s->Bind(3, ToDb(*r.decided_at));
  } else {
    s->BindNull(3);
  }
  s->Bind(4, r.decided_by)
      .BindBlob(5, box.Seal(Pack(RequestSecrets(r)), Place("shield_request", r.id)))
      .Bind(6, r.id)
      .Bind(7, domain::RequestStatusName(u.expected_status));
  CP_RETURN_IF_ERROR(s->Run());
  if (db.Changes() == 0) {
    return Status::Conflict("The request was changed by someone else; reload and try again");
  }
  return Status::Ok();
}

Status ApplyFlag(Database& db, const ShieldChange::FlagChange& f, int64_t now) {
  if (f.require_no_active_requests) {
    CP_ASSIGN_OR_RETURN(
        Statement * c,
        db.Cached("SELECT COUNT(*) FROM shield_request WHERE child_id=? AND status='active'"));
    c->Bind(1, f.child_id);
    CP_ASSIGN_OR_RETURN(bool row, c->Step());
    const int64_t active = row ? c->ColumnInt(0) : 0;
    c->Reset();
    if (active > 0) return Status::FailedPrecondition("active_shield_requests");
  }
  CP_ASSIGN_OR_RETURN(Statement * s,
                      db.Cached("UPDATE child SET shielded=?, version=version+1 WHERE id=?"));
  CP_RETURN_IF_ERROR(s->Bind(1, f.shielded ? 1 : 0).Bind(2, f.child_id).Run());
  if (db.Changes() == 0) return Status::NotFound("no such child");
  CP_ASSIGN_OR_RETURN(Statement * c,
                      db.Cached("INSERT INTO child_change(child_id, changed_at) VALUES (?,?)"));
  return c->Bind(1, f.child_id).Bind(2, now).Run();
}

Status ApplySchedule(Database& db, const ShieldChange::ScheduleReview& r) {
  CP_ASSIGN_OR_RETURN(
      Statement * find,
      db.Cached("SELECT id, due FROM shield_review WHERE child_id=? AND completed_at IS NULL"));
  find->Bind(1, r.child_id);
  CP_ASSIGN_OR_RETURN(bool found, find->Step());
  int64_t id = found ? find->ColumnInt(0) : 0;
  std::string due = found ? find->ColumnText(1) : "";
  find->Reset();
  if (found) {
    if (due <= r.due.ToString()) return Status::Ok();  // ISO dates compare as text.
    CP_ASSIGN_OR_RETURN(Statement * up, db.Cached("UPDATE shield_review SET due=? WHERE id=?"));
    return up->Bind(1, r.due.ToString()).Bind(2, id).Run();
  }
  CP_ASSIGN_OR_RETURN(
      Statement * ins,
      db.Cached("INSERT INTO shield_review(child_id, child_uin, authority, due) VALUES (?,?,?,?)"));
  return ins->Bind(1, r.child_id)
      .Bind(2, r.child_uin)
      .Bind(3, r.authority)
      .Bind(4, r.due.ToString())
      .Run();
}

std::vector<std::string> ReviewSecrets(const domain::Review& r) {
  std::vector<std::string> items = {r.notes};
  items.insert(items.end(), r.consulted.begin(), r.consulted.end());
  return items;
}

Status CompleteReview(Database& db, const crypto::SecretBox& box, const domain::Review& r) {
  int64_t id = r.id;
  if (id == 0) {
    CP_ASSIGN_OR_RETURN(
        Statement * ins,
        db.Cached("INSERT INTO shield_review(child_id, child_uin, authority, due, completed_at)"
                  " VALUES (?,?,?,?,?)"));
    CP_RETURN_IF_ERROR(ins->Bind(1, r.child_id)
                           .Bind(2, r.child_uin)
                           .Bind(3, r.authority)
                           .Bind(4, r.due.ToString())
                           .Bind(5, ToDb(*r.completed_at))
                           .Run());
    id = db.LastInsertRowId();
  }
  CP_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("UPDATE shield_review SET completed_at=?, reviewer=?, outcome=?, sealed=?"
                " WHERE id=? AND (completed_at IS NULL OR ?=1)"));
  s->Bind(1, ToDb(r.completed_at.value_or(TimePoint())))
      .Bind(2, r.reviewer)
      .Bind(3, r.outcome ? std::string(domain::ReviewOutcomeName(*r.outcome)) : std::string())
      .BindBlob(4, box.Seal(Pack(ReviewSecrets(r)), Place("shield_review", id)))
      .Bind(5, id)
      .Bind(6, r.id == 0 ? 1 : 0);
  CP_RETURN_IF_ERROR(s->Run());
  if (db.Changes() == 0) return Status::Conflict("The review was completed by someone else");
  return Status::Ok();
}

Status InsertLog(Database& db, const crypto::SecretBox& box, const domain::LogEntry& e,
                 int64_t request_id, int64_t& id) {
  CP_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("INSERT INTO shield_log(authority, request_id, uin, action, category,"
                " action_date, confirmation_sent) VALUES (?,?,?,?,?,?,?)"));
  s->Bind(1, e.authority);
  if (request_id > 0) {
    s->Bind(2, request_id);
  } else {
    s->BindNull(2);
  }
  s->Bind(3, e.uin)
      .Bind(4, static_cast<int64_t>(e.action))
      .Bind(5, e.category)
      .Bind(6, e.date.ToString())
      .Bind(7, OptDateText(e.confirmation_sent));
  CP_RETURN_IF_ERROR(s->Run());
  id = db.LastInsertRowId();
  return SealInto(
      db, "UPDATE shield_log SET sealed=? WHERE id=?",
      box.Seal(Pack({e.requester_contact, e.relationship, e.comments}), Place("shield_log", id)),
      id);
}

Status InsertNotification(Database& db, const domain::Notification& n, int64_t request_id) {
  CP_ASSIGN_OR_RETURN(
      Statement * s,
      db.Cached("INSERT INTO notification(recipient, kind, text, child_uin, request_id,"
                " created_at) VALUES (?,?,?,?,?,?)"));
  s->Bind(1, n.recipient).Bind(2, n.kind).Bind(3, n.text).Bind(4, n.child_uin);
  if (request_id > 0) {
    s->Bind(5, request_id);
  } else {
    s->BindNull(5);
  }
  return s->Bind(6, ToDb(n.created_at)).Run();
}

#define CP_LOG_COLUMNS \
  "id, authority, request_id, uin, action, category, action_date, confirmation_sent, sealed"

Result<domain::LogEntry> ReadLog(const Statement& s, const crypto::SecretBox& box) {
  domain::LogEntry e;
  e.id = s.ColumnInt(0);
  e.authority = s.ColumnText(1);
  e.request_id = s.ColumnOptionalInt(2).value_or(0);
  e.uin = s.ColumnText(3);
  auto action = domain::LogActionFromInt(s.ColumnInt(4));
  if (!action) return Status::Internal("corrupt shielding log action");
  e.action = *action;
  e.category = s.ColumnText(5);
  CP_ASSIGN_OR_RETURN(e.date, Date::Parse(s.ColumnText(6)));
  CP_ASSIGN_OR_RETURN(e.confirmation_sent, OptDateFrom(s, 7));
  CP_ASSIGN_OR_RETURN(std::vector<std::string> secrets,
                      OpenPacked(box, s.ColumnBlob(8), "shield_log", e.id, 3));
  e.requester_contact = secrets[0];
  e.relationship = secrets[1];
  e.comments = secrets[2];
  return e;
}

#define CP_REVIEW_COLUMNS \
  "id, child_id, child_uin, authority, due, completed_at, reviewer, outcome, sealed"

Result<domain::Review> ReadReview(const Statement& s, const crypto::SecretBox& box) {
  domain::Review r;
  r.id = s.ColumnInt(0);
  r.child_id = s.ColumnInt(1);
  r.child_uin = s.ColumnText(2);
  r.authority = s.ColumnText(3);
  CP_ASSIGN_OR_RETURN(r.due, Date::Parse(s.ColumnText(4)));
  r.completed_at = OptTimeFrom(s, 5);
  r.reviewer = s.ColumnText(6);
  if (auto text = s.ColumnOptionalText(7); text && !text->empty()) {
    r.outcome = domain::ParseReviewOutcome(*text);
  }
  const std::string sealed = s.ColumnBlob(8);
  if (!sealed.empty()) {
    CP_ASSIGN_OR_RETURN(std::vector<std::string> secrets,
                        OpenPacked(box, sealed, "shield_review", r.id, 1));
    r.notes = secrets[0];
    r.consulted.assign(secrets.begin() + 1, secrets.end());
  }
  return r;
}

#define CP_APPEAL_COLUMNS \
  "id, child_uin, authority, outcome, recorded_by, created_at, decided_at, decided_by, sealed"

Result<domain::Appeal> ReadAppeal(const Statement& s, const crypto::SecretBox& box) {
  domain::Appeal a;
  a.id = s.ColumnInt(0);
  a.child_uin = s.ColumnText(1);
  a.authority = s.ColumnText(2);
  a.outcome = s.ColumnText(3);
  a.recorded_by = s.ColumnText(4);
  a.created_at = TimeFromDb(s.ColumnInt(5));
  a.decided_at = OptTimeFrom(s, 6);
  a.decided_by = s.ColumnText(7);
  CP_ASSIGN_OR_RETURN(std::vector<std::string> secrets,
                      OpenPacked(box, s.ColumnBlob(8), "shield_appeal", a.id, 3));
  a.appellant = secrets[0];
  a.grounds = secrets[1];
  a.notes = secrets[2];
  return a;
}

std::string DocumentPlace(int64_t request_id, int64_t document_id) {
  return "shield_document:" + std::to_string(document_id) +
         ":request:" + std::to_string(request_id);
}

template <typename T, typename ReadFn>
Result<std::vector<T>> ReadAll(Statement& s, ReadFn read) {
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

}  // namespace

SqliteShieldStore::SqliteShieldStore(std::shared_ptr<SharedConnection> conn,
                                     const crypto::SecretBox& field_box, const Clock& clock)
    : conn_(std::move(conn)), box_(field_box), clock_(clock) {}

Result<CommitResult> SqliteShieldStore::Commit(const ShieldChange& change) {
  return conn_->With([&](Database& db) -> Result<CommitResult> {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_ASSIGN_OR_RETURN(CommitResult result, CommitWithin(db, change));
    CP_RETURN_IF_ERROR(tx.Commit());
    return result;
  });
}

Result<CommitResult> SqliteShieldStore::CommitWithin(Database& db,
                                                     const ShieldChange& change) const {
  const int64_t now = ToDb(clock_.Now());
  CommitResult result;
  for (const auto& n : change.new_requests) {
    int64_t origin = n.request.origin_request_id;
    if (n.origin_index >= 0) {
      if (static_cast<size_t>(n.origin_index) >= result.request_ids.size()) {
        return Status::Internal("origin_index must name an earlier new request");
      }
      origin = result.request_ids[static_cast<size_t>(n.origin_index)];
    }
    int64_t id = 0;
    CP_RETURN_IF_ERROR(InsertRequest(db, box_, n.request, origin, id));
    result.request_ids.push_back(id);
  }
  auto request_id = [&](int index, int64_t fallback) -> Result<int64_t> {
    if (index < 0) return fallback;
    if (static_cast<size_t>(index) >= result.request_ids.size()) {
      return Status::Internal("request_index out of range");
    }
    return result.request_ids[static_cast<size_t>(index)];
  };
  for (const auto& u : change.request_updates) CP_RETURN_IF_ERROR(UpdateRequest(db, box_, u));
  for (const auto& f : change.flags) CP_RETURN_IF_ERROR(ApplyFlag(db, f, now));
  for (int64_t child_id : change.close_open_reviews_of) {
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("UPDATE shield_review SET completed_at=?, reviewer='system', outcome=''"
                  " WHERE child_id=? AND completed_at IS NULL"));
    CP_RETURN_IF_ERROR(s->Bind(1, now).Bind(2, child_id).Run());
  }
  for (const auto& r : change.completed_reviews) CP_RETURN_IF_ERROR(CompleteReview(db, box_, r));
  for (const auto& r : change.reviews) CP_RETURN_IF_ERROR(ApplySchedule(db, r));
  for (const auto& l : change.log) {
    CP_ASSIGN_OR_RETURN(int64_t rid, request_id(l.request_index, l.entry.request_id));
    int64_t id = 0;
    CP_RETURN_IF_ERROR(InsertLog(db, box_, l.entry, rid, id));
    result.log_ids.push_back(id);
  }
  for (const auto& n : change.notifications) {
    CP_ASSIGN_OR_RETURN(int64_t rid, request_id(n.request_index, n.notification.request_id));
    CP_RETURN_IF_ERROR(InsertNotification(db, n.notification, rid));
  }
  return result;
}

Result<std::vector<ShieldRequest>> SqliteShieldStore::QueryRequests(
    std::string_view sql, const std::function<void(Statement&)>& bind) {
  return conn_->With([&](Database& db) -> Result<std::vector<ShieldRequest>> {
    CP_ASSIGN_OR_RETURN(Statement * s, db.Cached(sql));
    bind(*s);
    return ReadAll<ShieldRequest>(*s, [&](const Statement& st) { return ReadRequest(st, box_); });
  });
}

Result<ShieldRequest> SqliteShieldStore::GetRequest(int64_t id) {
  CP_ASSIGN_OR_RETURN(auto rows,
                      QueryRequests("SELECT " CP_REQUEST_COLUMNS " FROM shield_request WHERE id=?",
                                    [&](Statement& s) { s.Bind(1, id); }));
  if (rows.empty()) return Status::NotFound("No such shield request");
  return std::move(rows[0]);
}

Result<std::vector<ShieldRequest>> SqliteShieldStore::RequestsForChild(int64_t child_id) {
  return QueryRequests("SELECT " CP_REQUEST_COLUMNS
                       " FROM shield_request WHERE child_id=? ORDER BY id",
                       [&](Statement& s) { s.Bind(1, child_id); });
}

Result<std::vector<ShieldRequest>> SqliteShieldStore::RequestsBy(const std::string& username) {
  return QueryRequests("SELECT " CP_REQUEST_COLUMNS
                       " FROM shield_request WHERE requested_by=? ORDER BY id DESC",
                       [&](Statement& s) { s.Bind(1, username); });
}

Result<std::vector<ShieldRequest>> SqliteShieldStore::PendingRoutedTo(
    const std::string& routed_to) {
  return QueryRequests("SELECT " CP_REQUEST_COLUMNS
                       " FROM shield_request WHERE routed_to=? AND status='pending' ORDER BY id",
                       [&](Statement& s) { s.Bind(1, routed_to); });
}

Result<std::vector<ShieldRequest>> SqliteShieldStore::RequestsForAuthority(
    const std::string& authority) {
  return QueryRequests("SELECT " CP_REQUEST_COLUMNS
                       " FROM shield_request WHERE authority=? ORDER BY id DESC",
                       [&](Statement& s) { s.Bind(1, authority); });
}

Result<std::vector<ShieldRequest>> SqliteShieldStore::LateTelephoneRequests(Date today) {
  return QueryRequests("SELECT " CP_REQUEST_COLUMNS
                       " FROM shield_request WHERE telephone=1 AND form_received IS NULL"
                       " AND status='active' AND form_due<? ORDER BY id",
                       [&](Statement& s) { s.Bind(1, today.ToString()); });
}

Result<std::vector<domain::LogEntry>> SqliteShieldStore::Log(const std::string& authority) {
  return conn_->With([&](Database& db) -> Result<std::vector<domain::LogEntry>> {
    CP_ASSIGN_OR_RETURN(Statement * s, db.Cached("SELECT " CP_LOG_COLUMNS
                                                 " FROM shield_log WHERE authority=? ORDER BY id"));
    s->Bind(1, authority);
    return ReadAll<domain::LogEntry>(*s, [&](const Statement& st) { return ReadLog(st, box_); });
  });
}

Result<domain::LogEntry> SqliteShieldStore::GetLogEntry(int64_t id) {
  CP_ASSIGN_OR_RETURN(
      auto rows, conn_->With([&](Database& db) -> Result<std::vector<domain::LogEntry>> {
        CP_ASSIGN_OR_RETURN(Statement * s,
                            db.Cached("SELECT " CP_LOG_COLUMNS " FROM shield_log WHERE id=?"));
        s->Bind(1, id);
        return ReadAll<domain::LogEntry>(*s,
                                         [&](const Statement& st) { return ReadLog(st, box_); });
      }));
  if (rows.empty()) return Status::NotFound("No such log entry");
  return std::move(rows[0]);
}

Status SqliteShieldStore::SetConfirmationSent(int64_t log_id, Date date) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("UPDATE shield_log SET confirmation_sent=? WHERE id=?"));
    CP_RETURN_IF_ERROR(s->Bind(1, date.ToString()).Bind(2, log_id).Run());
    if (db.Changes() == 0) return Status::NotFound("No such log entry");
    return Status::Ok();
  });
}

Result<std::vector<domain::Review>> SqliteShieldStore::Reviews(const std::string& authority,
                                                               bool open_only) {
  return conn_->With([&](Database& db) -> Result<std::vector<domain::Review>> {
    Statement* s = nullptr;
    if (open_only) {
      CP_ASSIGN_OR_RETURN(
          s, db.Cached("SELECT " CP_REVIEW_COLUMNS " FROM shield_review WHERE authority=? AND"
                       " completed_at IS NULL ORDER BY due, id"));
    } else {
      CP_ASSIGN_OR_RETURN(s, db.Cached("SELECT " CP_REVIEW_COLUMNS
                                       " FROM shield_review WHERE authority=? ORDER BY due, id"));
    }
    s->Bind(1, authority);
    return ReadAll<domain::Review>(*s, [&](const Statement& st) { return ReadReview(st, box_); });
  });
}

Result<std::optional<domain::Review>> SqliteShieldStore::OpenReview(int64_t child_id) {
  CP_ASSIGN_OR_RETURN(
      auto rows, conn_->With([&](Database& db) -> Result<std::vector<domain::Review>> {
        CP_ASSIGN_OR_RETURN(Statement * s,
                            db.Cached("SELECT " CP_REVIEW_COLUMNS " FROM shield_review"
                                      " WHERE child_id=? AND completed_at IS NULL"));
        s->Bind(1, child_id);
        return ReadAll<domain::Review>(*s,
                                       [&](const Statement& st) { return ReadReview(st, box_); });
      }));
  if (rows.empty()) return std::optional<domain::Review>();
  return std::optional<domain::Review>(std::move(rows[0]));
}

Result<std::vector<domain::Notification>> SqliteShieldStore::Notifications(
    const std::vector<std::string>& recipients) {
  return conn_->With([&](Database& db) -> Result<std::vector<domain::Notification>> {
    std::vector<domain::Notification> out;
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT id, recipient, kind, text, child_uin, request_id,"
                                  " created_at FROM notification WHERE recipient=?"
                                  " ORDER BY id DESC LIMIT 200"));
    for (const std::string& recipient : recipients) {
      s->Reset();
      s->Bind(1, recipient);
      CP_ASSIGN_OR_RETURN(auto rows,
                          ReadAll<domain::Notification>(
                              *s, [](const Statement& st) -> Result<domain::Notification> {
                                return domain::Notification{st.ColumnInt(0),
                                                            st.ColumnText(1),
                                                            st.ColumnText(2),
                                                            st.ColumnText(3),
                                                            st.ColumnText(4),
                                                            st.ColumnOptionalInt(5).value_or(0),
                                                            TimeFromDb(st.ColumnInt(6))};
                              }));
      out.insert(out.end(), rows.begin(), rows.end());
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
    return out;
  });
}

Result<int64_t> SqliteShieldStore::AddAppeal(const domain::Appeal& a) {
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("INSERT INTO shield_appeal(child_uin, authority, recorded_by, created_at)"
                  " VALUES (?,?,?,?)"));
    CP_RETURN_IF_ERROR(s->Bind(1, a.child_uin)
                           .Bind(2, a.authority)
                           .Bind(3, a.recorded_by)
                           .Bind(4, ToDb(a.created_at))
                           .Run());
    const int64_t id = db.LastInsertRowId();
    CP_RETURN_IF_ERROR(SealInto(
        db, "UPDATE shield_appeal SET sealed=? WHERE id=?",
        box_.Seal(Pack({a.appellant, a.grounds, a.notes}), Place("shield_appeal", id)), id));
    CP_RETURN_IF_ERROR(tx.Commit());
    return id;
  });
}

Status SqliteShieldStore::DecideAppeal(const domain::Appeal& a) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("UPDATE shield_appeal SET outcome=?, decided_at=?, decided_by=?, sealed=?"
                  " WHERE id=? AND outcome=''"));
    CP_RETURN_IF_ERROR(s->Bind(1, a.outcome)
                           .Bind(2, ToDb(a.decided_at.value_or(TimePoint())))
                           .Bind(3, a.decided_by)
                           .BindBlob(4, box_.Seal(Pack({a.appellant, a.grounds, a.notes}),
                                                  Place("shield_appeal", a.id)))
                           .Bind(5, a.id)
                           .Run());
    if (db.Changes() == 0) {
      return Status::FailedPrecondition("The appeal already has an outcome");
    }
    return Status::Ok();
  });
}

Result<domain::Appeal> SqliteShieldStore::GetAppeal(int64_t id) {
  CP_ASSIGN_OR_RETURN(
      auto rows, conn_->With([&](Database& db) -> Result<std::vector<domain::Appeal>> {
        CP_ASSIGN_OR_RETURN(
            Statement * s, db.Cached("SELECT " CP_APPEAL_COLUMNS " FROM shield_appeal WHERE id=?"));
        s->Bind(1, id);
        return ReadAll<domain::Appeal>(*s,
                                       [&](const Statement& st) { return ReadAppeal(st, box_); });
      }));
  if (rows.empty()) return Status::NotFound("No such appeal");
  return std::move(rows[0]);
}

Result<std::vector<domain::Appeal>> SqliteShieldStore::Appeals(const std::string& authority) {
  return conn_->With([&](Database& db) -> Result<std::vector<domain::Appeal>> {
    CP_ASSIGN_OR_RETURN(
        Statement * s, db.Cached("SELECT " CP_APPEAL_COLUMNS " FROM shield_appeal WHERE authority=?"
                                 " ORDER BY id DESC"));
    s->Bind(1, authority);
    return ReadAll<domain::Appeal>(*s, [&](const Statement& st) { return ReadAppeal(st, box_); });
  });
}

Result<int64_t> SqliteShieldStore::AddDocument(const domain::DocumentInfo& info,
                                               std::string_view bytes) {
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("INSERT INTO shield_document(request_id, content_type, size, uploaded_by,"
                  " uploaded_at) VALUES (?,?,?,?,?)"));
    CP_RETURN_IF_ERROR(s->Bind(1, info.request_id)
                           .Bind(2, info.content_type)
                           .Bind(3, static_cast<int64_t>(bytes.size()))
                           .Bind(4, info.uploaded_by)
                           .Bind(5, ToDb(info.uploaded_at))
                           .Run());
    const int64_t id = db.LastInsertRowId();
    CP_RETURN_IF_ERROR(SealInto(db, "UPDATE shield_document SET sealed=? WHERE id=?",
                                box_.Seal(bytes, DocumentPlace(info.request_id, id)), id));
    CP_RETURN_IF_ERROR(tx.Commit());
    return id;
  });
}

Result<std::vector<domain::DocumentInfo>> SqliteShieldStore::Documents(int64_t request_id) {
  return conn_->With([&](Database& db) -> Result<std::vector<domain::DocumentInfo>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT id, request_id, content_type, size, uploaded_by,"
                                  " uploaded_at FROM shield_document WHERE request_id=?"
                                  " ORDER BY id"));
    s->Bind(1, request_id);
    return ReadAll<domain::DocumentInfo>(
        *s, [](const Statement& st) -> Result<domain::DocumentInfo> {
          return domain::DocumentInfo{st.ColumnInt(0),  st.ColumnInt(1),
                                      st.ColumnText(2), st.ColumnInt(3),
                                      st.ColumnText(4), TimeFromDb(st.ColumnInt(5))};
        });
  });
}

Result<std::string> SqliteShieldStore::ReadDocument(int64_t request_id, int64_t document_id,
                                                    domain::DocumentInfo* info) {
  struct Row {
    domain::DocumentInfo info;
    std::string sealed;
  };
  CP_ASSIGN_OR_RETURN(Row row, conn_->With([&](Database& db) -> Result<Row> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT id, request_id, content_type, size, uploaded_by,"
                                  " uploaded_at, sealed FROM shield_document"
                                  " WHERE id=? AND request_id=?"));
    s->Bind(1, document_id).Bind(2, request_id);
    CP_ASSIGN_OR_RETURN(bool found, s->Step());
    if (!found) return Status::NotFound("No such document");
    Row r{{s->ColumnInt(0), s->ColumnInt(1), s->ColumnText(2), s->ColumnInt(3), s->ColumnText(4),
           TimeFromDb(s->ColumnInt(5))},
          s->ColumnBlob(6)};
    s->Reset();
    return r;
  }));
  auto plain = box_.Open(row.sealed, DocumentPlace(request_id, document_id));
  if (!plain.ok()) return Status::Internal("sealed document failed authentication");
  if (info != nullptr) *info = row.info;
  return std::move(*plain);
}

Status SqliteShieldStore::PurgeChildWithin(Database& db, const PurgeTarget& target) const {
  // Requests are found by record (they follow a merge to the survivor) and by UIN.
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> by_child,
                      IdsWhereIn(db, "shield_request", "child_id", target.child_ids));
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> by_uin,
                      IdsWhereIn(db, "shield_request", "child_uin", target.uins));
  const std::vector<int64_t> requests = UnionOfIds(std::move(by_child), by_uin);
  const std::string blank_request = Pack(std::vector<std::string>(kRequestFixedItems));
  CP_RETURN_IF_ERROR(ResealEach(
      db, "UPDATE shield_request SET sealed=? WHERE id=?", requests,
      [&](int64_t id) { return box_.Seal(blank_request, Place("shield_request", id)); }));
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> documents,
                      IdsWhereIn(db, "shield_document", "request_id", requests));
  CP_ASSIGN_OR_RETURN(Statement * drop, db.Cached("DELETE FROM shield_document WHERE id=?"));
  for (int64_t id : documents) CP_RETURN_IF_ERROR(drop->Bind(1, id).Run());

  // A log entry's three sealed items, an appeal's three: all empty.
  const std::string three_blanks = Pack({"", "", ""});
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> log, IdsWhereIn(db, "shield_log", "uin", target.uins));
  CP_RETURN_IF_ERROR(
      ResealEach(db, "UPDATE shield_log SET sealed=? WHERE id=?", log,
                 [&](int64_t id) { return box_.Seal(three_blanks, Place("shield_log", id)); }));
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> appeals,
                      IdsWhereIn(db, "shield_appeal", "child_uin", target.uins));
  CP_RETURN_IF_ERROR(
      ResealEach(db, "UPDATE shield_appeal SET sealed=? WHERE id=?", appeals,
                 [&](int64_t id) { return box_.Seal(three_blanks, Place("shield_appeal", id)); }));

  // Reviews: an open review has no sealed part yet (empty column); a completed one keeps its
  // reviewer and outcome and loses its notes and consulted list.
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> reviews_by_child,
                      IdsWhereIn(db, "shield_review", "child_id", target.child_ids));
  CP_ASSIGN_OR_RETURN(std::vector<int64_t> reviews_by_uin,
                      IdsWhereIn(db, "shield_review", "child_uin", target.uins));
  const std::string blank_review = Pack(ReviewSecrets(domain::Review{}));
  return ResealEach(db, "UPDATE shield_review SET sealed=? WHERE id=? AND length(sealed)>0",
                    UnionOfIds(std::move(reviews_by_child), reviews_by_uin), [&](int64_t id) {
                      return box_.Seal(blank_review, Place("shield_review", id));
                    });
}

}  // namespace cp::store::sqlite
