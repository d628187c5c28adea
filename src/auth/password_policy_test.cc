#include "auth/password_policy.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cp::auth {
namespace {

void ExpectRefused(std::string_view password, std::string_view username,
                   std::string_view message_part) {
  Status status = CheckPasswordStrength(password, username);
  ASSERT_FALSE(status.ok()) << password;
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << password;
  EXPECT_EQ(status.field(), "password");
  EXPECT_NE(status.message().find(message_part), std::string::npos)
      << password << ": " << status.message();
  // The message never echoes the password.
  if (!password.empty()) {
    EXPECT_EQ(status.message().find(password), std::string::npos);
  }
}

TEST(PasswordPolicyTest, AcceptsGoodPasswords) {
  for (std::string_view good :
       {"purple tractor swims quietly", "Kx9!vR2#mQ7@", "staple-orbit-lantern-42",
        "correct pony battery staple", "ÅngströmÅngström1"}) {
    EXPECT_TRUE(CheckPasswordStrength(good, "jsmith").ok())
        << good << ": " << CheckPasswordStrength(good, "jsmith").ToString();
  }
}

TEST(PasswordPolicyTest, LengthCountsCodePoints) {
  ExpectRefused("", "jsmith", "at least 12");
  ExpectRefused("Kx9!vR2#mQ7", "jsmith", "at least 12");              // 11.
  EXPECT_TRUE(CheckPasswordStrength("Kx9!vR2#mQ7@", "jsmith").ok());  // 12.
  // 11 code points in 22 bytes is too short; 12 in 24 bytes is enough.
  ExpectRefused("ÅßçđéƒğĥïĵĶ", "jsmith", "at least 12");
  EXPECT_TRUE(CheckPasswordStrength("ÅßçđéƒğĥïĵĶŁ", "jsmith").ok());
  // Emoji are one code point each (4 bytes).
  ExpectRefused("🔒🔑🐱🐶🦊🐻🐼🐨🐯🦁🐮", "jsmith", "at least 12");
  EXPECT_TRUE(
      CheckPasswordStrength("🔒🔑🐱🐶🦊🐻🐼🐨🐯🦁🐮🐷", "jsmith").ok());
  // 128 ASCII characters is allowed, 129 is not; 128 three-byte characters are allowed.
  std::string long_ok;
  for (int i = 0; i < 128; ++i) long_ok.push_back(static_cast<char>('a' + (i * 7) % 26));
  EXPECT_TRUE(CheckPasswordStrength(long_ok, "jsmith").ok());
  ExpectRefused(long_ok + "x", "jsmith", "at most 128");
  std::string wide;
  for (int i = 0; i < 64; ++i) wide += "€£";
  EXPECT_TRUE(CheckPasswordStrength(wide, "jsmith").ok());
  ExpectRefused(wide + "€", "jsmith", "at most 128");
}

TEST(PasswordPolicyTest, RefusesInvalidUtf8) {
  ExpectRefused("abcdefghijk\xff", "jsmith", "cannot be read");
  ExpectRefused("abcdefghijkl\xc3", "jsmith", "cannot be read");              // Truncated.
  ExpectRefused("abcdefghijkl\xc0\xaf", "jsmith", "cannot be read");          // Overlong.
  ExpectRefused("abcdefghijkl\xed\xa0\x80", "jsmith", "cannot be read");      // Surrogate.
  ExpectRefused("abcdefghijkl\xf4\x90\x80\x80", "jsmith", "cannot be read");  // > U+10FFFF.
}

TEST(PasswordPolicyTest, CodePointCount) {
  EXPECT_EQ(Utf8CodePointCount(""), 0u);
  EXPECT_EQ(Utf8CodePointCount("abc"), 3u);
  EXPECT_EQ(Utf8CodePointCount("é€🔒"), 3u);
  EXPECT_EQ(Utf8CodePointCount("\x80"), SIZE_MAX);
  EXPECT_EQ(Utf8CodePointCount("\xe2\x82"), SIZE_MAX);
}

TEST(PasswordPolicyTest, RefusesRepeatedCharacter) {
  ExpectRefused("aaaaaaaaaaaaaaaa", "jsmith", "repeated");
  ExpectRefused("aAaAaAaAaAaAaA", "jsmith", "repeated");
  ExpectRefused("%%%%%%%%%%%%%", "jsmith", "repeated");
  ExpectRefused("                ", "jsmith", "repeated");
  ExpectRefused("ééééééééééééé", "jsmith", "repeated");
  ExpectRefused("🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒🔒", "jsmith", "repeated");
  // Two alternating characters are not one repeated character.
  EXPECT_TRUE(CheckPasswordStrength("éaéaéaéaéaéa", "jsmith").ok());
}

TEST(PasswordPolicyTest, RefusesPasswordContainingUsername) {
  ExpectRefused("my-jsmith-password-x", "jsmith", "username");
  ExpectRefused("xyzJSmithAbcdefg", "jsmith", "username");
  ExpectRefused("xyzjsmithabcdefg", "JSmith", "username");
  // Very short usernames are not checked.
  EXPECT_TRUE(CheckPasswordStrength("purple tractor swims quietly", "ab").ok());
  EXPECT_TRUE(CheckPasswordStrength("purple tractor swims quietly", "").ok());
  ExpectRefused("purple tractor swims quietly", "tractor", "username");
}

TEST(PasswordPolicyTest, RefusesCommonPasswords) {
  for (std::string_view common :
       {"passwordpassword", "PasswordPassword", "qwertyuiopasdf", "123456789012", "iloveyoubaby",
        "1q2w3e4r5t6y", "letmeinplease", "correcthorsebatterystaple", "ContactPoint2024",
        "welcome2contactpoint", "P@ssw0rd1234", "Password2024!!", "sunshine123456",
        "Arsenal1234567", "MONKEY12345678", "football!!!!!!", "iloveyou 12345"}) {
    ExpectRefused(common, "jsmith", "too common");
  }
}

TEST(PasswordPolicyTest, CommonListIsEmbeddedAndLarge) {
  EXPECT_GE(CommonPasswordCount(), 10000u);
  EXPECT_TRUE(IsCommonPassword("password"));
  EXPECT_TRUE(IsCommonPassword("PASSWORD"));
  EXPECT_TRUE(IsCommonPassword("qwertyuiop"));
  EXPECT_FALSE(IsCommonPassword("purple tractor swims quietly"));
  EXPECT_FALSE(IsCommonPassword(""));
  // Comment lines are not entries.
  EXPECT_FALSE(
      IsCommonPassword("# ContactPoint common-password deny-list (compiled into "
                       "cp_auth; see src/auth/password_policy.h)."));
}

TEST(PasswordPolicyTest, EveryNonCommentLineOfTheDataFileIsRefused) {
  std::ifstream in(std::string(CP_SOURCE_DIR) + "/data/common-passwords.txt");
  ASSERT_TRUE(in.good());
  std::string line;
  size_t entries = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++entries;
    EXPECT_TRUE(IsCommonPassword(line)) << line;
    EXPECT_FALSE(CheckPasswordStrength(line, "jsmith").ok()) << line;
  }
  EXPECT_GE(entries, CommonPasswordCount());
}

}  // namespace
}  // namespace cp::auth
