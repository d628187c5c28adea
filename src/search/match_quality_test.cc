// Match quality at small scale: a synthetic population of 20,000 children, perturbed queries
// with known answers, recall@10 where the search is not refused.
#include <gtest/gtest.h>

#include <array>
#include <iostream>

#include "search/search_index.h"
#include "search/synthetic.h"

namespace cp::search {
namespace {

using synthetic::Perturbation;

TEST(MatchQualityTest, RecallAtTenOnPerturbedQueries) {
  constexpr uint64_t kSeed = 20240601;
  constexpr uint64_t kChildren = 20000;
  SearchIndex::Builder builder;
  for (uint64_t uin = 1; uin <= kChildren; ++uin) {
    ASSERT_TRUE(builder.Add(synthetic::MakeChild(kSeed, uin)).ok());
  }
  std::unique_ptr<SearchIndex> index = builder.Finish();

  cp::SeededRandom rng(7);
  AllHiddenAccess viewer;  // Known-as and former names of shielded children count here.
  std::array<int, synthetic::kPerturbationCount> asked{}, found{}, refused{};
  int total_asked = 0;
  int total_found = 0;
  for (int type = 0; type < synthetic::kPerturbationCount; ++type) {
    int made = 0;
    for (int attempt = 0; made < 150 && attempt < 20000; ++attempt) {
      const uint64_t uin = 1 + rng.Uniform(kChildren);
      const IndexedChild child = synthetic::MakeChild(kSeed, uin);
      auto q = synthetic::MakeQuery(child, static_cast<Perturbation>(type), rng);
      if (!q) continue;
      ++made;
      auto r = index->Search(*q, kOrdinaryUserLimit, viewer);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      if (r->outcome == SearchOutcome::kTooManyMatches) {
        ++refused[static_cast<size_t>(type)];
        continue;
      }
      ++asked[static_cast<size_t>(type)];
      ++total_asked;
      bool hit = false;
      for (size_t i = 0; i < r->matches.size() && i < 10; ++i) hit |= r->matches[i].uin == uin;
      if (hit) {
        ++found[static_cast<size_t>(type)];
        ++total_found;
      } else {
        std::cout << "  miss [" << synthetic::PerturbationName(static_cast<Perturbation>(type))
                  << "] query '" << q->given_name << "' '" << q->family_name << "' "
                  << (q->date_of_birth ? q->date_of_birth->ToString() : "-") << " for '"
                  << child.given_names << "' '" << child.family_name << "' "
                  << child.date_of_birth.ToString() << "\n";
      }
    }
    EXPECT_GE(made, 100) << synthetic::PerturbationName(static_cast<Perturbation>(type));
  }
  for (int type = 0; type < synthetic::kPerturbationCount; ++type) {
    const auto t = static_cast<size_t>(type);
    std::cout << synthetic::PerturbationName(static_cast<Perturbation>(type)) << ": recall@10 "
              << found[t] << "/" << asked[t] << " refused " << refused[t] << "\n";
  }
  const double recall = static_cast<double>(total_found) / total_asked;
  std::cout << "overall recall@10 " << recall << " over " << total_asked << " queries\n";
  EXPECT_GE(recall, 0.99);
}

TEST(MatchQualityTest, SyntheticPopulationIsDeterministic) {
  const IndexedChild a = synthetic::MakeChild(1, 42);
  const IndexedChild b = synthetic::MakeChild(1, 42);
  EXPECT_EQ(a.given_names, b.given_names);
  EXPECT_EQ(a.family_name, b.family_name);
  EXPECT_EQ(a.date_of_birth, b.date_of_birth);
  EXPECT_EQ(a.postcode, b.postcode);
  EXPECT_NE(synthetic::MakeChild(1, 43).uin, a.uin);
}

}  // namespace
}  // namespace cp::search
