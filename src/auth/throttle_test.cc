#include "auth/throttle.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace cp::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class LoginThrottleTest : public ::testing::Test {
 protected:
  FakeClock clock_{FromUnixSeconds(1700000000)};
};

TEST_F(LoginThrottleTest, LocksAccountOnFifthConsecutiveFailure) {
  LoginThrottle throttle(clock_);
  for (int i = 1; i <= 4; ++i) {
    ASSERT_TRUE(throttle.CheckAllowed("alice", "10.0.0.1").ok());
    FailureOutcome outcome = throttle.RecordFailure("alice", "10.0.0.1");
    EXPECT_FALSE(outcome.lock_account) << i;
    EXPECT_EQ(outcome.consecutive_account_failures, i);
  }
  ASSERT_TRUE(throttle.CheckAllowed("alice", "10.0.0.1").ok());
  FailureOutcome fifth = throttle.RecordFailure("alice", "10.0.0.1");
  EXPECT_TRUE(fifth.lock_account);
  EXPECT_EQ(fifth.consecutive_account_failures, 5);
  // Refused from any address, and the time passing does not unlock it.
  clock_.Advance(std::chrono::hours(48));
  EXPECT_EQ(throttle.CheckAllowed("alice", "192.0.2.7").code(), StatusCode::kResourceExhausted);
  // A later failure does not ask to lock again.
  EXPECT_FALSE(throttle.RecordFailure("alice", "192.0.2.7").lock_account);
  // Other accounts are unaffected.
  EXPECT_TRUE(throttle.CheckAllowed("bob", "10.0.0.1").ok());
  // An administrator unlocks it.
  throttle.ResetAccount("alice");
  EXPECT_TRUE(throttle.CheckAllowed("alice", "10.0.0.1").ok());
  EXPECT_EQ(throttle.RecordFailure("alice", "10.0.0.1").consecutive_account_failures, 1);
}

TEST_F(LoginThrottleTest, SuccessResetsAccountCounter) {
  LoginThrottle throttle(clock_);
  for (int i = 0; i < 4; ++i) throttle.RecordFailure("alice", "10.0.0.1");
  throttle.RecordSuccess("alice");
  for (int i = 1; i <= 4; ++i) {
    EXPECT_FALSE(throttle.RecordFailure("alice", "10.0.0.1").lock_account);
  }
  EXPECT_TRUE(throttle.RecordFailure("alice", "10.0.0.1").lock_account);
}

TEST_F(LoginThrottleTest, AddressRefusedAfterTwentyFailuresInWindow) {
  LoginThrottle throttle(clock_);
  // 20 failures spread over just under 15 minutes, each against a different account.
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(throttle.CheckAllowed("user" + std::to_string(i), "203.0.113.9").ok()) << i;
    FailureOutcome outcome = throttle.RecordFailure("user" + std::to_string(i), "203.0.113.9");
    EXPECT_EQ(outcome.address_blocked, i == 19) << i;
    EXPECT_FALSE(outcome.lock_account);
    if (i < 19) clock_.Advance(seconds(47));  // 19 * 47 s = 14 min 53 s.
  }
  Status refused = throttle.CheckAllowed("someone-else", "203.0.113.9");
  EXPECT_EQ(refused.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(throttle.CheckAllowed("someone-else", "203.0.113.10").ok());
  // The first failure leaves the window exactly 15 minutes after it happened.
  clock_.Advance(seconds(6));  // 14:59 after the first failure.
  EXPECT_FALSE(throttle.CheckAllowed("x", "203.0.113.9").ok());
  clock_.Advance(seconds(1));  // 15:00.
  EXPECT_TRUE(throttle.CheckAllowed("x", "203.0.113.9").ok());
  // One more failure fills the window again (the second failure is still inside it).
  EXPECT_TRUE(throttle.RecordFailure("x", "203.0.113.9").address_blocked);
  EXPECT_FALSE(throttle.CheckAllowed("x", "203.0.113.9").ok());
  // Sliding: 47 s later the second failure has left the window.
  clock_.Advance(seconds(47));
  EXPECT_TRUE(throttle.CheckAllowed("x", "203.0.113.9").ok());
}

