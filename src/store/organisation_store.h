// Backend-neutral storage of organisations. Implementations: SQLite (store/sqlite), and later
// PostgreSQL. All methods are thread-safe. Unavailable means the store could not be reached or
// written: callers fail closed.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "domain/organisation.h"

namespace cp::store {

class OrganisationStore {
 public:
  virtual ~OrganisationStore() = default;
  // Inserts `org` (its id is ignored) and returns the new id. AlreadyExists if the code is taken.
  virtual Result<int64_t> Create(const domain::Organisation& org) = 0;
  // Replaces every field of the organisation with id `org.id`. NotFound if absent.
  virtual Status Update(const domain::Organisation& org) = 0;
  virtual Result<domain::Organisation> Get(int64_t id) = 0;
  virtual Result<domain::Organisation> GetByCode(const std::string& code) = 0;
  // Every organisation, ordered by code.
  virtual Result<std::vector<domain::Organisation>> List() = 0;
};

}  // namespace cp::store
