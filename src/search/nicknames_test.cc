#include "search/nicknames.h"

#include <gtest/gtest.h>

#include <set>

#include "search/normalize.h"

namespace cp::search {
namespace {

TEST(NicknamesTest, CommonPairs) {
  EXPECT_TRUE(AreNicknameRelated("bill", "william"));
  EXPECT_TRUE(AreNicknameRelated("william", "bill"));
  EXPECT_TRUE(AreNicknameRelated("liz", "elizabeth"));
  EXPECT_TRUE(AreNicknameRelated("bill", "will"));  // Both nicknames of William.
  EXPECT_TRUE(AreNicknameRelated("peggy", "margaret"));
  EXPECT_TRUE(AreNicknameRelated("jack", "john"));
  EXPECT_FALSE(AreNicknameRelated("bill", "robert"));
  EXPECT_FALSE(AreNicknameRelated("john", "james"));
}

TEST(NicknamesTest, AmbiguousNicknamesListEveryFormal) {
  auto formals = FormalNamesOf("alex");
  std::set<std::string_view> got(formals.begin(), formals.end());
  EXPECT_TRUE(got.count("alexander"));
  EXPECT_TRUE(got.count("alexandra"));
  EXPECT_TRUE(FormalNamesOf("william").empty());
}

TEST(NicknamesTest, TableIsLargeAndNormalised) {
  const auto pairs = NicknamePairs();
  EXPECT_GE(pairs.size(), 300u);
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const NicknamePair& p : pairs) {
    // Every entry is already a single normalised token, so lookups need no work.
    const auto nick = NameTokens(p.nickname);
    const auto formal = NameTokens(p.formal);
    ASSERT_EQ(nick.size(), 1u) << p.nickname;
    ASSERT_EQ(formal.size(), 1u) << p.formal;
    EXPECT_EQ(nick[0], p.nickname);
    EXPECT_EQ(formal[0], p.formal);
    EXPECT_NE(p.nickname, p.formal);
    EXPECT_TRUE(seen.insert({p.nickname, p.formal}).second) << p.nickname;
  }
}

}  // namespace
}  // namespace cp::search
