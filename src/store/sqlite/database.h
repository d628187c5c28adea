// A thin, safe wrapper over one SQLite connection.
//
// Contract:
//  - Open() sets WAL journaling, synchronous=FULL (an acknowledged commit survives kill -9 and
//    power loss), foreign keys ON, and a busy timeout.
//  - Errors come back as Status: SQLITE_BUSY/LOCKED/IOERR/FULL/READONLY/CANTOPEN map to
//    Unavailable (fail closed: the caller refuses the action); constraint violations map to
//    AlreadyExists (UNIQUE) or FailedPrecondition (other constraints); anything else Internal.
//  - A Database is NOT thread-safe. Give each thread its own connection (see ConnectionPool)
//    or guard it with a mutex.
//  - Statement text is always a compile-time literal; values are bound, never spliced.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace cp::store::sqlite {

class Statement;

struct OpenOptions {
  std::chrono::milliseconds busy_timeout{5000};
  bool read_only = false;
  // WAL + synchronous=FULL by default. Tests of durability never turn this off.
  bool synchronous_full = true;
};

class Database {
 public:
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const OpenOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements with no parameters and no results (DDL, PRAGMA).
  Status Exec(std::string_view sql);
  // Prepares a statement. The Statement must not outlive this Database.
  Result<Statement> Prepare(std::string_view sql);
  // Prepares (once) and caches a statement by its text; resets it before returning.
  // The returned reference is valid until the Database is destroyed; do not use it from two
  // places at once.
  Result<Statement*> Cached(std::string_view sql);

  int64_t LastInsertRowId() const;
  int Changes() const;
  sqlite3* raw() { return db_; }
  const std::string& path() const { return path_; }

  // Maps the connection's last error (result code `rc`) to a Status.
  Status ErrorStatus(int rc, std::string_view context) const;

 private:
  Database(sqlite3* db, std::string path);
  sqlite3* db_;
  std::string path_;
  std::vector<std::pair<std::string, std::unique_ptr<Statement>>> cache_;
};

// A prepared statement. Bind indexes are 1-based; column indexes are 0-based.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    if (value.has_value()) return Bind(index, *value);
    return BindNull(index);
  }

  // Advances to the next row. Returns true if a row is available, false when done.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();
  // Resets for re-execution and clears bindings.
  void Reset();

  int64_t ColumnInt(int col) const;
  double ColumnDouble(int col) const;
  std::string ColumnText(int col) const;
  std::string ColumnBlob(int col) const;
  bool ColumnIsNull(int col) const;
  std::optional<std::string> ColumnOptionalText(int col) const;
  std::optional<int64_t> ColumnOptionalInt(int col) const;

 private:
  friend class Database;
  Statement(Database* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Database* db_;
  sqlite3_stmt* stmt_;
  Status bind_error_;
};

// RAII transaction: BEGIN IMMEDIATE on construction (takes the write lock up front so two
// writers never deadlock), ROLLBACK on destruction unless Commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
  bool done_ = false;
};

// One migration: `version` increases by one from 1; `sql` is applied in a transaction.
struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Applies, in order and each in its own transaction, every migration whose version is above
// PRAGMA user_version. Refuses (FailedPrecondition) a database newer than the code knows.
Status Migrate(Database& db, const std::vector<Migration>& migrations);

}  // namespace cp::store::sqlite
