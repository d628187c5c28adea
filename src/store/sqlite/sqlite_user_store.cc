#include "store/sqlite/sqlite_user_store.h"

namespace cp::store::sqlite {
namespace {

#define CP_USER_COLUMNS                                                               \
  "id, username, display_name, organisation_id, email, phone, roles, crb_check_date," \
  " isa_registered, training_completed, agreement_signed, status, locked_until, version"

std::optional<std::string> DateText(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return d->ToString();
}

Result<std::optional<Date>> DateColumn(const Statement& s, int col) {
  auto text = s.ColumnOptionalText(col);
  if (!text) return std::optional<Date>();
  CP_ASSIGN_OR_RETURN(Date d, Date::Parse(*text));
  return std::optional<Date>(d);
}

Result<domain::User> ReadUser(const Statement& s) {
  domain::User u;
  u.id = s.ColumnInt(0);
  u.username = s.ColumnText(1);
  u.display_name = s.ColumnText(2);
  u.organisation_id = s.ColumnInt(3);
  u.email = s.ColumnText(4);
  u.phone = s.ColumnText(5);
  u.roles = domain::RoleSet::FromBits(static_cast<uint32_t>(s.ColumnInt(6)));
  CP_ASSIGN_OR_RETURN(u.vetting.crb_check_date, DateColumn(s, 7));
  u.vetting.isa_registered = s.ColumnInt(8) != 0;
  CP_ASSIGN_OR_RETURN(u.vetting.training_completed, DateColumn(s, 9));
  CP_ASSIGN_OR_RETURN(u.vetting.agreement_signed, DateColumn(s, 10));
  u.status =
      s.ColumnInt(11) == 0 ? domain::AccountStatus::kActive : domain::AccountStatus::kDisabled;
  if (auto locked = s.ColumnOptionalInt(12)) u.locked_until = TimeFromDb(*locked);
  u.version = s.ColumnInt(13);
  return u;
}

Result<domain::User> GetOne(Database& db, std::string_view sql, auto key) {
  CP_ASSIGN_OR_RETURN(Statement * s, db.Cached(sql));
  s->Bind(1, key);
  CP_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound("no such user");
  auto user = ReadUser(*s);
  s->Reset();
  return user;
}

// Runs an UPDATE on one credential row; NotFound if the user has none.
Status UpdateCredential(Database& db, std::string_view sql, auto bind) {
  CP_ASSIGN_OR_RETURN(Statement * s, db.Cached(sql));
  bind(*s);
  CP_RETURN_IF_ERROR(s->Run());
  if (db.Changes() == 0) return Status::NotFound("no such user");
  return Status::Ok();
}

}  // namespace

Result<int64_t> SqliteUserStore::Create(const domain::User& user,
                                        const domain::Credentials& creds) {
  return conn_->With([&](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("INSERT INTO app_user(username, display_name, organisation_id, email, phone,"
                  " roles, crb_check_date, isa_registered, training_completed,"
                  " agreement_signed, status, locked_until) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
    Status st = s->Bind(1, user.username)
                    .Bind(2, user.display_name)
                    .Bind(3, user.organisation_id)
                    .Bind(4, user.email)
                    .Bind(5, user.phone)
                    .Bind(6, static_cast<int64_t>(user.roles.bits()))
                    .Bind(7, DateText(user.vetting.crb_check_date))
                    .Bind(8, user.vetting.isa_registered ? 1 : 0)
                    .Bind(9, DateText(user.vetting.training_completed))
                    .Bind(10, DateText(user.vetting.agreement_signed))
                    .Bind(11, static_cast<int>(user.status))
                    .BindNull(12)
                    .Run();
    if (st.code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("That username is already taken", "username");
    }
    if (st.code() == StatusCode::kFailedPrecondition) {
      return Status::FailedPrecondition("That organisation does not exist", "organisation");
    }
    CP_RETURN_IF_ERROR(st);
    int64_t id = db.LastInsertRowId();
    CP_ASSIGN_OR_RETURN(
        Statement * c,
        db.Cached("INSERT INTO credential(user_id, password_hash, must_change_password,"
                  " totp_secret_sealed, totp_enrolled, totp_last_step) VALUES (?,?,?,?,?,?)"));
    CP_RETURN_IF_ERROR(c->Bind(1, id)
                           .Bind(2, creds.password_hash)
                           .Bind(3, creds.must_change_password ? 1 : 0)
                           .BindBlob(4, creds.totp_secret_sealed)
                           .Bind(5, creds.totp_enrolled ? 1 : 0)
                           .Bind(6, creds.totp_last_step)
                           .Run());
    CP_RETURN_IF_ERROR(tx.Commit());
    return id;
  });
}

Status SqliteUserStore::UpdateProfile(const domain::User& user) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("UPDATE app_user SET username=?, display_name=?, organisation_id=?, email=?,"
                  " phone=?, roles=?, crb_check_date=?, isa_registered=?, training_completed=?,"
                  " agreement_signed=?, status=?, locked_until=?, version=version+1"
                  " WHERE id=? AND version=?"));
    std::optional<int64_t> locked;
    if (user.locked_until) locked = ToDb(*user.locked_until);
    Status st = s->Bind(1, user.username)
                    .Bind(2, user.display_name)
                    .Bind(3, user.organisation_id)
                    .Bind(4, user.email)
                    .Bind(5, user.phone)
                    .Bind(6, static_cast<int64_t>(user.roles.bits()))
                    .Bind(7, DateText(user.vetting.crb_check_date))
                    .Bind(8, user.vetting.isa_registered ? 1 : 0)
                    .Bind(9, DateText(user.vetting.training_completed))
                    .Bind(10, DateText(user.vetting.agreement_signed))
                    .Bind(11, static_cast<int>(user.status))
                    .Bind(12, locked)
                    .Bind(13, user.id)
                    .Bind(14, user.version)
                    .Run();
    if (st.code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("That username is already taken", "username");
    }
    if (st.code() == StatusCode::kFailedPrecondition) {
      return Status::FailedPrecondition("That organisation does not exist", "organisation");
    }
    CP_RETURN_IF_ERROR(st);
    if (db.Changes() == 0) {
      return Status::Conflict("The user was changed by someone else; reload and try again");
    }
    return Status::Ok();
  });
}

