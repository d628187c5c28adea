#include "linkage/fellegi_sunter_matcher.h"

#include <gtest/gtest.h>

#include <string>

#include "linkage/match_features.h"

namespace cp::linkage {
namespace {

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

MatchInput Child(std::string given, std::string family, Date dob, std::string postcode = "",
                 domain::Gender gender = domain::Gender::kFemale) {
  MatchInput in;
  in.given_names = std::move(given);
  in.family_name = std::move(family);
  in.date_of_birth = dob;
  in.postcode = std::move(postcode);
  in.gender = gender;
  return in;
}

// A small population with unrelated children around the ones a test looks for (ids 1001..1056).
void AddPopulation(FellegiSunterMatcher& matcher) {
  const char* given[] = {"oliver", "amelia", "george", "isla", "harry", "ava", "noah", "ivy"};
  const char* family[] = {"jones", "taylor", "brown", "davies", "evans", "wilson", "thomas"};
  int64_t id = 1000;
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 7; ++j) {
      matcher.Add(++id, Child(given[i], family[j], D(2010 + (i + j) % 8, 1 + j, 1 + i * 3),
                              "LS" + std::to_string(i + 1) + " " + std::to_string(j) + "AB"));
    }
  }
}

class MatcherTest : public ::testing::Test {
 protected:
  void SetUp() override { AddPopulation(matcher_); }
  FellegiSunterMatcher matcher_;
};

TEST_F(MatcherTest, IdenticalRowIsAnAutomaticMatch) {
  MatchInput mary = Child("Mary", "Featherstone", D(2014, 5, 17), "SW1A 1AA");
  matcher_.Add(1, mary);
  MatchResult r = matcher_.Classify(mary);
  EXPECT_EQ(r.outcome, MatchOutcome::kMatch);
  ASSERT_FALSE(r.candidates.empty());
  EXPECT_EQ(r.candidates.front().child_id, 1);
  EXPECT_GE(r.candidates.front().weight, matcher_.thresholds().upper);
}

// A fuller input (other names, carers, address, town, identifier) for the features tests.
MatchInput FullChild(std::string given, std::string family, Date dob) {
  MatchInput in = Child(std::move(given), std::move(family), dob, "LS1 0AB");
  in.other_names = {"Polly Brown", "Molly"};
  in.carer_names = {"Jane Featherstone", "Bob"};
  in.address = "12 Pinkerton Circuit, Bega Flats";
  in.town = "Leeds";
  in.identifier = "ab-123 456";
  return in;
}

TEST_F(MatcherTest, AttachedFeaturesGiveExactlyTheResultsOfThePlainInput) {
  // The importer attaches features once and reuses them; the verdicts must not change.
  MatchInput mary = FullChild("Mary Ann", "Featherstone", D(2014, 5, 17));
  MatchInput prepared_mary = mary;
  matcher_.PrepareInput(prepared_mary);
  ASSERT_NE(prepared_mary.features, nullptr);
  matcher_.Add(1, prepared_mary);
  // The same population added from plain inputs (term frequencies depend on the population).
  FellegiSunterMatcher plain;
  AddPopulation(plain);
  plain.Add(1, mary);
  ASSERT_EQ(plain.Size(), matcher_.Size());
  for (MatchInput probe : {FullChild("Marie Ann", "Fetherstone", D(2014, 5, 17)),
                           FullChild("Mary", "Featherstone", D(2014, 7, 15)),
                           FullChild("Molly", "Brown", D(2014, 5, 17))}) {
    MatchResult without = matcher_.Classify(probe);
    matcher_.PrepareInput(probe);
    MatchResult with = matcher_.Classify(probe);
    EXPECT_EQ(with.outcome, without.outcome);
    ASSERT_EQ(with.candidates.size(), without.candidates.size());
    for (size_t i = 0; i < with.candidates.size(); ++i) {
      EXPECT_EQ(with.candidates[i].child_id, without.candidates[i].child_id);
      EXPECT_DOUBLE_EQ(with.candidates[i].weight, without.candidates[i].weight);
    }
    // A child added from features is graded exactly as one added from the plain input.
    auto from_features = matcher_.Compare(probe, 1);
    auto from_plain = plain.Compare(probe, 1);
    ASSERT_TRUE(from_features.has_value() && from_plain.has_value());
    EXPECT_EQ(from_features->weights, from_plain->weights);
  }
}

