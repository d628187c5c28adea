#include "search/text.h"

#include <gtest/gtest.h>

namespace cp::search {
namespace {

TEST(TextTest, Utf8RoundTrip) {
  const std::string s = "Zoë Ó Briain 王伟 Иван 😀";
  EXPECT_EQ(EncodeUtf8(DecodeUtf8(s)), s);
  EXPECT_EQ(DecodeUtf8("é").size(), 1u);
  EXPECT_EQ(DecodeUtf8("\xff"
                       "a"),
            U"\uFFFDa");
  EXPECT_EQ(DecodeUtf8("\xc3"), U"\uFFFD");  // Truncated sequence.
}

TEST(TextTest, FoldsLatinDiacritics) {
  auto fold = [](std::string_view s) { return EncodeUtf8(FoldToAscii(DecodeUtf8(s))); };
  EXPECT_EQ(fold("Zoë Chloé Renée"), "Zoe Chloe Renee");
  EXPECT_EQ(fold("Łukasz Wiśniewski"), "Lukasz Wisniewski");
  EXPECT_EQ(fold("Straße Æsa Þór Øster"), "Strasse AEsa THor Oster");
  EXPECT_EQ(fold("Nguyễn Thị Ánh"), "Nguyen Thi Anh");
  EXPECT_EQ(fold("Ștefan Țurcanu"), "Stefan Turcanu");
  EXPECT_EQ(fold("Jose\xcc\x81"), "Jose");    // Decomposed accent dropped.
  EXPECT_EQ(fold("Иван 王伟"), "Иван 王伟");  // Other scripts kept.
}

TEST(TextTest, CaseMapping) {
  EXPECT_EQ(ToUpper(U'é'), U'É');
  EXPECT_EQ(ToLower(U'Ł'), U'ł');
  EXPECT_EQ(ToUpper(U'ł'), U'Ł');
  EXPECT_EQ(ToLower(U'И'), U'и');
  EXPECT_EQ(ToUpper(U'ω'), U'Ω');
  EXPECT_EQ(ToUpper(U'王'), U'王');
}

}  // namespace
}  // namespace cp::search
