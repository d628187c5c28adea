#include "search/search_index.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <thread>

#include "core/random.h"
#include "search/synthetic.h"

namespace cp::search {
namespace {

cp::Date D(const char* s) { return *cp::Date::Parse(s); }

IndexedChild Child(uint64_t uin, std::string given, std::string family, const char* dob,
                   Gender gender = Gender::kFemale) {
  IndexedChild c;
  c.uin = uin;
  c.given_names = std::move(given);
  c.family_name = std::move(family);
  c.date_of_birth = D(dob);
  c.gender = gender;
  c.postcode = "LS1 4AB";
  c.authority = "E08000035";
  return c;
}

SearchCriteria Query(std::string given, std::string family, std::optional<cp::Date> dob = {}) {
  SearchCriteria q;
  q.given_name = std::move(given);
  q.family_name = std::move(family);
  q.date_of_birth = dob;
  return q;
}

// A small index with distinct children plus some decoys.
class SearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Add(Child(1, "William James", "Smith", "2012-03-04", Gender::kMale));
    Add(Child(2, "Elizabeth", "O'Brien", "2011-07-21"));
    Add(Child(3, "Zoë", "McDonald", "2015-11-02"));
    Add(Child(4, "Catherine", "Smith-Jones", "2010-01-30"));
    Add(Child(5, "Mohammed", "Rahman", "2009-12-09", Gender::kMale));
    Add(Child(6, "Olivia", "Wright", "2013-05-06"));
    Add(Child(7, "Иван", "Петров", "2014-02-14", Gender::kMale));
    IndexedChild known = Child(8, "Margaret", "Thompson", "2016-08-08");
    known.known_as_names.push_back({"Skye", ""});
    known.former_names.push_back({"", "Fairweather"});
    Add(known);
    Add(Child(9, "Jonathan", "Williamson", "2012-06-15", Gender::kMale));
    // Decoys sharing a family name or a date of birth.
    Add(Child(20, "Amelia", "Smith", "2012-03-04"));
    Add(Child(21, "Harry", "Smith", "2008-09-10", Gender::kMale));
    Add(Child(22, "Grace", "Wright", "2013-05-07"));
  }
  void Add(const IndexedChild& c) { index_.Upsert(c); }
  SearchResponse Find(const SearchCriteria& q, size_t limit = kOrdinaryUserLimit) {
    auto r = index_.Search(q, limit, none_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : SearchResponse{};
  }
  // The rank (0-based) of `uin` in the response, or -1.
  int RankOf(const SearchCriteria& q, uint64_t uin) {
    const SearchResponse r = Find(q);
    EXPECT_EQ(r.outcome, SearchOutcome::kMatches);
    for (size_t i = 0; i < r.matches.size(); ++i) {
      if (r.matches[i].uin == uin) return static_cast<int>(i);
    }
    return -1;
  }
  SearchIndex index_;
  NoHiddenAccess none_;
  AllHiddenAccess all_;
};

TEST_F(SearchIndexTest, ExactMatchScoresHundredAndHigh) {
  const SearchResponse r = Find(Query("William", "Smith", D("2012-03-04")));
  ASSERT_FALSE(r.matches.empty());
  EXPECT_EQ(r.matches[0].uin, 1u);
  EXPECT_EQ(r.matches[0].score, 100);
  EXPECT_EQ(r.matches[0].band, ConfidenceBand::kHigh);
}

TEST_F(SearchIndexTest, RejectsInsufficientCriteria) {
  auto r = index_.Search(Query("", "Smith"), kOrdinaryUserLimit, none_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "insufficient_criteria");
}

TEST_F(SearchIndexTest, CaseSpacingAccentsPunctuation) {
  EXPECT_EQ(RankOf(Query("  WILLIAM ", "smith", D("2012-03-04")), 1), 0);
  EXPECT_EQ(RankOf(Query("Zoe", "MCDONALD", D("2015-11-02")), 3), 0);
  EXPECT_EQ(RankOf(Query("elizabeth", "OBrien"), 2), 0);
  EXPECT_EQ(RankOf(Query("Elizabeth", "O Brien"), 2), 0);
}

TEST_F(SearchIndexTest, McAndMac) {
  EXPECT_EQ(RankOf(Query("Zoe", "MacDonald"), 3), 0);
  EXPECT_EQ(RankOf(Query("Zoe", "Mac Donald"), 3), 0);
}

TEST_F(SearchIndexTest, HyphenatedSurnameByEitherPartOrWhole) {
  EXPECT_EQ(RankOf(Query("Catherine", "Jones"), 4), 0);
  EXPECT_EQ(RankOf(Query("Catherine", "Smith", D("2010-01-30")), 4), 0);
  EXPECT_EQ(RankOf(Query("Catherine", "Smith Jones"), 4), 0);
  EXPECT_EQ(RankOf(Query("Catherine", "SmithJones"), 4), 0);
}

TEST_F(SearchIndexTest, TyposOneAndTwoEdits) {
  EXPECT_EQ(RankOf(Query("Olivai", "Wright"), 6), 0);                   // Transposed.
  EXPECT_EQ(RankOf(Query("Olivia", "Wrihgt", D("2013-05-06")), 6), 0);  // Transposed.
  // Both names misspelt: found through the date of birth. (Without one, at least one name must
  // be as recorded, or a nickname or formal name of it; see docs/search.md.)
  EXPECT_EQ(RankOf(Query("Jonathon", "Williamsen", D("2012-06-15")), 9), 0);
  EXPECT_EQ(RankOf(Query("Jonathan", "Williamsne"), 9), 0);  // Two edits.
  EXPECT_EQ(RankOf(Query("Jonathan", "Wiliamson", D("2012-06-15")), 9), 0);
  EXPECT_EQ(RankOf(Query("Mohamed", "Rahmen", D("2009-12-09")), 5), 0);
}

TEST_F(SearchIndexTest, SoundAlikes) {
  EXPECT_EQ(RankOf(Query("Kathryn", "Smyth-Jones"), 4), 0);
  EXPECT_EQ(RankOf(Query("Muhammad", "Rahman"), 5), 0);
  EXPECT_EQ(RankOf(Query("Jonathon", "Williamsun", D("2012-06-15")), 9), 0);
}

TEST_F(SearchIndexTest, Nicknames) {
  EXPECT_EQ(RankOf(Query("Bill", "Smith", D("2012-03-04")), 1), 0);
  EXPECT_EQ(RankOf(Query("Liz", "O'Brien"), 2), 0);
  EXPECT_EQ(RankOf(Query("Peggy", "Thompson"), 8), 0);
  EXPECT_EQ(RankOf(Query("Jon", "Williamson"), 9), 0);
}

TEST_F(SearchIndexTest, GivenAndFamilySwapped) {
  EXPECT_EQ(RankOf(Query("Wright", "Olivia"), 6), 0);
  EXPECT_EQ(RankOf(Query("Rahman", "Mohammed", D("2009-12-09")), 5), 0);
}

TEST_F(SearchIndexTest, MiddleNameMatchesWithSmallPenalty) {
  const SearchResponse r = Find(Query("James", "Smith", D("2012-03-04")));
  ASSERT_FALSE(r.matches.empty());
  EXPECT_EQ(r.matches[0].uin, 1u);
  EXPECT_LT(r.matches[0].score, 100);
}

TEST_F(SearchIndexTest, KnownAsAndFormerNames) {
  EXPECT_EQ(RankOf(Query("Skye", "Thompson"), 8), 0);
  EXPECT_EQ(RankOf(Query("Margaret", "Fairweather"), 8), 0);
}

TEST_F(SearchIndexTest, DateOfBirthPerturbations) {
  // Day and month transposed (4 March recorded, 3 April typed).
  EXPECT_EQ(RankOf(Query("William", "Smith", D("2012-04-03")), 1), 0);
  // Year out by one either way.
  EXPECT_EQ(RankOf(Query("Olivia", "Wright", D("2012-05-06")), 6), 0);
  EXPECT_EQ(RankOf(Query("Olivia", "Wright", D("2014-05-06")), 6), 0);
  // Family name plus a perturbed date of birth, no given name.
  EXPECT_EQ(RankOf(Query("", "Williamson", D("2013-06-15")), 9), 0);
  // A perturbed date scores below an exact one.
  const SearchResponse exact = Find(Query("Olivia", "Wright", D("2013-05-06")));
  const SearchResponse off = Find(Query("Olivia", "Wright", D("2012-05-06")));
  ASSERT_FALSE(exact.matches.empty());
  ASSERT_FALSE(off.matches.empty());
  EXPECT_GT(exact.matches[0].score, off.matches[0].score);
}

TEST_F(SearchIndexTest, OtherScriptsMatchAsCodePoints) {
  EXPECT_EQ(RankOf(Query("Иван", "Петров"), 7), 0);
  EXPECT_EQ(RankOf(Query("ИВАН", "ПЕТРОВ", D("2014-02-14")), 7), 0);
  EXPECT_EQ(RankOf(Query("Иван", "Петрв", D("2014-02-14")), 7), 0);  // One edit.
}

TEST_F(SearchIndexTest, UnrelatedChildrenDoNotMatch) {
  EXPECT_TRUE(Find(Query("Xavier", "Quimby")).matches.empty());
  // Same family name and birthday but a different given name is not a match (twins).
  const SearchResponse r = Find(Query("Penelope", "Smith", D("2012-03-04")));
  for (const SearchMatch& m : r.matches) EXPECT_NE(m.uin, 20u);
}

TEST_F(SearchIndexTest, GenderMismatchLowersScore) {
  SearchCriteria q = Query("William", "Smith", D("2012-03-04"));
  q.gender = Gender::kFemale;
  const SearchResponse r = Find(q);
  ASSERT_FALSE(r.matches.empty());
  EXPECT_EQ(r.matches[0].score, 90);
}

TEST_F(SearchIndexTest, UpsertReplacesAndRemoveDeletes) {
  EXPECT_EQ(index_.size(), 12u);
  IndexedChild renamed = Child(6, "Olivia", "Ashworth", "2013-05-06");
  index_.Upsert(renamed);
  EXPECT_EQ(index_.size(), 12u);
  EXPECT_EQ(RankOf(Query("Olivia", "Wright"), 6), -1);
  EXPECT_EQ(RankOf(Query("Olivia", "Ashworth"), 6), 0);
  EXPECT_TRUE(index_.Remove(6));
  EXPECT_FALSE(index_.Remove(6));
  EXPECT_EQ(RankOf(Query("Olivia", "Ashworth"), 6), -1);
  EXPECT_EQ(index_.size(), 11u);
  const IndexStats s = index_.Stats();
  EXPECT_EQ(s.live_children, 11u);
  EXPECT_EQ(s.slots, 13u);
  EXPECT_GT(s.total_bytes, 0u);
}

TEST(SearchIndexBuilderTest, BulkBuildMatchesUpsertsAndRejectsDuplicates) {
  SearchIndex::Builder b;
  ASSERT_TRUE(b.Add(Child(1, "Olivia", "Wright", "2013-05-06")).ok());
  ASSERT_TRUE(b.Add(Child(2, "Grace", "Wright", "2013-05-07")).ok());
  EXPECT_EQ(b.Add(Child(2, "Grace", "Wright", "2013-05-07")).code(),
            cp::StatusCode::kAlreadyExists);
  std::unique_ptr<SearchIndex> index = b.Finish();
  NoHiddenAccess none;
  auto r = index->Search(Query("Olivai", "Wright"), kOrdinaryUserLimit, none);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->matches.empty());
  EXPECT_EQ(r->matches[0].uin, 1u);
  // Writes after a bulk build land in the delta and are searchable.
  index->Upsert(Child(3, "Olivia", "Wright", "2013-05-06"));
  r = index->Search(Query("Olivia", "Wright", D("2013-05-06")), kOrdinaryUserLimit, none);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->matches.size(), 2u);
  EXPECT_EQ(r->matches[0].uin, 1u);  // Ties break by uin.
  EXPECT_EQ(r->matches[1].uin, 3u);
}

