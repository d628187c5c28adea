#include "store/sqlite/sqlite_dsar_store.h"

namespace cp::store::sqlite {

namespace {

constexpr std::string_view kColumns =
    "SELECT id, reference, child_uin, authority, requester_kind, received_on,"
    " identity_verified_on, due, extended_on, completed_on, status, created_by, created_at"
    " FROM dsar_case ";

Result<std::optional<Date>> OptionalDate(const Statement& s, int col) {
  auto text = s.ColumnOptionalText(col);
  if (!text) return std::optional<Date>();
  CP_ASSIGN_OR_RETURN(Date d, Date::Parse(*text));
  return std::optional<Date>(d);
}

Result<domain::DsarCase> ReadRow(const Statement& s) {
  domain::DsarCase c;
  c.id = s.ColumnInt(0);
  c.reference = s.ColumnText(1);
  c.child_uin = s.ColumnText(2);
  c.authority = s.ColumnText(3);
  c.requester_kind = s.ColumnText(4);
  CP_ASSIGN_OR_RETURN(c.received_on, Date::Parse(s.ColumnText(5)));
  CP_ASSIGN_OR_RETURN(c.identity_verified_on, OptionalDate(s, 6));
  CP_ASSIGN_OR_RETURN(c.due, Date::Parse(s.ColumnText(7)));
  CP_ASSIGN_OR_RETURN(c.extended_on, OptionalDate(s, 8));
  CP_ASSIGN_OR_RETURN(c.completed_on, OptionalDate(s, 9));
  auto status = domain::ParseDsarStatus(s.ColumnText(10));
  if (!status) return Status::Internal("stored DSAR status is unknown");
  c.status = *status;
  c.created_by = s.ColumnText(11);
  c.created_at = FromUnixSeconds(s.ColumnInt(12));
  return c;
}

std::optional<std::string> DateText(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return d->ToString();
}

Result<std::vector<domain::DsarCase>> ReadAll(Statement* s) {
  std::vector<domain::DsarCase> out;
  while (true) {
    auto row = s->Step();
    if (!row.ok()) {
      s->Reset();
      return row.status();
    }
    if (!*row) break;
    auto c = ReadRow(*s);
    if (!c.ok()) {
      s->Reset();
      return c.status();
    }
    out.push_back(std::move(*c));
  }
  s->Reset();
  return out;
}

}  // namespace

Result<domain::DsarCase> SqliteDsarStore::Create(const domain::DsarCase& c) {
  return conn_->With([&](Database& db) -> Result<domain::DsarCase> {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("INSERT INTO dsar_case(child_uin, authority, requester_kind, received_on,"
                  " identity_verified_on, due, extended_on, completed_on, status, created_by,"
                  " created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
    CP_RETURN_IF_ERROR(s->Bind(1, c.child_uin)
                           .Bind(2, c.authority)
                           .Bind(3, c.requester_kind)
                           .Bind(4, c.received_on.ToString())
                           .Bind(5, DateText(c.identity_verified_on))
                           .Bind(6, c.due.ToString())
                           .Bind(7, DateText(c.extended_on))
                           .Bind(8, DateText(c.completed_on))
                           .Bind(9, domain::DsarStatusName(c.status))
                           .Bind(10, c.created_by)
                           .Bind(11, ToUnixSeconds(c.created_at))
                           .Run());
    domain::DsarCase stored = c;
    stored.id = db.LastInsertRowId();
    stored.reference = domain::DsarReference(c.received_on, stored.id);
    CP_ASSIGN_OR_RETURN(Statement * u, db.Cached("UPDATE dsar_case SET reference=? WHERE id=?"));
    CP_RETURN_IF_ERROR(u->Bind(1, stored.reference).Bind(2, stored.id).Run());
    CP_RETURN_IF_ERROR(tx.Commit());
    return stored;
  });
}

Status SqliteDsarStore::Update(const domain::DsarCase& c, domain::DsarStatus expected) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("UPDATE dsar_case SET identity_verified_on=?, due=?,"
                                  " extended_on=?, completed_on=?, status=?"
                                  " WHERE id=? AND status=?"));
    CP_RETURN_IF_ERROR(s->Bind(1, DateText(c.identity_verified_on))
                           .Bind(2, c.due.ToString())
                           .Bind(3, DateText(c.extended_on))
                           .Bind(4, DateText(c.completed_on))
                           .Bind(5, domain::DsarStatusName(c.status))
                           .Bind(6, c.id)
                           .Bind(7, domain::DsarStatusName(expected))
                           .Run());
    if (db.Changes() == 1) return Status::Ok();
    CP_ASSIGN_OR_RETURN(Statement * e, db.Cached("SELECT 1 FROM dsar_case WHERE id=?"));
    e->Bind(1, c.id);
    CP_ASSIGN_OR_RETURN(bool exists, e->Step());
    e->Reset();
    if (!exists) return Status::NotFound("no such case");
    return Status::Conflict("The case changed; reload it and try again");
  });
}

Result<domain::DsarCase> SqliteDsarStore::Get(int64_t id) {
  return conn_->With([&](Database& db) -> Result<domain::DsarCase> {
    CP_ASSIGN_OR_RETURN(Statement * s, db.Cached(std::string(kColumns) + "WHERE id=?"));
    s->Bind(1, id);
    CP_ASSIGN_OR_RETURN(auto rows, ReadAll(s));
    if (rows.empty()) return Status::NotFound("no such case");
    return rows.front();
  });
}

Result<domain::DsarCase> SqliteDsarStore::GetByReference(const std::string& reference) {
  return conn_->With([&](Database& db) -> Result<domain::DsarCase> {
    CP_ASSIGN_OR_RETURN(Statement * s, db.Cached(std::string(kColumns) + "WHERE reference=?"));
    s->Bind(1, reference);
    CP_ASSIGN_OR_RETURN(auto rows, ReadAll(s));
    if (rows.empty()) return Status::NotFound("no such case");
    return rows.front();
  });
}

Result<std::vector<domain::DsarCase>> SqliteDsarStore::List(const std::string& authority) {
  return conn_->With([&](Database& db) -> Result<std::vector<domain::DsarCase>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached(std::string(kColumns) + "WHERE authority=? ORDER BY id DESC"));
    s->Bind(1, authority);
    return ReadAll(s);
  });
}

}  // namespace cp::store::sqlite
