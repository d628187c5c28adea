#include "store/sqlite/sqlite_session_store.h"

#include <sqlite3.h>

namespace cp::store::sqlite {
namespace {

// Runs a statement that changes rows; returns the number changed.
Result<int64_t> Change(Database& db, std::string_view sql, auto bind) {
  CP_ASSIGN_OR_RETURN(Statement * s, db.Cached(sql));
  bind(*s);
  CP_RETURN_IF_ERROR(s->Run());
  return static_cast<int64_t>(db.Changes());
}

}  // namespace

Status SqliteSessionStore::Create(const domain::Session& session) {
  return conn_->With([&](Database& db) -> Status {
    std::optional<int64_t> step_up;
    if (session.step_up_at) step_up = ToDb(*session.step_up_at);
    return Change(db,
                  "INSERT INTO session(token_hash, user_id, created_at, last_seen_at, csrf_token,"
                  " step_up_at, client_address, stage) VALUES (?,?,?,?,?,?,?,?)",
                  [&](Statement& s) {
                    s.Bind(1, session.token_hash)
                        .Bind(2, session.user_id)
                        .Bind(3, ToDb(session.created_at))
                        .Bind(4, ToDb(session.last_seen_at))
                        .Bind(5, session.csrf_token)
                        .Bind(6, step_up)
                        .Bind(7, session.client_address)
                        .Bind(8, static_cast<int>(session.stage));
                  })
        .status();
  });
}

Result<domain::Session> SqliteSessionStore::Get(const std::string& token_hash) {
  return conn_->With([&](Database& db) -> Result<domain::Session> {
    CP_ASSIGN_OR_RETURN(Statement * s,
                        db.Cached("SELECT token_hash, user_id, created_at, last_seen_at,"
                                  " csrf_token, step_up_at, client_address, stage FROM session"
                                  " WHERE token_hash=?"));
    s->Bind(1, token_hash);
    CP_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::NotFound("no such session");
    domain::Session out;
    out.token_hash = s->ColumnText(0);
    out.user_id = s->ColumnInt(1);
    out.created_at = TimeFromDb(s->ColumnInt(2));
    out.last_seen_at = TimeFromDb(s->ColumnInt(3));
    out.csrf_token = s->ColumnText(4);
    if (auto step_up = s->ColumnOptionalInt(5)) out.step_up_at = TimeFromDb(*step_up);
    out.client_address = s->ColumnText(6);
    out.stage =
        s->ColumnInt(7) == 0 ? domain::SessionStage::kFull : domain::SessionStage::kEnrolment;
    s->Reset();
    return out;
  });
}

Status SqliteSessionStore::Touch(const std::string& token_hash, TimePoint last_seen) {
  return conn_->With([&](Database& db) -> Status {
    return Change(db, "UPDATE session SET last_seen_at=? WHERE token_hash=?",
                  [&](Statement& s) { s.Bind(1, ToDb(last_seen)).Bind(2, token_hash); })
        .status();
  });
}

Status SqliteSessionStore::SetStepUp(const std::string& token_hash, TimePoint at) {
  return conn_->With([&](Database& db) -> Status {
    return Change(db, "UPDATE session SET step_up_at=? WHERE token_hash=?",
                  [&](Statement& s) { s.Bind(1, ToDb(at)).Bind(2, token_hash); })
        .status();
  });
}

Status SqliteSessionStore::Delete(const std::string& token_hash) {
  return conn_->With([&](Database& db) -> Status {
    return Change(db, "DELETE FROM session WHERE token_hash=?",
                  [&](Statement& s) { s.Bind(1, token_hash); })
        .status();
  });
}

Status SqliteSessionStore::DeleteForUser(int64_t user_id) {
  return conn_->With([&](Database& db) -> Status {
    return Change(db, "DELETE FROM session WHERE user_id=?",
                  [&](Statement& s) { s.Bind(1, user_id); })
        .status();
  });
}

Result<int64_t> SqliteSessionStore::DeleteIdleBefore(TimePoint cutoff) {
  return conn_->With([&](Database& db) {
    return Change(db, "DELETE FROM session WHERE last_seen_at<?",
                  [&](Statement& s) { s.Bind(1, ToDb(cutoff)); });
  });
}

std::optional<uint64_t> SqliteSessionStore::DatabaseChangeStamp() {
  return conn_->With([&](Database& db) -> std::optional<uint64_t> {
    auto s = db.Cached("PRAGMA data_version");
    if (!s.ok()) return std::nullopt;
    auto row = (*s)->Step();
    if (!row.ok() || !*row) {
      (*s)->Reset();
      return std::nullopt;
    }
    const auto version = static_cast<uint64_t>((*s)->ColumnInt(0));
    (*s)->Reset();
    const auto own = static_cast<uint64_t>(sqlite3_total_changes64(db.raw()));
    return (version << 40) ^ own;
  });
}

}  // namespace cp::store::sqlite