// ---- Trawling limits.

void AddNamesakes(SearchIndex& index, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    index.Upsert(Child(1000 + i, "Jane", "Ashdown", "2012-01-01"));
  }
  // Non-matching neighbours never count.
  index.Upsert(Child(5000, "Penelope", "Ashdown", "2012-01-01"));
  index.Upsert(Child(5001, "Jane", "Quimby", "2012-01-01"));
}

TEST(TrawlingTest, OrdinaryUserLimitIsTen) {
  NoHiddenAccess none;
  const SearchCriteria q = Query("Jane", "Ashdown", D("2012-01-01"));
  SearchIndex ten;
  AddNamesakes(ten, 10);
  auto r = ten.Search(q, kOrdinaryUserLimit, none);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outcome, SearchOutcome::kMatches);
  EXPECT_EQ(r->matches.size(), 10u);

  SearchIndex eleven;
  AddNamesakes(eleven, 11);
  r = eleven.Search(q, kOrdinaryUserLimit, none);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outcome, SearchOutcome::kTooManyMatches);
  EXPECT_TRUE(r->matches.empty());  // Nothing, not even how many, is revealed.
}

TEST(TrawlingTest, ShielderLimitIsThirtyFive) {
  NoHiddenAccess none;
  const SearchCriteria q = Query("Jane", "Ashdown", D("2012-01-01"));
  SearchIndex ok_index;
  AddNamesakes(ok_index, 35);
  auto r = ok_index.Search(q, kShielderLimit, none);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outcome, SearchOutcome::kMatches);
  EXPECT_EQ(r->matches.size(), 35u);
  // The same 35 are too many for an ordinary user.
  r = ok_index.Search(q, kOrdinaryUserLimit, none);
  EXPECT_EQ(r->outcome, SearchOutcome::kTooManyMatches);

  SearchIndex refused;
  AddNamesakes(refused, 36);
  r = refused.Search(q, kShielderLimit, none);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outcome, SearchOutcome::kTooManyMatches);
  EXPECT_TRUE(r->matches.empty());
}

