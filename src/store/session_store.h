// Backend-neutral storage of sessions. Thread-safe. Unavailable means the store could not be
// reached or written: callers fail closed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "domain/session.h"

namespace cp::store {

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual Status Create(const domain::Session& session) = 0;
  // NotFound if there is no session with that token hash.
  virtual Result<domain::Session> Get(const std::string& token_hash) = 0;
  virtual Status Touch(const std::string& token_hash, TimePoint last_seen) = 0;
  virtual Status SetStepUp(const std::string& token_hash, TimePoint at) = 0;
  virtual Status Delete(const std::string& token_hash) = 0;
  // Ends every session of a user (on disable, lock or password change).
  virtual Status DeleteForUser(int64_t user_id) = 0;
  // Removes sessions last seen before `cutoff`. Returns how many.
  virtual Result<int64_t> DeleteIdleBefore(TimePoint cutoff) = 0;
  // A value that differs whenever anything in the database holding this store may have
  // changed since it was last returned (a write by this process or any other), or nullopt
  // when the store cannot tell. Lets identity::SessionService skip re-reading a session, its
  // user and organisation while nothing changed (see SessionService::CachePrincipals).
  virtual std::optional<uint64_t> DatabaseChangeStamp() { return std::nullopt; }
};

}  // namespace cp::store
