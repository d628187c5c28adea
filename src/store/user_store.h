// Backend-neutral storage of users and their credentials. Thread-safe. Unavailable means the
// store could not be reached or written: callers fail closed.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "domain/user.h"

namespace cp::store {

class UserStore {
 public:
  virtual ~UserStore() = default;
  // Inserts the profile and credentials; returns the new id. AlreadyExists (field "username")
  // if the username is taken. FailedPrecondition if the organisation does not exist.
  virtual Result<int64_t> Create(const domain::User& user, const domain::Credentials& creds) = 0;
  // Replaces the profile (not the credentials) if `user.version` still matches the stored
  // version, then increments the version. Conflict if someone else changed it first.
  virtual Status UpdateProfile(const domain::User& user) = 0;
  virtual Result<domain::User> Get(int64_t id) = 0;
  virtual Result<domain::User> GetByUsername(const std::string& username) = 0;
  // Every user, ordered by username (profiles only).
  virtual Result<std::vector<domain::User>> List() = 0;

  virtual Result<domain::Credentials> GetCredentials(int64_t user_id) = 0;
  virtual Status SetPassword(int64_t user_id, const std::string& password_hash,
                             bool must_change) = 0;
  virtual Status SetTotpSecret(int64_t user_id, const std::string& sealed_secret,
                               bool enrolled) = 0;
  // Atomically records `step` as the last accepted TOTP step if it is greater than the stored
  // one. Returns true if recorded, false if the step was already used (a replay), so that two
  // concurrent sign-ins with one code cannot both succeed.
  virtual Result<bool> ClaimTotpStep(int64_t user_id, int64_t step) = 0;
  // Sets or clears the lock.
  virtual Status SetLockedUntil(int64_t user_id, std::optional<TimePoint> until) = 0;
};

}  // namespace cp::store