TEST(TrawlingTest, RefusalDoesNotDependOnHowManyMatched) {
  NoHiddenAccess none;
  const SearchCriteria q = Query("Jane", "Ashdown", D("2012-01-01"));
  SearchIndex a, b;
  AddNamesakes(a, 11);
  AddNamesakes(b, 500);
  EXPECT_EQ(*a.Search(q, kOrdinaryUserLimit, none), *b.Search(q, kOrdinaryUserLimit, none));
}

// ---- Hidden fields of shielded children.

// Builds the same population twice, differing only in one hidden field of shielded child 77,
// and checks every query gets an identical response for a viewer who cannot see hidden fields.
class HiddenFieldTest : public ::testing::Test {
 protected:
  static IndexedChild Shielded(const std::function<void(IndexedChild&)>& hidden) {
    IndexedChild c = Child(77, "Amelia", "Hartley", "2011-04-09");
    c.shielded = true;
    c.authority = "E09000033";
    c.postcode = "SW1A 1AA";
    hidden(c);
    return c;
  }
  static void Populate(SearchIndex& index, const IndexedChild& shielded) {
    index.Upsert(shielded);
    index.Upsert(Child(78, "Amelia", "Hartley", "2011-04-10"));  // A near namesake.
    index.Upsert(Child(79, "Amelia", "Osborne", "2011-04-09"));
    index.Upsert(Child(80, "Thomas", "Fairbairn", "2011-04-09", Gender::kMale));
    for (uint64_t i = 0; i < 10; ++i) {
      index.Upsert(Child(100 + i, "Skye", "Osborne", "2011-04-09"));
    }
  }
  static std::vector<SearchCriteria> Queries() {
    std::vector<SearchCriteria> qs = {
        Query("Amelia", "Hartley"),
        Query("Amelia", "Hartley", D("2011-04-09")),
        Query("Amelia", "Osborne"),
        Query("Amelia", "Osborne", D("2011-04-09")),
        Query("Skye", "Osborne", D("2011-04-09")),
        Query("Skye", "Hartley"),
        Query("Amelia", "Fairbairn"),
        Query("", "Osborne", D("2011-04-09")),
        Query("Lily", "Hartley", D("2011-04-09")),
    };
    std::vector<SearchCriteria> with_postcodes;
    for (SearchCriteria q : qs) {
      with_postcodes.push_back(q);
      q.postcode = "SW1A 1AA";
      with_postcodes.push_back(q);
      q.postcode = "N1 9GU";
      with_postcodes.push_back(q);
    }
    return with_postcodes;
  }
  void ExpectIdentical(const IndexedChild& a, const IndexedChild& b, bool privileged_differs) {
    SearchIndex ia, ib;
    Populate(ia, a);
    Populate(ib, b);
    NoHiddenAccess none;
    AuthorityHiddenAccess other_authority({"E09000001"});
    AllHiddenAccess all;
    bool any_difference_for_privileged = false;
    for (const SearchCriteria& q : Queries()) {
      for (size_t limit : {kOrdinaryUserLimit, kShielderLimit}) {
        const std::vector<const HiddenFieldAccess*> viewers = {&none, &other_authority};
        for (const HiddenFieldAccess* viewer : viewers) {
          auto ra = ia.Search(q, limit, *viewer);
          auto rb = ib.Search(q, limit, *viewer);
          ASSERT_TRUE(ra.ok());
          ASSERT_TRUE(rb.ok());
          EXPECT_EQ(*ra, *rb) << "query " << q.given_name << " " << q.family_name << " "
                              << q.postcode;
        }
        if (!(*ia.Search(q, limit, all) == *ib.Search(q, limit, all))) {
          any_difference_for_privileged = true;
        }
      }
    }
    // Sanity: the field really matters to a viewer allowed to see it.
    EXPECT_EQ(any_difference_for_privileged, privileged_differs);
  }
};

