#include "auth/throttle.h"

#include <algorithm>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cp::auth {
namespace {
constexpr size_t kMaxKeyBytes = 128;
constexpr int kMaxCount = 1 << 30;
}  // namespace

template <typename Value>
Value* LoginThrottle::BoundedMap<Value>::Find(const std::string& key) {
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &it->second->value;
}

template <typename Value>
const Value* LoginThrottle::BoundedMap<Value>::Find(const std::string& key) const {
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &it->second->value;
}

template <typename Value>
Value& LoginThrottle::BoundedMap<Value>::Touch(const std::string& key) {
  auto it = index_.find(key);
  if (it != index_.end()) {
    order_.splice(order_.begin(), order_, it->second);
    return it->second->value;
  }
  while (index_.size() >= capacity_) {
    index_.erase(order_.back().key);
    order_.pop_back();
  }
  order_.push_front(Entry{key, Value{}});
  index_.emplace(key, order_.begin());
  return order_.front().value;
}

template <typename Value>
void LoginThrottle::BoundedMap<Value>::Erase(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return;
  order_.erase(it->second);
  index_.erase(it);
}

LoginThrottle::LoginThrottle(const Clock& clock, LoginThrottleConfig config)
    : clock_(clock),
      config_(config),
      addresses_(config.max_tracked_addresses),
      accounts_(config.max_tracked_accounts) {}

std::string LoginThrottle::Key(std::string_view raw) {
  if (raw.size() <= kMaxKeyBytes) return std::string(raw);
  return "sha256:" + crypto::HexEncode(crypto::Sha256(raw));
}

bool LoginThrottle::AddressBlocked(const std::deque<TimePoint>& failures, TimePoint now) const {
  if (config_.address_failure_limit <= 0) return true;
  if (failures.size() < static_cast<size_t>(config_.address_failure_limit)) return false;
  // The deque holds at most `limit` entries; the front is the oldest that still counts.
  return now - failures.front() < config_.address_window;
}

Status LoginThrottle::CheckAllowed(std::string_view account, std::string_view address) const {
  const TimePoint now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (!address.empty()) {
    const auto* failures = addresses_.Find(Key(address));
    if (failures != nullptr && AddressBlocked(*failures, now)) {
      return Status::ResourceExhausted("Too many failed sign-in attempts. Try again later.");
    }
  }
  if (!account.empty()) {
    const int* count = accounts_.Find(Key(account));
    if (count != nullptr && *count >= config_.account_lock_threshold) {
      return Status::ResourceExhausted("Too many failed sign-in attempts. Try again later.");
    }
  }
  return Status::Ok();
}

FailureOutcome LoginThrottle::RecordFailure(std::string_view account, std::string_view address) {
  const TimePoint now = clock_.Now();
  FailureOutcome outcome;
  std::lock_guard<std::mutex> lock(mu_);
  if (!address.empty()) {
    std::deque<TimePoint>& failures = addresses_.Touch(Key(address));
    // Forget failures that have left the window, and keep no more than the limit needs.
    while (!failures.empty() && now - failures.front() >= config_.address_window) {
      failures.pop_front();
    }
    failures.push_back(now);
    const size_t keep = static_cast<size_t>(std::max(config_.address_failure_limit, 1));
    while (failures.size() > keep) failures.pop_front();
    outcome.address_blocked = AddressBlocked(failures, now);
  }
  if (!account.empty()) {
    int& count = accounts_.Touch(Key(account));
    if (count < kMaxCount) ++count;
    outcome.consecutive_account_failures = count;
    // Only the failure that reaches the threshold asks for the lock; later ones (which a
    // caller that honours CheckAllowed does not make) do not repeat it.
    outcome.lock_account = count == config_.account_lock_threshold;
  }
  return outcome;
}

void LoginThrottle::RecordSuccess(std::string_view account) { ResetAccount(account); }

void LoginThrottle::ResetAccount(std::string_view account) {
  if (account.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  accounts_.Erase(Key(account));
}

size_t LoginThrottle::tracked_addresses() const {
  std::lock_guard<std::mutex> lock(mu_);
  return addresses_.size();
}

size_t LoginThrottle::tracked_accounts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return accounts_.size();
}

}  // namespace cp::auth