TEST(MatchFeaturesTest, NormalisesEveryItemOnce) {
  MatchFeatures f = ComputeMatchFeatures(FullChild("Mary Ann", "Featherstone", D(2014, 5, 17)));
  ASSERT_EQ(f.given.size(), 3u);  // mary, ann, and the joined "maryann".
  EXPECT_EQ(f.given[2].text, "maryann");
  EXPECT_NE(f.given[0].metaphone_primary, 0u);
  ASSERT_EQ(f.other_family.size(), 2u);  // "brown" and "molly" (a one-word other name).
  ASSERT_EQ(f.other_given.size(), 1u);   // "polly".
  ASSERT_EQ(f.carers.size(), 2u);
  EXPECT_TRUE(f.carers[1].last.text.empty());  // "Bob": a one-word carer has no last name.
  for (const NameToken& t : f.address) EXPECT_FALSE(IsGenericAddressWord(t.text));
  EXPECT_EQ(f.identifier.text, NormalizeIdentifier("ab-123 456"));
  EXPECT_EQ(f.postcode, PackPostcode("LS1 0AB"));
}

TEST_F(MatcherTest, UnrelatedRowIsNewWithNoCandidates) {
  MatchResult r = matcher_.Classify(Child("Zebedee", "Quartermaine", D(2009, 2, 2), "TR1 1AA"));
  EXPECT_EQ(r.outcome, MatchOutcome::kNew);
  EXPECT_TRUE(r.candidates.empty());
}

TEST_F(MatcherTest, TypoInFamilyNameStillFindsTheChild) {
  // "Featherstone" -> "Faetherstone" changes the family name's phonetic code's neighbourhood:
  // the given-name + date-of-birth key still brings the child in.
  matcher_.Add(1, Child("Mary", "Featherstone", D(2014, 5, 17), "SW1A 1AA"));
  MatchResult r = matcher_.Classify(Child("Mary", "Pheatherstone", D(2014, 5, 17), "SW1A 1AA"));
  ASSERT_FALSE(r.candidates.empty());
  EXPECT_EQ(r.candidates.front().child_id, 1);
  EXPECT_EQ(r.outcome, MatchOutcome::kMatch);
}

TEST(MatcherBlockingTest, TypoInFamilyNameAndWrongDateStillFoundThroughPostcode) {
  // A lower threshold far down shows every candidate blocking brings in.
  FellegiSunterMatcher matcher(DefaultMatchModel(), Thresholds{.lower = -100, .upper = 20});
  matcher.Add(1, Child("Mary", "Featherstone", D(2014, 5, 17), "SW1A 1AA"));
  matcher.Add(2, Child("Mary", "Featherstone", D(2014, 5, 17), "M1 1AA"));
  MatchResult r = matcher.Classify(Child("Mary", "Pheatherstone", D(2012, 9, 3), "SW1A 1AA"));
  ASSERT_EQ(r.candidates.size(), 1u);  // Only the child at that postcode shares a key.
  EXPECT_EQ(r.candidates.front().child_id, 1);
}

