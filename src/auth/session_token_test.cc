#include "auth/session_token.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cp::auth {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(SessionTokenTest, MakesRandomTokenAndItsHash) {
  SeededRandom random(7);
  NewSessionToken a = MakeSessionToken(random);
  EXPECT_EQ(a.token.size(), 43u);
  Result<std::string> raw = crypto::Base64UrlDecode(a.token);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), 32u);
  EXPECT_EQ(a.token_hash, crypto::HexEncode(crypto::Sha256(a.token)));
  EXPECT_EQ(a.token_hash.size(), 64u);
  EXPECT_EQ(HashSessionToken(a.token), a.token_hash);
  std::set<std::string> seen{a.token};
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(seen.insert(MakeSessionToken(random).token).second);
  SeededRandom same(7);
  EXPECT_EQ(MakeSessionToken(same).token, a.token);
}

TEST(SessionTokenTest, HashIsLowerHexSha256) {
  EXPECT_EQ(HashSessionToken("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(HashSessionToken("abc"), HashSessionToken("abd"));
}

class SessionTimeoutsTest : public ::testing::Test {
 protected:
  FakeClock clock_{FromUnixSeconds(1700000000)};
  SessionTimeouts timeouts_;
  const TimePoint created_ = clock_.Now();
};

TEST_F(SessionTimeoutsTest, IdleBoundary) {
  const TimePoint last_seen = created_ + minutes(30);
  clock_.Set(last_seen + minutes(14) + seconds(59));
  EXPECT_EQ(timeouts_.Evaluate(created_, last_seen, clock_.Now()), SessionState::kActive);
  clock_.Set(last_seen + minutes(15) - Duration(1));
  EXPECT_EQ(timeouts_.Evaluate(created_, last_seen, clock_.Now()), SessionState::kActive);
  clock_.Set(last_seen + minutes(15));
  EXPECT_EQ(timeouts_.Evaluate(created_, last_seen, clock_.Now()), SessionState::kIdleExpired);
  EXPECT_EQ(timeouts_.IdleDeadline(last_seen), last_seen + minutes(15));
}

TEST_F(SessionTimeoutsTest, AbsoluteBoundary) {
  clock_.Set(created_ + hours(11) + minutes(59) + seconds(59));
  const TimePoint last_seen = clock_.Now() - seconds(1);  // Busy right up to the end.
  EXPECT_EQ(timeouts_.Evaluate(created_, last_seen, clock_.Now()), SessionState::kActive);
  clock_.Set(created_ + hours(12));
  EXPECT_EQ(timeouts_.Evaluate(created_, last_seen, clock_.Now()), SessionState::kAbsoluteExpired);
  EXPECT_EQ(timeouts_.AbsoluteDeadline(created_), created_ + hours(12));
  // Absolute expiry takes precedence over idle expiry.
  EXPECT_EQ(timeouts_.Evaluate(created_, created_, created_ + hours(13)),
            SessionState::kAbsoluteExpired);
}

TEST_F(SessionTimeoutsTest, ExpiresAtIsTheEarlierDeadline) {
  EXPECT_EQ(timeouts_.ExpiresAt(created_, created_ + hours(1)), created_ + hours(1) + minutes(15));
  EXPECT_EQ(timeouts_.ExpiresAt(created_, created_ + hours(11) + minutes(50)),
            created_ + hours(12));
}

TEST_F(SessionTimeoutsTest, WarnsTwoMinutesBeforeExpiry) {
  const TimePoint last_seen = created_ + hours(1);
  EXPECT_FALSE(timeouts_.ShouldWarn(created_, last_seen, last_seen));
  EXPECT_FALSE(timeouts_.ShouldWarn(created_, last_seen, last_seen + minutes(13) - Duration(1)));
  EXPECT_TRUE(timeouts_.ShouldWarn(created_, last_seen, last_seen + minutes(13)));
  EXPECT_TRUE(timeouts_.ShouldWarn(created_, last_seen, last_seen + minutes(15) - Duration(1)));
  EXPECT_FALSE(timeouts_.ShouldWarn(created_, last_seen, last_seen + minutes(15)));  // Expired.
  // Near the absolute limit the warning comes before the idle deadline.
  const TimePoint busy = created_ + hours(11) + minutes(57);
  EXPECT_FALSE(timeouts_.ShouldWarn(created_, busy, busy));
  EXPECT_TRUE(timeouts_.ShouldWarn(created_, busy, busy + minutes(1)));
}

TEST_F(SessionTimeoutsTest, CustomPolicy) {
  SessionTimeouts custom(minutes(5), hours(1), seconds(30));
  EXPECT_EQ(custom.Evaluate(created_, created_, created_ + minutes(5)), SessionState::kIdleExpired);
  EXPECT_EQ(custom.Evaluate(created_, created_ + minutes(58), created_ + hours(1)),
            SessionState::kAbsoluteExpired);
  EXPECT_TRUE(custom.ShouldWarn(created_, created_, created_ + minutes(4) + seconds(30)));
  EXPECT_EQ(SessionTimeouts().idle(), minutes(15));
  EXPECT_EQ(SessionTimeouts().absolute(), hours(12));
  EXPECT_EQ(SessionTimeouts().warning(), minutes(2));
}

}  // namespace
}  // namespace cp::auth
