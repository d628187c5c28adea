// DsarStore on the main SQLite database (table `dsar_case`). Thread-safe.
#pragma once

#include <memory>

#include "store/dsar_store.h"
#include "store/sqlite/connection.h"

namespace cp::store::sqlite {

class SqliteDsarStore final : public DsarStore {
 public:
  explicit SqliteDsarStore(std::shared_ptr<SharedConnection> conn) : conn_(std::move(conn)) {}
  Result<domain::DsarCase> Create(const domain::DsarCase& c) override;
  Status Update(const domain::DsarCase& c, domain::DsarStatus expected) override;
  Result<domain::DsarCase> Get(int64_t id) override;
  Result<domain::DsarCase> GetByReference(const std::string& reference) override;
  Result<std::vector<domain::DsarCase>> List(const std::string& authority) override;

 private:
  std::shared_ptr<SharedConnection> conn_;
};

}  // namespace cp::store::sqlite