TEST_F(MatcherTest, ComparisonLevelsOfEachField) {
  MatchInput stored =
      Child("William James", "Smith", D(2013, 4, 9), "M1 1AA", domain::Gender::kMale);
  stored.carer_names = {"Sarah Smith", "Tom Smith"};
  stored.address = "12 Church Road";
  stored.town = "Oakford";
  matcher_.Add(1, stored);

  MatchInput in = Child("Bill", "Smyth", D(2013, 9, 4), "M1 1BB", domain::Gender::kMale);
  in.carer_names = {"Sara Smith"};
  in.address = "12 Church Rd";
  in.town = "Oakferd";
  FieldComparison c = *matcher_.Compare(in, 1);
  EXPECT_EQ(c.given, NameLevel::kNickname);
  EXPECT_EQ(c.family, NameLevel::kPhonetic);
  EXPECT_EQ(c.date_of_birth, DateLevel::kDayMonthSwap);
  EXPECT_EQ(c.postcode, PostcodeLevel::kSector);
  EXPECT_EQ(c.gender, GenderLevel::kAgree);
  EXPECT_EQ(c.carers, CarerLevel::kFullName);  // "Sara" ~ "Sarah" (Jaro-Winkler).
  EXPECT_EQ(c.address, AddressLevel::kFull);
  EXPECT_EQ(c.town, NameLevel::kJaroWinkler);
  EXPECT_EQ(c.identifier, IdentifierLevel::kMissing);
  EXPECT_FALSE(c.swapped_names);

  in.given_names = "James";  // A middle name agrees exactly.
  in.carer_names = {"Sarah Jones"};
  in.address = "40 Mill Lane";
  in.gender = domain::Gender::kFemale;
  c = *matcher_.Compare(in, 1);
  EXPECT_EQ(c.given, NameLevel::kExact);
  EXPECT_EQ(c.carers, CarerLevel::kPartial);
  EXPECT_EQ(c.address, AddressLevel::kDisagree);
  EXPECT_EQ(c.gender, GenderLevel::kDisagree);
  EXPECT_LT(c.weights[4], 0);

  in.given_names = "";  // Unknown items neither agree nor disagree.
  in.date_of_birth.reset();
  in.postcode = "";
  c = *matcher_.Compare(in, 1);
  EXPECT_EQ(c.given, NameLevel::kMissing);
  EXPECT_EQ(c.weights[0], 0);
  EXPECT_EQ(c.date_of_birth, DateLevel::kMissing);
  EXPECT_EQ(c.weights[2], 0);
  EXPECT_EQ(c.postcode, PostcodeLevel::kMissing);
}

TEST_F(MatcherTest, DisagreementsWeighAgainst) {
  matcher_.Add(1, Child("Mary", "Featherstone", D(2014, 5, 17), "SW1A 1AA"));
  FieldComparison agree = *matcher_.Compare(Child("Mary", "Featherstone", D(2014, 5, 17)), 1);
  FieldComparison disagree = *matcher_.Compare(Child("Mary", "Featherstone", D(2011, 8, 2)), 1);
  EXPECT_GT(agree.weights[2], 0);
  EXPECT_LT(disagree.weights[2], 0);
  EXPECT_GT(agree.total, disagree.total);
}

TEST_F(MatcherTest, SwappedNamesAgreeWithAPenalty) {
  matcher_.Add(1, Child("Mary", "Featherstone", D(2014, 5, 17), "SW1A 1AA"));
  FieldComparison swapped =
      *matcher_.Compare(Child("Featherstone", "Mary", D(2014, 5, 17), "SW1A 1AA"), 1);
  FieldComparison straight =
      *matcher_.Compare(Child("Mary", "Featherstone", D(2014, 5, 17), "SW1A 1AA"), 1);
  EXPECT_TRUE(swapped.swapped_names);
  EXPECT_EQ(swapped.given, NameLevel::kExact);
  EXPECT_EQ(swapped.family, NameLevel::kExact);
  EXPECT_NEAR(straight.total - swapped.total, matcher_.model().swapped_names_penalty, 1e-9);
}

TEST_F(MatcherTest, OtherNamesAgree) {
  MatchInput adopted = Child("Mary", "Featherstone", D(2014, 5, 17), "SW1A 1AA");
  adopted.other_names = {"Mary Quartermaine"};
  matcher_.Add(1, adopted);
  FieldComparison c =
      *matcher_.Compare(Child("Mary", "Quartermaine", D(2014, 5, 17), "SW1A 1AA"), 1);
  EXPECT_EQ(c.family, NameLevel::kExact);
  // The former family name is a blocking key too.
  MatchResult r = matcher_.Classify(Child("Mary", "Quartermaine", D(2014, 5, 17)));
  ASSERT_FALSE(r.candidates.empty());
  EXPECT_EQ(r.candidates.front().child_id, 1);
}

