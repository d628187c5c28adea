// FEBRL evaluation at full size (docs/matching.md): precision and recall of the automatic
// matches must each be >= 0.99.

#include "linkage/febrl.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "linkage/fellegi_sunter_matcher.h"

namespace cp::linkage {
namespace {

const std::string kDir = CP_SHARED_DIR "/data/febrl/";

double Ratio(size_t num, size_t den) {
  return den == 0 ? 0 : static_cast<double>(num) / static_cast<double>(den);
}

std::vector<febrl::Row> Read(const std::string& name) {
  Result<std::vector<febrl::Row>> rows = febrl::ReadFile(kDir + name);
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  return rows.ok() ? *std::move(rows) : std::vector<febrl::Row>{};
}

TEST(FebrlTest, Dataset4bAgainst4aMeetsPrecisionAndRecall) {
  std::vector<febrl::Row> a = Read("dataset4a.csv");
  std::vector<febrl::Row> b = Read("dataset4b.csv");
  ASSERT_EQ(a.size(), 5000u);
  ASSERT_EQ(b.size(), 5000u);

  FellegiSunterMatcher matcher;
  std::set<int64_t> entities_in_a;
  for (size_t i = 0; i < a.size(); ++i) {
    matcher.Add(static_cast<int64_t>(i), a[i].input);
    entities_in_a.insert(a[i].entity);
  }

  size_t true_pairs = 0, automatic = 0, correct_automatic = 0, possible = 0, possible_with_true = 0,
         fresh = 0;
  for (const febrl::Row& row : b) {
    bool has_true = entities_in_a.count(row.entity) > 0;
    true_pairs += has_true;
    MatchResult r = matcher.Classify(row.input);
    switch (r.outcome) {
      case MatchOutcome::kMatch:
        ++automatic;
        correct_automatic +=
            a[static_cast<size_t>(r.candidates.front().child_id)].entity == row.entity;
        break;
      case MatchOutcome::kPossible: {
        ++possible;
        for (const Candidate& c : r.candidates) {
          if (a[static_cast<size_t>(c.child_id)].entity == row.entity) {
            ++possible_with_true;
            break;
          }
        }
        break;
      }
      case MatchOutcome::kNew:
        ++fresh;
        break;
    }
  }
  double precision = Ratio(correct_automatic, automatic);
  double recall = Ratio(correct_automatic, true_pairs);
  std::printf(
      "FEBRL dataset4a+4b: %zu true pairs; automatic matches %zu (correct %zu): precision "
      "%.4f recall %.4f; possible-duplicate queue %zu (true pair among its candidates: %zu); "
      "new %zu\n",
      true_pairs, automatic, correct_automatic, precision, recall, possible, possible_with_true,
      fresh);
  EXPECT_GE(precision, 0.99);
  EXPECT_GE(recall, 0.99);
}

TEST(FebrlTest, Dataset3AgainstItselfFindsDuplicates) {
  std::vector<febrl::Row> rows = Read("dataset3.csv");
  ASSERT_EQ(rows.size(), 5000u);
  FellegiSunterMatcher matcher;
  for (size_t i = 0; i < rows.size(); ++i) matcher.Add(static_cast<int64_t>(i), rows[i].input);

  std::map<int64_t, size_t> per_entity;
  for (const febrl::Row& row : rows) ++per_entity[row.entity];
  size_t true_pairs = 0;
  for (const auto& [entity, n] : per_entity) true_pairs += n * (n - 1) / 2;

  std::set<std::pair<int64_t, int64_t>> automatic, queued;
  for (size_t i = 0; i < rows.size(); ++i) {
    int64_t self = static_cast<int64_t>(i);
    MatchResult r = matcher.Classify(rows[i].input, {self});
    for (const Candidate& c : r.candidates) {
      auto pair = std::minmax(self, c.child_id);
      if (c.weight >= matcher.thresholds().upper) {
        automatic.insert(pair);
      } else {
        queued.insert(pair);
      }
    }
  }
  for (const auto& p : automatic) queued.erase(p);
  size_t correct = 0, queued_true = 0;
  auto same = [&](const std::pair<int64_t, int64_t>& p) {
    return rows[static_cast<size_t>(p.first)].entity == rows[static_cast<size_t>(p.second)].entity;
  };
  for (const auto& p : automatic) correct += same(p);
  for (const auto& p : queued) queued_true += same(p);
  double precision = Ratio(correct, automatic.size());
  double recall = Ratio(correct, true_pairs);
  std::printf(
      "FEBRL dataset3 dedup: %zu records of %zu people, %zu true duplicate pairs; found %zu "
      "automatic pairs (%zu true): precision %.4f recall %.4f; %zu possible pairs (%zu true)\n",
      rows.size(), per_entity.size(), true_pairs, automatic.size(), correct, precision, recall,
      queued.size(), queued_true);
  EXPECT_GE(precision, 0.99);
  EXPECT_GE(recall, 0.9);
}

}  // namespace
}  // namespace cp::linkage
