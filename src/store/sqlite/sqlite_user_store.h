// UserStore on the main SQLite database. Thread-safe.
#pragma once

#include <memory>

#include "store/sqlite/connection.h"
#include "store/user_store.h"

namespace cp::store::sqlite {

class SqliteUserStore final : public UserStore {
 public:
  explicit SqliteUserStore(std::shared_ptr<SharedConnection> conn) : conn_(std::move(conn)) {}
  Result<int64_t> Create(const domain::User& user, const domain::Credentials& creds) override;
  Status UpdateProfile(const domain::User& user) override;
  Result<domain::User> Get(int64_t id) override;
  Result<domain::User> GetByUsername(const std::string& username) override;
  Result<std::vector<domain::User>> List() override;
  Result<domain::Credentials> GetCredentials(int64_t user_id) override;
  Status SetPassword(int64_t user_id, const std::string& password_hash, bool must_change) override;
  Status SetTotpSecret(int64_t user_id, const std::string& sealed_secret, bool enrolled) override;
  Result<bool> ClaimTotpStep(int64_t user_id, int64_t step) override;
  Status SetLockedUntil(int64_t user_id, std::optional<TimePoint> until) override;

 private:
  std::shared_ptr<SharedConnection> conn_;
};

}  // namespace cp::store::sqlite
