// Backend-neutral storage of subject access request cases (domain/dsar.h). Thread-safe.
// Unavailable means the store could not be reached or written: callers fail closed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/dsar.h"

namespace cp::store {

class DsarStore {
 public:
  virtual ~DsarStore() = default;
  // Inserts `c` (its id and reference are ignored), assigns the reference
  // DsarReference(received_on, id) and returns the stored case.
  virtual Result<domain::DsarCase> Create(const domain::DsarCase& c) = 0;
  // Replaces the mutable state (status, dates) of case `c.id` if its status is still
  // `expected`: Conflict otherwise; NotFound if absent.
  virtual Status Update(const domain::DsarCase& c, domain::DsarStatus expected) = 0;
  virtual Result<domain::DsarCase> Get(int64_t id) = 0;
  virtual Result<domain::DsarCase> GetByReference(const std::string& reference) = 0;
  // The cases of one authority, newest first.
  virtual Result<std::vector<domain::DsarCase>> List(const std::string& authority) = 0;
};

}  // namespace cp::store
