// SessionStore on the main SQLite database. Thread-safe.
#pragma once

#include <memory>

#include "store/session_store.h"
#include "store/sqlite/connection.h"

namespace cp::store::sqlite {

class SqliteSessionStore final : public SessionStore {
 public:
  explicit SqliteSessionStore(std::shared_ptr<SharedConnection> conn) : conn_(std::move(conn)) {}
  Status Create(const domain::Session& session) override;
  Result<domain::Session> Get(const std::string& token_hash) override;
  Status Touch(const std::string& token_hash, TimePoint last_seen) override;
  Status SetStepUp(const std::string& token_hash, TimePoint at) override;
  Status Delete(const std::string& token_hash) override;
  Status DeleteForUser(int64_t user_id) override;
  Result<int64_t> DeleteIdleBefore(TimePoint cutoff) override;
  // Covers the whole database of `conn` (every store sharing it): PRAGMA data_version
  // (commits by other connections and processes) combined with this connection's own count
  // of changed rows. nullopt if it cannot be read.
  std::optional<uint64_t> DatabaseChangeStamp() override;

 private:
  std::shared_ptr<SharedConnection> conn_;
};

}  // namespace cp::store::sqlite
