#include "store/sqlite/database.h"

#include <string>

namespace cp::store::sqlite {

Database::Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

Database::~Database() {
  cache_.clear();  // Finalize statements before closing.
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const OpenOptions& options) {
  sqlite3* raw = nullptr;
  int flags =
      SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI |
      (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close_v2(raw);
    return Status::Unavailable("cannot open database " + path);
  }
  std::unique_ptr<Database> db(new Database(raw, path));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, static_cast<int>(options.busy_timeout.count()));
  if (!options.read_only) {
    CP_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
  }
  CP_RETURN_IF_ERROR(
      db->Exec(options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  CP_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  CP_RETURN_IF_ERROR(db->Exec("PRAGMA secure_delete=ON"));
  return db;
}

Status Database::ErrorStatus(int rc, std::string_view context) const {
  std::string what = std::string(context) + ": " + sqlite3_errstr(rc);
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_NOMEM:
      return Status::Unavailable(what);
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Status::AlreadyExists(what);
      }
      return Status::FailedPrecondition(what);
    default:
      return Status::Internal(what + " (" + sqlite3_errmsg(db_) + ")");
  }
}

Status Database::Exec(std::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus(rc, "exec");
  return Status::Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus(rc, "prepare");
  return Statement(this, stmt);
}

Result<Statement*> Database::Cached(std::string_view sql) {
  for (auto& [text, stmt] : cache_) {
    if (text == sql) {
      stmt->Reset();
      return stmt.get();
    }
  }
  CP_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
  cache_.emplace_back(std::string(sql), std::make_unique<Statement>(std::move(stmt)));
  return cache_.back().second.get();
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
int Database::Changes() const { return sqlite3_changes(db_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), bind_error_(std::move(other.bind_error_)) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    bind_error_ = std::move(other.bind_error_);
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

namespace {
Status BindResult(Database* db, int rc) {
  return rc == SQLITE_OK ? Status::Ok() : db->ErrorStatus(rc, "bind");
}
}  // namespace

Statement& Statement::Bind(int index, int64_t value) {
  if (bind_error_.ok()) bind_error_ = BindResult(db_, sqlite3_bind_int64(stmt_, index, value));
  return *this;
}
Statement& Statement::Bind(int index, double value) {
  if (bind_error_.ok()) bind_error_ = BindResult(db_, sqlite3_bind_double(stmt_, index, value));
  return *this;
}
Statement& Statement::Bind(int index, std::string_view text) {
  if (bind_error_.ok()) {
    bind_error_ =
        BindResult(db_, sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                          SQLITE_TRANSIENT));
  }
  return *this;
}
Statement& Statement::BindBlob(int index, std::string_view bytes) {
  if (bind_error_.ok()) {
    bind_error_ =
        BindResult(db_, sqlite3_bind_blob(stmt_, index, bytes.data(),
                                          static_cast<int>(bytes.size()), SQLITE_TRANSIENT));
  }
  return *this;
}
Statement& Statement::BindNull(int index) {
  if (bind_error_.ok()) bind_error_ = BindResult(db_, sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> Statement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status error = db_->ErrorStatus(rc, "step");
  sqlite3_reset(stmt_);
  return error;
}

Status Statement::Run() {
  CP_ASSIGN_OR_RETURN(bool row, Step());
  (void)row;
  sqlite3_reset(stmt_);
  return Status::Ok();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = Status::Ok();
}

int64_t Statement::ColumnInt(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::ColumnDouble(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Statement::ColumnText(int col) const {
  const auto* text = sqlite3_column_text(stmt_, col);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}
std::string Statement::ColumnBlob(int col) const {
  const void* blob = sqlite3_column_blob(stmt_, col);
  if (blob == nullptr) return {};
  return std::string(static_cast<const char*>(blob),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}
bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
std::optional<std::string> Statement::ColumnOptionalText(int col) const {
  if (ColumnIsNull(col)) return std::nullopt;
  return ColumnText(col);
}
std::optional<int64_t> Statement::ColumnOptionalInt(int col) const {
  if (ColumnIsNull(col)) return std::nullopt;
  return ColumnInt(col);
}

Result<Transaction> Transaction::Begin(Database& db) {
  CP_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(other.db_), done_(other.done_) {
  other.done_ = true;
}

Transaction::~Transaction() {
  if (!done_) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Status s = db_->Exec("COMMIT");
  if (s.ok()) done_ = true;
  return s;
}

Status Migrate(Database& db, const std::vector<Migration>& migrations) {
  CP_ASSIGN_OR_RETURN(Statement version_stmt, db.Prepare("PRAGMA user_version"));
  CP_ASSIGN_OR_RETURN(bool has_row, version_stmt.Step());
  int64_t current = has_row ? version_stmt.ColumnInt(0) : 0;
  version_stmt.Reset();
  int64_t known = migrations.empty() ? 0 : migrations.back().version;
  if (current > known) {
    return Status::FailedPrecondition("database schema version " + std::to_string(current) +
                                      " is newer than this program knows (" +
                                      std::to_string(known) + ")");
  }
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    if (m.version != current + 1) {
      return Status::Internal("migrations must be numbered consecutively");
    }
    CP_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    // Re-read under the write lock: another process (a server and `contactpoint import`
    // starting together) may have applied this migration since the check above.
    CP_ASSIGN_OR_RETURN(Statement again, db.Prepare("PRAGMA user_version"));
    CP_ASSIGN_OR_RETURN(bool again_row, again.Step());
    const int64_t now_current = again_row ? again.ColumnInt(0) : 0;
    again.Reset();
    if (now_current >= m.version) {
      current = now_current;
      continue;  // The transaction rolls back; nothing was changed.
    }
    CP_RETURN_IF_ERROR(db.Exec(m.sql));
    CP_RETURN_IF_ERROR(db.Exec("PRAGMA user_version=" + std::to_string(m.version)));
    CP_RETURN_IF_ERROR(tx.Commit());
    current = m.version;
  }
  return Status::Ok();
}

}  // namespace cp::store::sqlite
