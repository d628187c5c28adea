// OrganisationStore on the main SQLite database. Thread-safe.
#pragma once

#include <memory>

#include "store/organisation_store.h"
#include "store/sqlite/connection.h"

namespace cp::store::sqlite {

class SqliteOrganisationStore final : public OrganisationStore {
 public:
  explicit SqliteOrganisationStore(std::shared_ptr<SharedConnection> conn)
      : conn_(std::move(conn)) {}
  Result<int64_t> Create(const domain::Organisation& org) override;
  Status Update(const domain::Organisation& org) override;
  Result<domain::Organisation> Get(int64_t id) override;
  Result<domain::Organisation> GetByCode(const std::string& code) override;
  Result<std::vector<domain::Organisation>> List() override;

 private:
  std::shared_ptr<SharedConnection> conn_;
};

}  // namespace cp::store::sqlite
