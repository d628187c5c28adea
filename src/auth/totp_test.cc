#include "auth/totp.h"

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace cp::auth {
namespace {

constexpr std::string_view kRfcKey = "12345678901234567890";

TEST(HotpTest, Rfc4226AppendixDVectors) {
  const char* const expected[] = {"755224", "287082", "359152", "969429", "338314",
                                  "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(Hotp(kRfcKey, counter), expected[counter]) << "counter " << counter;
  }
}

TEST(HotpTest, ZeroPadsShortValues) {
  // RFC 6238's vector at T=1111111109 has a leading zero in 8 digits.
  EXPECT_EQ(Hotp(kRfcKey, 1111111109 / 30, 8), "07081804");
  EXPECT_EQ(Hotp(kRfcKey, 0, 8).size(), 8u);
  EXPECT_EQ(Hotp(kRfcKey, 0, 1).size(), 1u);
}

TEST(TotpTest, Rfc6238Sha1Vectors) {
  struct Vector {
    int64_t unix_seconds;
    const char* code;
  };
  const Vector vectors[] = {{59, "94287082"},         {1111111109, "07081804"},
                            {1111111111, "14050471"}, {1234567890, "89005924"},
                            {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const Vector& v : vectors) {
    EXPECT_EQ(Totp(kRfcKey, FromUnixSeconds(v.unix_seconds), 8), v.code) << v.unix_seconds;
    // The 6-digit code is the last six digits of the 8-digit one.
    EXPECT_EQ(Totp(kRfcKey, FromUnixSeconds(v.unix_seconds)), std::string(v.code).substr(2));
  }
}

TEST(TotpTest, StepBoundaries) {
  EXPECT_EQ(TotpStep(FromUnixSeconds(0)), 0);
  EXPECT_EQ(TotpStep(FromUnixSeconds(29)), 0);
  EXPECT_EQ(TotpStep(FromUnixSeconds(30)), 1);
  EXPECT_EQ(TotpStep(FromUnixSeconds(30) - Duration(1)), 0);
  EXPECT_EQ(TotpStep(FromUnixSeconds(-1)), -1);
  EXPECT_EQ(Totp(kRfcKey, FromUnixSeconds(-1)), "");
}

TEST(TotpTest, NormalizesCodes) {
  EXPECT_EQ(NormalizeTotpCode("123456"), "123456");
  EXPECT_EQ(NormalizeTotpCode("123 456"), "123456");
  EXPECT_EQ(NormalizeTotpCode(" 123456\t"), "123456");
  EXPECT_EQ(NormalizeTotpCode("12345"), std::nullopt);
  EXPECT_EQ(NormalizeTotpCode("1234567"), std::nullopt);
  EXPECT_EQ(NormalizeTotpCode("12345a"), std::nullopt);
  EXPECT_EQ(NormalizeTotpCode("123-456"), std::nullopt);
  EXPECT_EQ(NormalizeTotpCode(""), std::nullopt);
  EXPECT_EQ(NormalizeTotpCode("１２３４５６"), std::nullopt);  // Full-width digits.
  EXPECT_EQ(NormalizeTotpCode(std::string_view("123\0"
                                               "456",
                                               7)),
            std::nullopt);
}

class TotpVerifyTest : public ::testing::Test {
 protected:
  // An arbitrary instant in the middle of a step.
  const TimePoint now_ = FromUnixSeconds(1700000000 + 7);
  const int64_t step_ = TotpStep(now_);
  std::string CodeAt(int64_t step) { return Hotp(kRfcKey, static_cast<uint64_t>(step)); }
};

TEST_F(TotpVerifyTest, AcceptsCurrentAndAdjacentSteps) {
  for (int64_t delta : {-1, 0, 1}) {
    TotpCheck check = VerifyTotp(kRfcKey, CodeAt(step_ + delta), now_, -1);
    EXPECT_TRUE(check.accepted) << delta;
    EXPECT_FALSE(check.replay);
    EXPECT_EQ(check.step, step_ + delta);
    EXPECT_EQ(MatchTotpStep(kRfcKey, CodeAt(step_ + delta), now_), step_ + delta);
  }
}

TEST_F(TotpVerifyTest, RefusesStepsFurtherAway) {
  for (int64_t delta : {-3, -2, 2, 3}) {
    TotpCheck check = VerifyTotp(kRfcKey, CodeAt(step_ + delta), now_, -1);
    EXPECT_FALSE(check.accepted) << delta;
    EXPECT_FALSE(check.replay);
    EXPECT_EQ(check.step, -1);
    EXPECT_EQ(MatchTotpStep(kRfcKey, CodeAt(step_ + delta), now_), std::nullopt);
  }
}

TEST_F(TotpVerifyTest, AcceptsPastedCodeWithSpace) {
  std::string code = CodeAt(step_);
  code.insert(3, " ");
  EXPECT_TRUE(VerifyTotp(kRfcKey, code, now_, -1).accepted);
}

TEST_F(TotpVerifyTest, RefusesWrongKeyAndMalformedCode) {
  EXPECT_FALSE(VerifyTotp("another key 20 bytes", CodeAt(step_), now_, -1).accepted);
  EXPECT_FALSE(VerifyTotp(kRfcKey, "", now_, -1).accepted);
  EXPECT_FALSE(
      VerifyTotp(kRfcKey, Hotp(kRfcKey, static_cast<uint64_t>(step_), 8), now_, -1).accepted);
}

TEST_F(TotpVerifyTest, RefusesReplay) {
  const std::string code = CodeAt(step_);
  TotpCheck first = VerifyTotp(kRfcKey, code, now_, -1);
  ASSERT_TRUE(first.accepted);
  // The same code again, even a few seconds later within its window, is a replay.
  TotpCheck second = VerifyTotp(kRfcKey, code, now_ + std::chrono::seconds(20), first.step);
  EXPECT_FALSE(second.accepted);
  EXPECT_TRUE(second.replay);
  EXPECT_EQ(second.step, step_);
  // An older (still in-window) code after a newer one was used is also refused.
  TotpCheck older = VerifyTotp(kRfcKey, CodeAt(step_ - 1), now_, first.step);
  EXPECT_FALSE(older.accepted);
  EXPECT_TRUE(older.replay);
  // The next step's code is fresh.
  TotpCheck next = VerifyTotp(kRfcKey, CodeAt(step_ + 1), now_, first.step);
  EXPECT_TRUE(next.accepted);
  EXPECT_EQ(next.step, step_ + 1);
}

TEST(TotpSecretTest, NewSecretIsTwentyRandomBytes) {
  SeededRandom random(42);
  const std::string a = NewTotpSecret(random);
  const std::string b = NewTotpSecret(random);
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, b);
  SeededRandom same(42);
  EXPECT_EQ(NewTotpSecret(same), a);
}

TEST(TotpUriTest, BuildsProvisioningUri) {
  EXPECT_EQ(TotpProvisioningUri("jsmith", kRfcKey),
            "otpauth://totp/ContactPoint:jsmith?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=ContactPoint&algorithm=SHA1&digits=6&period=30");
}

TEST(TotpUriTest, PercentEncodesUsername) {
  const std::string uri = TotpProvisioningUri("a b:c@d/e?f&g=h#i%j+k~l.m_n-o", "x");
  EXPECT_EQ(uri.substr(0, uri.find('?')),
            "otpauth://totp/ContactPoint:a%20b%3Ac%40d%2Fe%3Ff%26g%3Dh%23i%25j%2Bk~l.m_n-o");
  EXPECT_EQ(PercentEncode("é"), "%C3%A9");
  EXPECT_EQ(PercentEncode(""), "");
}

}  // namespace
}  // namespace cp::auth