TEST_F(HiddenFieldTest, PostcodeHasNoInfluence) {
  ExpectIdentical(Shielded([](IndexedChild& c) { c.postcode = "SW1A 1AA"; }),
                  Shielded([](IndexedChild& c) { c.postcode = "N1 9GU"; }), true);
  ExpectIdentical(Shielded([](IndexedChild& c) { c.postcode = "SW1A 1AA"; }),
                  Shielded([](IndexedChild& c) { c.postcode.clear(); }), true);
}

TEST_F(HiddenFieldTest, FormerNameHasNoInfluence) {
  ExpectIdentical(Shielded([](IndexedChild& c) {
                    c.former_names = {{"", "Osborne"}};
                  }),
                  Shielded([](IndexedChild& c) {
                    c.former_names = {{"", "Fairbairn"}};
                  }),
                  true);
  ExpectIdentical(Shielded([](IndexedChild& c) {
                    c.former_names = {{"", "Osborne"}};
                  }),
                  Shielded([](IndexedChild& c) { c.former_names.clear(); }), true);
}

TEST_F(HiddenFieldTest, KnownAsNameHasNoInfluence) {
  ExpectIdentical(Shielded([](IndexedChild& c) {
                    c.known_as_names = {{"Skye", ""}};
                  }),
                  Shielded([](IndexedChild& c) {
                    c.known_as_names = {{"Lily", ""}};
                  }),
                  true);
  ExpectIdentical(Shielded([](IndexedChild& c) {
                    c.known_as_names = {{"Skye", "Osborne"}};
                  }),
                  Shielded([](IndexedChild& c) { c.known_as_names.clear(); }), true);
}

