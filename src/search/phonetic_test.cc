#include "search/phonetic.h"

#include <gtest/gtest.h>

#include "search/test_util.h"

namespace cp::search {
namespace {

using testing::ReadCsv;
using testing::VectorPath;

template <typename Fn>
void CheckCodeVectors(const std::string& file, Fn fn) {
  const auto rows = ReadCsv(VectorPath(file));
  ASSERT_FALSE(rows.empty()) << "missing vector file " << VectorPath(file);
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    // A row for the empty string is a lone comma: two empty fields.
    ASSERT_EQ(r.size(), 2u) << file << " row " << i + 1;
    EXPECT_EQ(fn(r[0]), r[1]) << file << " row " << i + 1 << ": '" << r[0] << "'";
  }
}

TEST(PhoneticTest, SoundexVectors) {
  CheckCodeVectors("soundex.csv", [](const std::string& s) { return Soundex(s); });
}

TEST(PhoneticTest, NysiisVectors) {
  CheckCodeVectors("nysiis.csv", [](const std::string& s) { return Nysiis(s); });
}

TEST(PhoneticTest, MetaphoneVectors) {
  CheckCodeVectors("metaphone.csv", [](const std::string& s) { return Metaphone(s); });
}

TEST(PhoneticTest, MatchRatingCodexVectors) {
  CheckCodeVectors("match_rating_codex.csv",
                   [](const std::string& s) { return MatchRatingCodex(s); });
}

TEST(PhoneticTest, MatchRatingComparisonVectors) {
  const auto rows = ReadCsv(VectorPath("match_rating_comparison.csv"));
  ASSERT_FALSE(rows.empty());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    ASSERT_EQ(r.size(), 3u);
    const std::optional<bool> got = MatchRatingCompare(r[0], r[1]);
    const std::string shown = !got ? "None" : *got ? "True" : "False";
    EXPECT_EQ(shown, r[2]) << "row " << i + 1 << ": '" << r[0] << "' vs '" << r[1] << "'";
  }
}

TEST(PhoneticTest, SoundexBasics) {
  EXPECT_EQ(Soundex("Robert"), "R163");
  EXPECT_EQ(Soundex("Rupert"), "R163");
  EXPECT_EQ(Soundex("Honeyman"), "H555");
  EXPECT_EQ(Soundex("Müller"), Soundex("Muller"));
}

struct DmCase {
  const char* name;
  const char* primary;
  const char* alternate;
};

// Known Double Metaphone codes, worked by hand from the published rules.
TEST(PhoneticTest, DoubleMetaphoneKnownCodes) {
  const DmCase cases[] = {
      {"Smith", "SM0", "XMT"},
      {"Schmidt", "XMT", "SMT"},
      {"Thompson", "TMPS", "TMPS"},
      {"Thomas", "TMS", "TMS"},
      {"Jose", "HS", "HS"},
      {"Michael", "MKL", "MXL"},
      {"Catherine", "K0RN", "KTRN"},
      {"Kathryn", "K0RN", "KTRN"},
      {"Knight", "NT", "NT"},
      {"Philip", "FLP", "FLP"},
      {"Caesar", "SSR", "SSR"},
      {"Xavier", "SF", "SFR"},
      {"Wright", "RT", "RT"},
      {"Edge", "AJ", "AJ"},
      {"Campbell", "KMPL", "KMPL"},
      {"Dumb", "TM", "TM"},
      {"Gallagher", "KLKR", "KLKR"},
      {"Jankelowicz", "JNKL", "ANKL"},
      {"Cabrillo", "KPRL", "KPR"},
      {"Tagliaro", "TKLR", "TLR"},
      {"Laugh", "LF", "LF"},
      {"Hugh", "H", "H"},
      {"Zhao", "J", "J"},
      {"Czerny", "SRN", "XRN"},
      {"Rogier", "RJ", "RJR"},
      {"Arnow", "ARN", "ARNF"},
      {"Womo", "AM", "FM"},
      {"McDonald", "MKTN", "MKTN"},
      {"Bacchus", "PKS", "PKS"},
      {"Accident", "AKST", "AKST"},
  };
  for (const DmCase& c : cases) {
    const DoubleMetaphoneCodes codes = DoubleMetaphone(c.name);
    EXPECT_EQ(codes.primary, c.primary) << c.name;
    EXPECT_EQ(codes.alternate, c.alternate) << c.name;
  }
}

TEST(PhoneticTest, DoubleMetaphoneGroupsSoundAlikes) {
  EXPECT_EQ(DoubleMetaphone("Smyth").primary, DoubleMetaphone("Smith").primary);
  EXPECT_EQ(DoubleMetaphone("Stephen").primary, DoubleMetaphone("Steven").primary);
  EXPECT_EQ(DoubleMetaphone("Philips").primary, DoubleMetaphone("Fillips").primary);
  EXPECT_EQ(DoubleMetaphone("Zoë").primary, DoubleMetaphone("Zoe").primary);
  EXPECT_EQ(DoubleMetaphone("").primary, "");
  EXPECT_EQ(DoubleMetaphone("Иванов").primary, "");  // Other scripts: no code.
}

}  // namespace
}  // namespace cp::search