TEST_F(MatcherTest, RareNamesAgreeingWeighMoreThanCommonOnes) {
  FellegiSunterMatcher m;
  for (int i = 0; i < 3000; ++i) {
    m.Add(i, Child(i % 2 ? "Oliver" : "Amelia", "Smith", D(2008 + i % 17, 1 + i % 12, 1 + i % 28)));
  }
  m.Add(5000, Child("Oliver", "Featherstonehaugh", D(2015, 6, 6)));
  m.Add(5001, Child("Oliver", "Smith", D(2015, 6, 6)));
  FieldComparison rare = *m.Compare(Child("Oliver", "Featherstonehaugh", D(2015, 6, 6)), 5000);
  FieldComparison common = *m.Compare(Child("Oliver", "Smith", D(2015, 6, 6)), 5001);
  EXPECT_EQ(rare.family, NameLevel::kExact);
  EXPECT_EQ(common.family, NameLevel::kExact);
  EXPECT_GT(rare.weights[1], common.weights[1] + 3);
  // Term frequencies follow removals too.
  for (int i = 0; i < 3000; ++i) m.Remove(i);
  FieldComparison later = *m.Compare(Child("Oliver", "Smith", D(2015, 6, 6)), 5001);
  EXPECT_GT(later.weights[1], common.weights[1] + 3);
}

TEST_F(MatcherTest, ExcludedChildrenAreNeverProposed) {
  MatchInput mary = Child("Mary", "Featherstone", D(2014, 5, 17), "SW1A 1AA");
  matcher_.Add(1, mary);
  matcher_.Add(2, mary);  // A duplicate already in the directory.
  MatchResult both = matcher_.Classify(mary);
  ASSERT_EQ(both.candidates.size(), 2u);
  MatchResult r = matcher_.Classify(mary, {1});
  ASSERT_EQ(r.candidates.size(), 1u);
  EXPECT_EQ(r.candidates.front().child_id, 2);
  r = matcher_.Classify(mary, {1, 2});
  EXPECT_EQ(r.outcome, MatchOutcome::kNew);
  EXPECT_TRUE(r.candidates.empty());
}

TEST_F(MatcherTest, AddReplacesAndRemoveForgets) {
  size_t base = matcher_.Size();
  MatchInput mary = Child("Mary", "Featherstone", D(2014, 5, 17), "SW1A 1AA");
  MatchInput zoe = Child("Zoe", "Quartermaine", D(2011, 2, 3), "TR1 1AA");
  matcher_.Add(1, mary);
  EXPECT_EQ(matcher_.Size(), base + 1);
  matcher_.Add(1, zoe);  // Replace: same id, new details.
  EXPECT_EQ(matcher_.Size(), base + 1);
  EXPECT_EQ(matcher_.Classify(mary).outcome, MatchOutcome::kNew);
  MatchResult r = matcher_.Classify(zoe);
  ASSERT_EQ(r.outcome, MatchOutcome::kMatch);
  EXPECT_EQ(r.candidates.front().child_id, 1);

  matcher_.Remove(1);
  EXPECT_EQ(matcher_.Size(), base);
  EXPECT_EQ(matcher_.Classify(zoe).outcome, MatchOutcome::kNew);
  EXPECT_FALSE(matcher_.Compare(zoe, 1).has_value());
  matcher_.Remove(424242);  // Unknown: ignored.
  EXPECT_EQ(matcher_.Size(), base);
  matcher_.Add(1, mary);  // Back again after removal.
  EXPECT_EQ(matcher_.Classify(mary).outcome, MatchOutcome::kMatch);
}

