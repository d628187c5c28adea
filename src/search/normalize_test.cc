#include "search/normalize.h"

#include <gtest/gtest.h>

namespace cp::search {
namespace {

using Tokens = std::vector<std::string>;

TEST(NormalizeTest, CaseSpacingAndAccents) {
  EXPECT_EQ(NameTokens("  JOHN   smith "), (Tokens{"john", "smith"}));
  EXPECT_EQ(NameTokens("Zoë"), (Tokens{"zoe"}));
  EXPECT_EQ(NameTokens("RENÉE"), (Tokens{"renee"}));
}

TEST(NormalizeTest, PunctuationApostrophesHyphens) {
  EXPECT_EQ(NameTokens("O'Brien"), (Tokens{"obrien"}));
  EXPECT_EQ(NameTokens("O’Brien"), (Tokens{"obrien"}));
  EXPECT_EQ(NameTokens("O Brien"), (Tokens{"obrien"}));
  EXPECT_EQ(NameTokens("Smith-Jones"), (Tokens{"smith", "jones"}));
  EXPECT_EQ(NameTokens("Smith – Jones"), (Tokens{"smith", "jones"}));
  EXPECT_EQ(NameTokens("St. John"), (Tokens{"st", "john"}));
  EXPECT_TRUE(NameTokens(" - ' ").empty());
}

TEST(NormalizeTest, McAndMac) {
  EXPECT_EQ(NameTokens("McDonald"), (Tokens{"macdonald"}));
  EXPECT_EQ(NameTokens("MacDonald"), (Tokens{"macdonald"}));
  EXPECT_EQ(NameTokens("Mc Donald"), (Tokens{"macdonald"}));
  EXPECT_EQ(NameTokens("Mac Donald"), (Tokens{"macdonald"}));
  EXPECT_EQ(NameTokens("Mack"), (Tokens{"mack"}));
}

TEST(NormalizeTest, OtherScriptsKeptAsCodePoints) {
  EXPECT_EQ(NameTokens("ИВАНОВ"), (Tokens{"иванов"}));
  EXPECT_EQ(NameTokens("王 伟"), (Tokens{"王", "伟"}));
}

TEST(NormalizeTest, JoinedName) {
  EXPECT_EQ(JoinedName("Van der Berg"), "vanderberg");
  EXPECT_EQ(JoinedName("Vanderberg"), "vanderberg");
}

TEST(NormalizeTest, Postcodes) {
  EXPECT_EQ(NormalizePostcode("sw1a 1aa"), "SW1A1AA");
  EXPECT_EQ(PostcodeOutward("SW1A1AA"), "SW1A");
  EXPECT_EQ(PostcodeOutward("M11AE"), "M1");
  EXPECT_EQ(PostcodeOutward("AB"), "");
}

}  // namespace
}  // namespace cp::search
