#include "search/criteria.h"

#include <gtest/gtest.h>

namespace cp::search {
namespace {

TEST(CriteriaTest, MinimumIsFamilyNamePlusGivenNameOrDateOfBirth) {
  SearchCriteria c;
  c.family_name = "Smith";
  c.given_name = "John";
  EXPECT_TRUE(ValidateCriteria(c).ok());
  c.given_name.clear();
  c.date_of_birth = *cp::Date::Parse("2012-03-04");
  EXPECT_TRUE(ValidateCriteria(c).ok());
}

TEST(CriteriaTest, InsufficientCriteria) {
  SearchCriteria c;
  c.family_name = "Smith";
  cp::Status s = ValidateCriteria(c);
  EXPECT_EQ(s.code(), cp::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "insufficient_criteria");
  EXPECT_EQ(s.field(), "given_name");

  c.given_name = "John";
  c.family_name = " - ";  // No letters.
  s = ValidateCriteria(c);
  EXPECT_EQ(s.message(), "insufficient_criteria");
  EXPECT_EQ(s.field(), "family_name");

  SearchCriteria only_dob;
  only_dob.given_name = "John";
  only_dob.date_of_birth = *cp::Date::Parse("2012-03-04");
  EXPECT_EQ(ValidateCriteria(only_dob).message(), "insufficient_criteria");

  SearchCriteria postcode_only;
  postcode_only.family_name = "Smith";
  postcode_only.postcode = "SW1A 1AA";
  EXPECT_FALSE(ValidateCriteria(postcode_only).ok());
}

TEST(CriteriaTest, Bands) {
  EXPECT_EQ(ConfidenceBandForScore(100), ConfidenceBand::kHigh);
  EXPECT_EQ(ConfidenceBandForScore(90), ConfidenceBand::kHigh);
  EXPECT_EQ(ConfidenceBandForScore(89), ConfidenceBand::kMedium);
  EXPECT_EQ(ConfidenceBandForScore(80), ConfidenceBand::kMedium);
  EXPECT_EQ(ConfidenceBandForScore(79), ConfidenceBand::kLow);
  EXPECT_EQ(ConfidenceBandName(ConfidenceBand::kHigh), "high");
  EXPECT_EQ(ConfidenceBandName(ConfidenceBand::kMedium), "medium");
  EXPECT_EQ(ConfidenceBandName(ConfidenceBand::kLow), "low");
}

}  // namespace
}  // namespace cp::search
