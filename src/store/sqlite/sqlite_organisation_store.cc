#include "store/sqlite/sqlite_organisation_store.h"

namespace cp::store::sqlite {
namespace {

Result<domain::Organisation> ReadRow(const Statement& s) {
  domain::Organisation org;
  org.id = s.ColumnInt(0);
  org.code = s.ColumnText(1);
  org.name = s.ColumnText(2);
  auto type = domain::ParseOrganisationType(s.ColumnText(3));
  if (!type) return Status::Internal("stored organisation type is unknown");
  org.type = *type;
  org.local_authority_code = s.ColumnText(4);
  org.allowed_networks = s.ColumnText(5);
  org.active = s.ColumnInt(6) != 0;
  return org;
}

Result<domain::Organisation> GetOne(Database& db, std::string_view sql, auto key) {
  CP_ASSIGN_OR_RETURN(Statement * s, db.Cached(sql));
  s->Bind(1, key);
  CP_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound("no such organisation");
  auto org = ReadRow(*s);
  s->Reset();
  return org;
}

}  // namespace

Result<int64_t> SqliteOrganisationStore::Create(const domain::Organisation& org) {
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("INSERT INTO organisation(code, name, type, local_authority_code,"
                                  " allowed_networks, active) VALUES (?,?,?,?,?,?)"));
    Status st = s->Bind(1, org.code)
                    .Bind(2, org.name)
                    .Bind(3, domain::OrganisationTypeName(org.type))
                    .Bind(4, org.local_authority_code)
                    .Bind(5, org.allowed_networks)
                    .Bind(6, org.active ? 1 : 0)
                    .Run();
    if (st.code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("An organisation with this code already exists", "code");
    }
    CP_RETURN_IF_ERROR(st);
    return db.LastInsertRowId();
  });
}

Status SqliteOrganisationStore::Update(const domain::Organisation& org) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("UPDATE organisation SET code=?, name=?, type=?,"
                                  " local_authority_code=?, allowed_networks=?, active=?"
                                  " WHERE id=?"));
    Status st = s->Bind(1, org.code)
                    .Bind(2, org.name)
                    .Bind(3, domain::OrganisationTypeName(org.type))
                    .Bind(4, org.local_authority_code)
                    .Bind(5, org.allowed_networks)
                    .Bind(6, org.active ? 1 : 0)
                    .Bind(7, org.id)
                    .Run();
    if (st.code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("An organisation with this code already exists", "code");
    }
    CP_RETURN_IF_ERROR(st);
    if (db.Changes() == 0) return Status::NotFound("no such organisation");
    return Status::Ok();
  });
}

Result<domain::Organisation> SqliteOrganisationStore::Get(int64_t id) {
  return conn_->With([&](Database& db) {
    return GetOne(db,
                  "SELECT id, code, name, type, local_authority_code, allowed_networks,"
                  " active FROM organisation WHERE id=?",
                  id);
  });
}

Result<domain::Organisation> SqliteOrganisationStore::GetByCode(const std::string& code) {
  return conn_->With([&](Database& db) {
    return GetOne(db,
                  "SELECT id, code, name, type, local_authority_code, allowed_networks,"
                  " active FROM organisation WHERE code=?",
                  code);
  });
}

Result<std::vector<domain::Organisation>> SqliteOrganisationStore::List() {
  return conn_->With([&](Database& db) -> Result<std::vector<domain::Organisation>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT id, code, name, type, local_authority_code,"
                                  " allowed_networks, active FROM organisation ORDER BY code"));
    std::vector<domain::Organisation> out;
    while (true) {
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      CP_ASSIGN_OR_RETURN(domain::Organisation org, ReadRow(*s));
      out.push_back(std::move(org));
    }
    return out;
  });
}

}  // namespace cp::store::sqlite
