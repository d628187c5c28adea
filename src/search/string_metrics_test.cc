#include "search/string_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "search/test_util.h"

namespace cp::search {
namespace {

using testing::ReadCsv;
using testing::VectorPath;

// Runs `fn(a, b)` over every "a,b,expected" row of a vector file and reports each failing row.
template <typename Fn>
void CheckDistanceVectors(const std::string& file, Fn fn) {
  const auto rows = ReadCsv(VectorPath(file));
  ASSERT_FALSE(rows.empty()) << "missing vector file " << VectorPath(file);
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    ASSERT_EQ(r.size(), 3u) << file << " row " << i + 1;
    EXPECT_EQ(fn(r[0], r[1]), std::strtoull(r[2].c_str(), nullptr, 10))
        << file << " row " << i + 1 << ": '" << r[0] << "' vs '" << r[1] << "'";
  }
}

template <typename Fn>
void CheckSimilarityVectors(const std::string& file, Fn fn) {
  const auto rows = ReadCsv(VectorPath(file));
  ASSERT_FALSE(rows.empty()) << "missing vector file " << VectorPath(file);
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    ASSERT_EQ(r.size(), 3u) << file << " row " << i + 1;
    const double expected = std::strtod(r[2].c_str(), nullptr);
    // Vectors are given to three decimals.
    EXPECT_NEAR(fn(r[0], r[1]), expected, 0.0006)
        << file << " row " << i + 1 << ": '" << r[0] << "' vs '" << r[1] << "'";
  }
}

TEST(StringMetricsTest, LevenshteinVectors) {
  CheckDistanceVectors("levenshtein.csv", [](const std::string& a, const std::string& b) {
    return LevenshteinDistance(std::string_view(a), std::string_view(b));
  });
}

TEST(StringMetricsTest, DamerauLevenshteinVectors) {
  CheckDistanceVectors("damerau_levenshtein.csv", [](const std::string& a, const std::string& b) {
    return DamerauLevenshteinDistance(std::string_view(a), std::string_view(b));
  });
}

// The vectors are for unrestricted Damerau-Levenshtein. The restricted variant (optimal string
// alignment) must agree wherever no substring is edited twice; report any row where it differs.
TEST(StringMetricsTest, OsaAgreesWithDamerauLevenshteinVectorsOrExplains) {
  const auto rows = ReadCsv(VectorPath("damerau_levenshtein.csv"));
  ASSERT_FALSE(rows.empty());
  std::ostringstream differing;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const size_t osa = OsaDistance(std::string_view(r[0]), std::string_view(r[1]));
    const size_t expected = std::strtoull(r[2].c_str(), nullptr, 10);
    if (osa != expected) {
      differing << " row " << i + 1 << " ('" << r[0] << "','" << r[1] << "': OSA " << osa
                << ", unrestricted " << expected << ")";
      EXPECT_GT(osa, expected) << "OSA can only be larger than unrestricted DL";
    }
  }
  if (!differing.str().empty()) {
    std::cout << "OSA (restricted) differs from the unrestricted vectors, as documented, at"
              << differing.str() << "\n";
  }
}

TEST(StringMetricsTest, JaroVectors) {
  CheckSimilarityVectors("jaro_distance.csv", [](const std::string& a, const std::string& b) {
    return JaroSimilarity(std::string_view(a), std::string_view(b));
  });
}

TEST(StringMetricsTest, JaroWinklerVectors) {
  CheckSimilarityVectors("jaro_winkler.csv", [](const std::string& a, const std::string& b) {
    return JaroWinklerSimilarity(std::string_view(a), std::string_view(b));
  });
}

TEST(StringMetricsTest, TranspositionsAndRestrictedVariant) {
  EXPECT_EQ(DamerauLevenshteinDistance(std::string_view("ca"), std::string_view("abc")), 2u);
  EXPECT_EQ(OsaDistance(std::string_view("ca"), std::string_view("abc")), 3u);
  EXPECT_EQ(LevenshteinDistance(std::string_view("ca"), std::string_view("ac")), 2u);
  EXPECT_EQ(OsaDistance(std::string_view("martha"), std::string_view("marhta")), 1u);
  EXPECT_EQ(OsaDistance(std::string_view(""), std::string_view("abc")), 3u);
}

TEST(StringMetricsTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(LevenshteinDistance(std::string_view("zoë"), std::string_view("zoe")), 1u);
  EXPECT_EQ(OsaDistance(std::string_view("Иван"), std::string_view("Иванн")), 1u);
  EXPECT_DOUBLE_EQ(JaroSimilarity(std::string_view("王伟"), std::string_view("王伟")), 1.0);
}

TEST(StringMetricsTest, JaroEdgeCases) {
  EXPECT_DOUBLE_EQ(JaroSimilarity(std::string_view(""), std::string_view("")), 1.0);
  EXPECT_DOUBLE_EQ(JaroSimilarity(std::string_view("a"), std::string_view("")), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinklerSimilarity(std::string_view("abc"), std::string_view("xyz")), 0.0);
}

}  // namespace
}  // namespace cp::search