TEST_F(HiddenFieldTest, ViewerOfTheResponsibleAuthoritySeesHiddenFields) {
  SearchIndex index;
  IndexedChild c = Child(77, "Amelia", "Hartley", "2011-04-09");
  c.shielded = true;
  c.authority = "E09000033";
  c.known_as_names = {{"Skye", ""}};
  index.Upsert(c);
  AuthorityHiddenAccess same({"E09000033"});
  NoHiddenAccess none;
  auto seen = index.Search(Query("Skye", "Hartley"), kOrdinaryUserLimit, same);
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->matches.size(), 1u);
  auto unseen = index.Search(Query("Skye", "Hartley"), kOrdinaryUserLimit, none);
  ASSERT_TRUE(unseen.ok());
  EXPECT_TRUE(unseen->matches.empty());
}

TEST(SearchIndexConcurrencyTest, WritesAreVisibleWhileSearchesRun) {
  SearchIndex index;
  for (uint64_t i = 0; i < 200; ++i) {
    index.Upsert(Child(i, "Reader" + std::to_string(i % 7), "Background", "2012-01-01"));
  }
  std::atomic<bool> stop{false};
  std::atomic<long> searches{0};
  std::vector<std::thread> readers;
  NoHiddenAccess none;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto r = index.Search(Query("Olivia", "Background", D("2012-01-01")), 10, none);
        EXPECT_TRUE(r.ok());
        ++searches;
      }
    });
  }
  for (uint64_t i = 0; i < 100; ++i) {
    IndexedChild c = Child(10000 + i, "Unique", "Writer" + std::to_string(i), "2010-02-02");
    c.date_of_birth = c.date_of_birth.AddDays(static_cast<int64_t>(i) * 3);
    index.Upsert(c);
    // Visible to the very next search.
    auto r = index.Search(Query("Unique", "Writer" + std::to_string(i), c.date_of_birth), 10, none);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.ok() && !r->matches.empty() && r->matches[0].uin == 10000 + i) << i;
    if (i % 2 == 0) {
      EXPECT_TRUE(index.Remove(10000 + i));
    }
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(searches.load(), 0);
  EXPECT_EQ(index.size(), 250u);
}