Result<domain::User> SqliteUserStore::Get(int64_t id) {
  return conn_->With([&](Database& db) {
    return GetOne(db, "SELECT " CP_USER_COLUMNS " FROM app_user WHERE id=?", id);
  });
}

Result<domain::User> SqliteUserStore::GetByUsername(const std::string& username) {
  return conn_->With([&](Database& db) {
    return GetOne(db, "SELECT " CP_USER_COLUMNS " FROM app_user WHERE username=?", username);
  });
}

Result<std::vector<domain::User>> SqliteUserStore::List() {
  return conn_->With([&](Database& db) -> Result<std::vector<domain::User>> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT " CP_USER_COLUMNS " FROM app_user ORDER BY username"));
    std::vector<domain::User> out;
    while (true) {
      CP_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      CP_ASSIGN_OR_RETURN(domain::User u, ReadUser(*s));
      out.push_back(std::move(u));
    }
    return out;
  });
}

Result<domain::Credentials> SqliteUserStore::GetCredentials(int64_t user_id) {
  return conn_->With([&](Database& db) -> Result<domain::Credentials> {
    CP_ASSIGN_OR_RETURN(
        Statement * s, db.Cached("SELECT password_hash, must_change_password, totp_secret_sealed,"
                                 " totp_enrolled, totp_last_step FROM credential WHERE user_id=?"));
    s->Bind(1, user_id);
    CP_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::NotFound("no such user");
    domain::Credentials c;
    c.password_hash = s->ColumnText(0);
    c.must_change_password = s->ColumnInt(1) != 0;
    c.totp_secret_sealed = s->ColumnBlob(2);
    c.totp_enrolled = s->ColumnInt(3) != 0;
    c.totp_last_step = s->ColumnInt(4);
    s->Reset();
    return c;
  });
}

Status SqliteUserStore::SetPassword(int64_t user_id, const std::string& password_hash,
                                    bool must_change) {
  return conn_->With([&](Database& db) {
    return UpdateCredential(
        db, "UPDATE credential SET password_hash=?, must_change_password=? WHERE user_id=?",
        [&](Statement& s) {
          s.Bind(1, password_hash).Bind(2, must_change ? 1 : 0).Bind(3, user_id);
        });
  });
}

Status SqliteUserStore::SetTotpSecret(int64_t user_id, const std::string& sealed_secret,
                                      bool enrolled) {
  return conn_->With([&](Database& db) {
    return UpdateCredential(
        db,
        "UPDATE credential SET totp_secret_sealed=?, totp_enrolled=?, totp_last_step=-1"
        " WHERE user_id=?",
        [&](Statement& s) {
          s.BindBlob(1, sealed_secret).Bind(2, enrolled ? 1 : 0).Bind(3, user_id);
        });
  });
}

Result<bool> SqliteUserStore::ClaimTotpStep(int64_t user_id, int64_t step) {
  return conn_->With([&](Database& db) -> Result<bool> {
    CP_ASSIGN_OR_RETURN(
        Statement * s,
        db.Cached("UPDATE credential SET totp_last_step=? WHERE user_id=? AND totp_last_step<?"));
    CP_RETURN_IF_ERROR(s->Bind(1, step).Bind(2, user_id).Bind(3, step).Run());
    return db.Changes() == 1;
  });
}

Status SqliteUserStore::SetLockedUntil(int64_t user_id, std::optional<TimePoint> until) {
  return conn_->With([&](Database& db) -> Status {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("UPDATE app_user SET locked_until=?, version=version+1"
                                  " WHERE id=?"));
    std::optional<int64_t> value;
    if (until) value = ToDb(*until);
    CP_RETURN_IF_ERROR(s->Bind(1, value).Bind(2, user_id).Run());
    if (db.Changes() == 0) return Status::NotFound("no such user");
    return Status::Ok();
  });
}

}  // namespace cp::store::sqlite
