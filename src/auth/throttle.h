// LoginThrottle: in-memory limits on failed sign-in attempts.
//
// Rules (each number is a field of LoginThrottleConfig):
//   - Per client address: at most `address_failure_limit` (20) failures in any sliding window
//     of `address_window` (15 min). Once an address has that many failures inside the window,
//     CheckAllowed refuses it (ResourceExhausted) until the oldest of them is older than the
//     window.
//   - Per account: `account_lock_threshold` (5) consecutive failures lock the account. The
//     failure that reaches the threshold returns lock_account = true; the caller persists the
//     lock (this class does not), and CheckAllowed also refuses the account from then on as a
//     second line of defence. A success, or ResetAccount (call it when an administrator
//     unlocks the account), clears the account's counter.
//
// Usage, per sign-in attempt:
//   1. CheckAllowed(account, address); if not OK, refuse without checking the credentials
//      and without calling RecordFailure.
//   2. Check the credentials, then call RecordFailure or RecordSuccess.
//
// Callers normalise keys: the account as it is stored (e.g. the lower-cased username), the
// address as the client's IP address (for IPv6, consider passing the /64 prefix, since one
// client usually controls a whole /64).
//
// Memory is bounded: at most `max_tracked_addresses` addresses and `max_tracked_accounts`
// accounts are remembered; when full, the least recently failed entry is forgotten. Keys
// longer than 128 bytes are stored as their SHA-256. Forgetting an account's counter under
// memory pressure loses at most 4 counted failures; the address limit still applies.
//
// Thread-safe. The clock is not owned and must outlive the throttle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/status.h"

namespace cp::auth {

// All limits must be >= 1 and the window positive.
struct LoginThrottleConfig {
  int address_failure_limit = 20;
  Duration address_window = std::chrono::minutes(15);
  int account_lock_threshold = 5;
  size_t max_tracked_addresses = 100000;
  size_t max_tracked_accounts = 100000;
};

struct FailureOutcome {
  // True exactly when this failure brought the account's consecutive failures to the lock
  // threshold: the caller must now lock the account.
  bool lock_account = false;
  // The account's consecutive failures, including this one.
  int consecutive_account_failures = 0;
  // The address has now reached its limit; its next attempt will be refused.
  bool address_blocked = false;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(const Clock& clock, LoginThrottleConfig config = {});
  LoginThrottle(const LoginThrottle&) = delete;
  LoginThrottle& operator=(const LoginThrottle&) = delete;

  // OK, or ResourceExhausted if the address is over its limit or the account has reached the
  // lock threshold. The message is generic and does not say which.
  Status CheckAllowed(std::string_view account, std::string_view address) const;

  // Counts a failed attempt (wrong password, wrong code, unknown account) against both keys.
  // Either key may be empty, in which case it is not counted.
  FailureOutcome RecordFailure(std::string_view account, std::string_view address);

  // Clears the account's consecutive-failure counter. The address's failures still count:
  // a success on one account does not excuse guessing on others.
  void RecordSuccess(std::string_view account);

  // Clears the account's counter (an administrator unlocked it).
  void ResetAccount(std::string_view account);

  // For tests and monitoring.
  size_t tracked_addresses() const;
  size_t tracked_accounts() const;

 private:
  // A map from key to value with least-recently-touched eviction.
  template <typename Value>
  class BoundedMap {
   public:
    explicit BoundedMap(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
    Value* Find(const std::string& key);
    const Value* Find(const std::string& key) const;
    // Finds or inserts `key` and marks it most recently touched, evicting the least recently
    // touched entry if full.
    Value& Touch(const std::string& key);
    void Erase(const std::string& key);
    size_t size() const { return index_.size(); }

   private:
    struct Entry {
      std::string key;
      Value value;
    };
    size_t capacity_;
    std::list<Entry> order_;  // Front = most recently touched.
    std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
  };

  static std::string Key(std::string_view raw);
  bool AddressBlocked(const std::deque<TimePoint>& failures, TimePoint now) const;

  const Clock& clock_;
  const LoginThrottleConfig config_;
  mutable std::mutex mu_;
  BoundedMap<std::deque<TimePoint>> addresses_;  // Guarded by mu_. Oldest failure first.
  BoundedMap<int> accounts_;                     // Guarded by mu_.
};

}  // namespace cp::auth