// ---- Parallel bulk build and compaction.

constexpr uint64_t kPopulationSeed = 20240601;

// Queries with known answers over `uins` (several perturbation types), as the match-quality
// test makes them.
std::vector<SearchCriteria> QueriesFor(const std::map<uint64_t, IndexedChild>& children,
                                       size_t count) {
  cp::SeededRandom rng(11);
  std::vector<SearchCriteria> out;
  std::vector<uint64_t> uins;
  for (const auto& [uin, c] : children) uins.push_back(uin);
  for (size_t attempt = 0; out.size() < count && attempt < count * 20; ++attempt) {
    const IndexedChild& child = children.at(uins[rng.Uniform(uins.size())]);
    const auto type = static_cast<synthetic::Perturbation>(attempt % synthetic::kPerturbationCount);
    if (auto q = synthetic::MakeQuery(child, type, rng)) out.push_back(*q);
  }
  return out;
}

std::unique_ptr<SearchIndex> BuildFresh(const std::map<uint64_t, IndexedChild>& children) {
  std::vector<IndexedChild> all;
  for (const auto& [uin, c] : children) all.push_back(c);
  SearchIndex::Builder b;
  EXPECT_TRUE(b.AddBatch(all, 2).ok());
  return b.Finish();
}

// Every query gets the same response from both indexes, for a viewer who sees hidden fields
// and one who does not.
void ExpectSameResponses(const SearchIndex& a, const SearchIndex& b,
                         const std::vector<SearchCriteria>& queries) {
  AllHiddenAccess all;
  NoHiddenAccess none;
  for (size_t i = 0; i < queries.size(); ++i) {
    for (const HiddenFieldAccess* viewer : {static_cast<const HiddenFieldAccess*>(&all),
                                            static_cast<const HiddenFieldAccess*>(&none)}) {
      auto ra = a.Search(queries[i], kOrdinaryUserLimit, *viewer);
      auto rb = b.Search(queries[i], kOrdinaryUserLimit, *viewer);
      ASSERT_TRUE(ra.ok() && rb.ok());
      EXPECT_EQ(*ra, *rb) << "query " << i << ": " << queries[i].given_name << " "
                          << queries[i].family_name;
    }
  }
}

