// One SQLite connection shared by several store objects, serialised by a mutex.
//
// SQLite allows one writer at a time anyway; a single connection per process keeps the cached
// statements hot. Readers that need parallelism (the search index) keep their own data in
// memory. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "core/clock.h"
#include "store/sqlite/database.h"

namespace cp::store::sqlite {

class SharedConnection {
 public:
  explicit SharedConnection(std::unique_ptr<Database> db) : db_(std::move(db)) {}

  // Runs `fn(Database&)` holding the connection's lock and returns its result.
  template <typename Fn>
  auto With(Fn&& fn) {
    std::lock_guard<std::mutex> lock(mu_);
    return fn(*db_);
  }

 private:
  std::mutex mu_;
  std::unique_ptr<Database> db_;
};

// Opens (creating if needed) the main database at `path` and applies its migrations.
Result<std::shared_ptr<SharedConnection>> OpenMainDatabase(const std::string& path,
                                                           const OpenOptions& options = {});

// Time is stored as integer microseconds since the Unix epoch (UTC).
inline int64_t ToDb(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint TimeFromDb(int64_t v) { return TimePoint(Duration(v)); }

}  // namespace cp::store::sqlite