TEST_F(LoginThrottleTest, SlowFailuresNeverBlockAddress) {
  LoginThrottle throttle(clock_);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(throttle.CheckAllowed("", "198.51.100.1").ok()) << i;
    EXPECT_FALSE(throttle.RecordFailure("", "198.51.100.1").address_blocked);
    clock_.Advance(minutes(1));  // 15 failures per window at most.
  }
  EXPECT_EQ(throttle.tracked_accounts(), 0u);  // Empty account keys are not counted.
}

TEST_F(LoginThrottleTest, SuccessDoesNotClearAddressFailures) {
  LoginThrottle throttle(clock_);
  for (int i = 0; i < 20; ++i) throttle.RecordFailure("user" + std::to_string(i % 3), "a");
  throttle.RecordSuccess("user0");
  EXPECT_FALSE(throttle.CheckAllowed("user0", "a").ok());
}

TEST_F(LoginThrottleTest, ConfigurationIsHonoured) {
  LoginThrottleConfig config;
  config.address_failure_limit = 3;
  config.address_window = minutes(1);
  config.account_lock_threshold = 2;
  LoginThrottle throttle(clock_, config);
  EXPECT_FALSE(throttle.RecordFailure("a", "ip").lock_account);
  EXPECT_TRUE(throttle.RecordFailure("a", "ip").lock_account);
  EXPECT_TRUE(throttle.RecordFailure("b", "ip").address_blocked);
  EXPECT_FALSE(throttle.CheckAllowed("c", "ip").ok());
  clock_.Advance(minutes(1));
  EXPECT_TRUE(throttle.CheckAllowed("c", "ip").ok());
}

TEST_F(LoginThrottleTest, MemoryIsBounded) {
  LoginThrottleConfig config;
  config.max_tracked_addresses = 50;
  config.max_tracked_accounts = 40;
  LoginThrottle throttle(clock_, config);
  for (int i = 0; i < 10000; ++i) {
    throttle.RecordFailure("account" + std::to_string(i), "ip" + std::to_string(i));
  }
  EXPECT_EQ(throttle.tracked_addresses(), 50u);
  EXPECT_EQ(throttle.tracked_accounts(), 40u);
  // Huge keys are stored hashed, and still counted.
  const std::string huge(100000, 'k');
  for (int i = 0; i < 4; ++i) throttle.RecordFailure(huge, "ip");
  EXPECT_TRUE(throttle.RecordFailure(huge, "ip").lock_account);
  EXPECT_FALSE(throttle.CheckAllowed(huge, "other").ok());
  EXPECT_TRUE(throttle.CheckAllowed(huge + "x", "other").ok());
}

TEST_F(LoginThrottleTest, EvictsLeastRecentlyFailed) {
  LoginThrottleConfig config;
  config.max_tracked_accounts = 2;
  config.account_lock_threshold = 2;
  LoginThrottle throttle(clock_, config);
  throttle.RecordFailure("old", "");
  throttle.RecordFailure("mid", "");
  throttle.RecordFailure("old", "");  // "old" is now the most recent; locked.
  throttle.RecordFailure("new", "");  // Evicts "mid".
  EXPECT_FALSE(throttle.CheckAllowed("old", "").ok());
  EXPECT_EQ(throttle.RecordFailure("mid", "").consecutive_account_failures, 1);
}

TEST_F(LoginThrottleTest, ThreadSafe) {
  LoginThrottleConfig config;
  config.account_lock_threshold = 1000000;
  LoginThrottle throttle(clock_, config);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&throttle] {
      for (int i = 0; i < 1000; ++i) {
        (void)throttle.CheckAllowed("shared", "ip");
        throttle.RecordFailure("shared", "ip");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(throttle.RecordFailure("shared", "ip").consecutive_account_failures, 4001);
}

}  // namespace
}  // namespace cp::auth