TEST(SearchIndexBuilderTest, ParallelBatchBuildEqualsOneByOne) {
  std::map<uint64_t, IndexedChild> children;
  for (uint64_t uin = 1; uin <= 3000; ++uin)
    children[uin] = synthetic::MakeChild(kPopulationSeed, uin);
  SearchIndex::Builder one_by_one;
  for (const auto& [uin, c] : children) ASSERT_TRUE(one_by_one.Add(c).ok());
  std::unique_ptr<SearchIndex> sequential = one_by_one.Finish();
  std::unique_ptr<SearchIndex> parallel = BuildFresh(children);
  EXPECT_EQ(parallel->Stats().postings, sequential->Stats().postings);
  ExpectSameResponses(*parallel, *sequential, QueriesFor(children, 600));
  // A duplicate in a batch is skipped and reported; the first copy stays.
  SearchIndex::Builder b;
  std::vector<IndexedChild> batch = {children.at(1), children.at(2), children.at(1)};
  EXPECT_EQ(b.AddBatch(batch, 2).code(), cp::StatusCode::kAlreadyExists);
  EXPECT_EQ(b.Finish()->size(), 2u);
}

TEST(SearchIndexCompactionTest, FreesGarbageReusesSlotsAndMatchesAFreshBuild) {
  std::map<uint64_t, IndexedChild> children;
  for (uint64_t uin = 1; uin <= 4000; ++uin)
    children[uin] = synthetic::MakeChild(kPopulationSeed, uin);
  std::unique_ptr<SearchIndex> index = BuildFresh(children);
  // Replace 300 children (renamed: a different family name and date of birth) and remove 200.
  for (uint64_t uin = 1; uin <= 300; ++uin) {
    IndexedChild c = synthetic::MakeChild(kPopulationSeed, uin + 100000);
    c.uin = uin;
    index->Upsert(c);
    children[uin] = c;
  }
  for (uint64_t uin = 301; uin <= 500; ++uin) {
    ASSERT_TRUE(index->Remove(uin));
    children.erase(uin);
  }
  EXPECT_EQ(index->garbage_slots(), 500u);
  IndexStats before = index->Stats();
  EXPECT_EQ(before.slots, 4300u);
  EXPECT_EQ(before.garbage_slots, 500u);
  // Queries for the current children, and for the old values of replaced/removed ones.
  std::map<uint64_t, IndexedChild> old_values;
  for (uint64_t uin = 1; uin <= 500; ++uin)
    old_values[uin] = synthetic::MakeChild(kPopulationSeed, uin);
  std::vector<SearchCriteria> queries = QueriesFor(children, 600);
  for (const SearchCriteria& q : QueriesFor(old_values, 200)) queries.push_back(q);

  std::unique_ptr<SearchIndex> reference = BuildFresh(children);
  ExpectSameResponses(*index, *reference, queries);

  EXPECT_EQ(index->Compact(), 500u);
  EXPECT_EQ(index->Compact(), 0u);  // Nothing more to free.
  IndexStats after = index->Stats();
  EXPECT_EQ(after.live_children, 3800u);
  EXPECT_EQ(after.garbage_slots, 0u);
  EXPECT_EQ(after.free_slots, 500u);
  EXPECT_EQ(after.postings, reference->Stats().postings);  // Only live children's postings.
  EXPECT_LT(after.posting_bytes, before.posting_bytes);
  ExpectSameResponses(*index, *reference, queries);

  // New children take the freed slots: the child table does not grow.
  for (uint64_t uin = 10001; uin <= 10400; ++uin) {
    IndexedChild c = synthetic::MakeChild(kPopulationSeed, uin);
    index->Upsert(c);
    children[uin] = c;
  }
  after = index->Stats();
  EXPECT_EQ(after.slots, 4300u);
  EXPECT_EQ(after.free_slots, 100u);
  reference = BuildFresh(children);
  queries = QueriesFor(children, 600);
  for (const SearchCriteria& q : QueriesFor(old_values, 200)) queries.push_back(q);
  ExpectSameResponses(*index, *reference, queries);
  // And once more: the writes since the last compaction are merged into the base.
  index->Upsert(children.at(1));  // Replaces itself: one more dead slot.
  EXPECT_EQ(index->Compact(), 1u);
  ExpectSameResponses(*index, *reference, queries);
}