TEST_F(MatcherTest, ThresholdsDecideTheOutcome) {
  MatchInput mary = Child("Mary", "Featherstone", D(2014, 5, 17), "SW1A 1AA");
  matcher_.Add(1, mary);
  MatchInput typo = Child("Marry", "Featherstone", D(2014, 5, 18));
  FellegiSunterMatcher alone;  // The same population as below, so the same weight.
  alone.Add(1, mary);
  double w = alone.Compare(typo, 1)->total;

  auto classify = [&](Thresholds t) {
    FellegiSunterMatcher m(DefaultMatchModel(), t);
    m.Add(1, mary);
    return m.Classify(typo);
  };
  EXPECT_EQ(classify({w - 2, w - 1}).outcome, MatchOutcome::kMatch);
  EXPECT_EQ(classify({w - 1, w}).outcome, MatchOutcome::kMatch);  // At the upper: a match.
  MatchResult possible = classify({w - 1, w + 1});
  EXPECT_EQ(possible.outcome, MatchOutcome::kPossible);
  ASSERT_EQ(possible.candidates.size(), 1u);
  EXPECT_EQ(possible.candidates.front().child_id, 1);
  MatchResult fresh = classify({w + 1, w + 2});
  EXPECT_EQ(fresh.outcome, MatchOutcome::kNew);
  EXPECT_TRUE(fresh.candidates.empty());
}

TEST_F(MatcherTest, CandidatesAreBestFirstAndAtMostAHandful) {
  MatchInput mary = Child("Mary", "Featherstone", D(2014, 5, 17), "SW1A 1AA");
  for (int64_t id = 1; id <= 8; ++id) matcher_.Add(id, mary);
  matcher_.Add(9, Child("Mary", "Featherstone", D(2014, 5, 17)));  // No postcode: weaker.
  MatchResult r = matcher_.Classify(mary);
  ASSERT_EQ(r.candidates.size(), FellegiSunterMatcher::kMaxCandidates);
  for (size_t i = 1; i < r.candidates.size(); ++i) {
    EXPECT_GE(r.candidates[i - 1].weight, r.candidates[i].weight);
  }
  EXPECT_NE(r.candidates.back().child_id, 9);
}

TEST_F(MatcherTest, TwinsAreNeverAnAutomaticMatch) {
  MatchInput anna = Child("Anna", "Featherstone", D(2014, 5, 17), "SW1A 1AA");
  anna.carer_names = {"Sarah Featherstone"};
  anna.address = "12 Church Road";
  MatchInput beth = anna;
  beth.given_names = "Beth";
  matcher_.Add(1, anna);
  MatchResult r = matcher_.Classify(beth);
  EXPECT_NE(r.outcome, MatchOutcome::kMatch);
  FieldComparison c = *matcher_.Compare(beth, 1);
  EXPECT_EQ(c.given, NameLevel::kDisagree);
  EXPECT_LT(c.total, matcher_.thresholds().upper);
  // Agreeing identifiers say it is one child whose given name was recorded differently.
  anna.identifier = "4857773456";
  beth.identifier = "485 777 3456";
  matcher_.Add(1, anna);
  EXPECT_EQ(matcher_.Classify(beth).outcome, MatchOutcome::kMatch);
}

TEST_F(MatcherTest, SiblingsAreNotMatched) {
  MatchInput anna = Child("Anna", "Featherstone", D(2014, 5, 17), "SW1A 1AA");
  anna.carer_names = {"Sarah Featherstone", "Tom Featherstone"};
  anna.address = "12 Church Road";
  anna.town = "Oakford";
  MatchInput carl = anna;
  carl.given_names = "Carl";
  carl.gender = domain::Gender::kMale;
  carl.date_of_birth = D(2011, 9, 2);
  matcher_.Add(1, anna);
  FieldComparison c = *matcher_.Compare(carl, 1);
  // Postcode, carers, address and town agree, but count as one capped piece of evidence.
  EXPECT_GT(c.weights[3] + c.weights[5] + c.weights[6] + c.weights[7],
            matcher_.model().household_cap);
  EXPECT_NEAR(c.total,
              c.weights[0] + c.weights[1] + c.weights[2] + c.weights[4] + c.weights[8] +
                  matcher_.model().household_cap,
              1e-9);
  EXPECT_EQ(matcher_.Classify(carl).outcome, MatchOutcome::kNew) << c.total;
}

TEST_F(MatcherTest, StatsCountChildrenAndTokens) {
  MatcherStats s = matcher_.Stats();
  EXPECT_EQ(s.children, 56u);
  EXPECT_GT(s.distinct_tokens, 10u);
  EXPECT_GT(s.blocking_entries, 56u);
  EXPECT_GT(s.approx_bytes, 0u);
}

}  // namespace
}  // namespace cp::linkage