TEST(SearchIndexCompactionTest, ReusedSlotDoesNotInheritHiddenNames) {
  SearchIndex index;
  IndexedChild shielded = Child(8, "Margaret", "Thompson", "2016-08-08");
  shielded.known_as_names.push_back({"Skye", ""});
  shielded.former_names.push_back({"", "Fairweather"});
  shielded.shielded = true;
  index.Upsert(shielded);
  index.Upsert(Child(9, "Jonathan", "Williamson", "2012-06-15"));
  AllHiddenAccess all;
  auto found = [&](const SearchCriteria& q) {
    auto r = index.Search(q, kOrdinaryUserLimit, all);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->matches.size() : 0u;
  };
  EXPECT_EQ(found(Query("Margaret", "Fairweather", D("2016-08-08"))), 1u);
  EXPECT_EQ(found(Query("Skye", "Thompson")), 1u);
  ASSERT_TRUE(index.Remove(8));
  EXPECT_EQ(index.Compact(), 1u);
  // An unshielded child with the same date of birth takes the freed slot.
  index.Upsert(Child(50, "Margaret", "Ashworth", "2016-08-08"));
  EXPECT_EQ(index.Stats().slots, 2u);
  EXPECT_EQ(found(Query("Margaret", "Fairweather", D("2016-08-08"))), 0u);
  EXPECT_EQ(found(Query("Skye", "Thompson")), 0u);
  EXPECT_EQ(found(Query("Skye", "Ashworth")), 0u);
  EXPECT_EQ(found(Query("Margaret", "Thompson", D("2016-08-08"))), 0u);
  EXPECT_EQ(found(Query("Margaret", "Ashworth", D("2016-08-08"))), 1u);
}

TEST(SearchIndexCompactionTest, RunsWhileSearchesAndWritesGoOn) {
  // Given names far apart, so a search for one finds exactly its namesakes.
  const std::vector<std::string> given = {"Olivia", "Mohammed", "Zainab",     "Krzysztof",
                                          "Ngozi",  "Eilidh",   "Bartholomew"};
  SearchIndex index;
  for (uint64_t i = 0; i < 300; ++i)
    index.Upsert(Child(i, given[i % 7], "Background", "2012-01-01"));
  std::atomic<bool> stop{false};
  std::atomic<long> searches{0};
  std::atomic<long> compactions{0};
  NoHiddenAccess none;
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    while (!stop.load()) {
      auto r = index.Search(Query("Krzysztof", "Background"), 50, none);
      EXPECT_TRUE(r.ok());
      ++searches;
    }
  });
  threads.emplace_back([&] {
    while (!stop.load()) {
      index.Compact();
      ++compactions;
    }
  });
  for (uint64_t i = 0; i < 200; ++i) {
    IndexedChild c = Child(10000 + i, "Unique", "Writer" + std::to_string(i), "2010-02-02");
    c.date_of_birth = c.date_of_birth.AddDays(static_cast<int64_t>(i) * 3);
    index.Upsert(c);
    auto r = index.Search(Query("Unique", "Writer" + std::to_string(i), c.date_of_birth), 10, none);
    // Visible to the very next search (best match: exact, 100).
    EXPECT_TRUE(r.ok() && !r->matches.empty() && r->matches[0].uin == 10000 + i) << i;
    index.Upsert(Child(i, given[i % 7], "Background", "2012-01-01"));  // Replaced: garbage.
    if (i % 2 == 0) {
      EXPECT_TRUE(index.Remove(10000 + i));
    }
  }
  stop = true;
  for (auto& t : threads) t.join();
  index.Compact();
  EXPECT_GT(searches.load(), 0);
  EXPECT_GT(compactions.load(), 0);
  EXPECT_EQ(index.size(), 400u);
  const IndexStats s = index.Stats();
  EXPECT_EQ(s.garbage_slots, 0u);
  EXPECT_EQ(s.slots, s.live_children + s.free_slots);
  // Every Krzysztof Background is found (43 of the 300), however the writes interleaved.
  auto r = index.Search(Query("Krzysztof", "Background"), 50, none);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->matches.size(), 43u);
}

}  // namespace
}  // namespace cp::search
