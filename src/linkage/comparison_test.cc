#include "linkage/comparison.h"

#include <gtest/gtest.h>

namespace cp::linkage {
namespace {

NameLevel Names(std::string_view a, std::string_view b, bool nickname = true) {
  return CompareNameTokens(MakeNameToken(a), MakeNameToken(b), nickname);
}

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

TEST(NameLevelTest, EachLevel) {
  EXPECT_EQ(Names("william", "william"), NameLevel::kExact);
  EXPECT_EQ(Names("bill", "william"), NameLevel::kNickname);
  EXPECT_EQ(Names("liz", "elizabeth"), NameLevel::kNickname);
  EXPECT_EQ(Names("jonathon", "jonathan"), NameLevel::kJaroWinkler);    // One letter.
  EXPECT_EQ(Names("katherine", "catherine"), NameLevel::kJaroWinkler);  // JW 0.926.
  EXPECT_EQ(Names("smyth", "smith"), NameLevel::kPhonetic);             // JW 0.89, both SM0.
  EXPECT_EQ(Names("oliver", "george"), NameLevel::kDisagree);
  EXPECT_EQ(Names("", "george"), NameLevel::kMissing);
}

TEST(NameLevelTest, NicknamesOnlyForGivenNames) {
  EXPECT_EQ(Names("bill", "william", /*nickname=*/false), NameLevel::kDisagree);
}

TEST(NameLevelTest, PhoneticNeedsTheJaroWinklerFloor) {
  // The phonetic level needs a shared code; "Kim" (KM) and "King" (KNK) share none.
  EXPECT_EQ(MakeNameToken("smyth").metaphone_primary, MakeNameToken("smith").metaphone_primary);
  EXPECT_EQ(Names("kim", "king"), NameLevel::kDisagree);
}

TEST(NameLevelTest, PhoneticBlockingCodeIsTheMetaphoneOrAHashForOtherScripts) {
  EXPECT_EQ(PhoneticBlockingCode(MakeNameToken("smith")),
            PhoneticBlockingCode(MakeNameToken("smyth")));
  uint64_t cyrillic = PhoneticBlockingCode(MakeNameToken("иванов"));
  EXPECT_NE(cyrillic, 0u);
  EXPECT_NE(cyrillic, PhoneticBlockingCode(MakeNameToken("петрова")));
  EXPECT_EQ(PhoneticBlockingCode(MakeNameToken("")), 0u);
}

TEST(DateLevelTest, EachLevel) {
  EXPECT_EQ(CompareDates(D(2015, 3, 7), D(2015, 3, 7)), DateLevel::kExact);
  EXPECT_EQ(CompareDates(D(2015, 3, 7), D(2015, 7, 3)), DateLevel::kDayMonthSwap);
  EXPECT_EQ(CompareDates(D(2015, 3, 7), D(2016, 3, 7)), DateLevel::kOneComponent);
  EXPECT_EQ(CompareDates(D(2015, 3, 7), D(2015, 4, 7)), DateLevel::kOneComponent);
  EXPECT_EQ(CompareDates(D(2015, 3, 7), D(2015, 3, 8)), DateLevel::kOneComponent);
  EXPECT_EQ(CompareDates(D(2015, 3, 7), D(2016, 4, 7)), DateLevel::kDisagree);
  EXPECT_EQ(CompareDates(D(2015, 3, 7), std::nullopt), DateLevel::kMissing);
  // Swapping equal day and month is not a swap (it is exact).
  EXPECT_EQ(CompareDates(D(2015, 3, 3), D(2015, 3, 3)), DateLevel::kExact);
}

TEST(PostcodeLevelTest, FullSectorDistrict) {
  uint64_t a = PackPostcode("SW1A 1AA");
  EXPECT_EQ(a, PackPostcode("sw1a1aa"));
  EXPECT_EQ(ComparePackedPostcodes(a, PackPostcode("SW1A 1AA")), PostcodeLevel::kFull);
  EXPECT_EQ(ComparePackedPostcodes(a, PackPostcode("SW1A 1BB")), PostcodeLevel::kSector);
  EXPECT_EQ(ComparePackedPostcodes(a, PackPostcode("SW1A 2AA")), PostcodeLevel::kDistrict);
  EXPECT_EQ(ComparePackedPostcodes(a, PackPostcode("M1 1AA")), PostcodeLevel::kDisagree);
  EXPECT_EQ(ComparePackedPostcodes(a, PackPostcode("")), PostcodeLevel::kMissing);
  // Four-digit (FEBRL, Australian) postcodes: sector = first two, district = first digit.
  EXPECT_EQ(ComparePackedPostcodes(PackPostcode("4223"), PackPostcode("4288")),
            PostcodeLevel::kSector);
  EXPECT_EQ(ComparePackedPostcodes(PackPostcode("4223"), PackPostcode("4523")),
            PostcodeLevel::kDistrict);
  EXPECT_EQ(PostcodeDistrict(PackPostcode("AB")), 0u);
}

TEST(GenderLevelTest, OnlyKnownGendersCompare) {
  using domain::Gender;
  EXPECT_EQ(CompareGenders(Gender::kMale, Gender::kMale), GenderLevel::kAgree);
  EXPECT_EQ(CompareGenders(Gender::kMale, Gender::kFemale), GenderLevel::kDisagree);
  EXPECT_EQ(CompareGenders(Gender::kNotKnown, Gender::kFemale), GenderLevel::kMissing);
  EXPECT_EQ(CompareGenders(Gender::kNotSpecified, Gender::kMale), GenderLevel::kMissing);
}

TEST(IdentifierLevelTest, ExactOneEditOtherwise) {
  EXPECT_EQ(NormalizeIdentifier("485 777 3456"), "4857773456");
  EXPECT_EQ(CompareIdentifiers("4857773456", "4857773456"), IdentifierLevel::kExact);
  EXPECT_EQ(CompareIdentifiers("4857773456", "4857773465"), IdentifierLevel::kOneEdit);
  EXPECT_EQ(CompareIdentifiers("4857773456", "4857773457"), IdentifierLevel::kOneEdit);
  EXPECT_EQ(CompareIdentifiers("4857773456", "1234567890"), IdentifierLevel::kDisagree);
  EXPECT_EQ(CompareIdentifiers("", "1234567890"), IdentifierLevel::kMissing);
}

TEST(AddressWordsTest, NumbersAndGenericWords) {
  EXPECT_TRUE(IsHouseNumber("12"));
  EXPECT_FALSE(IsHouseNumber("12a"));
  EXPECT_TRUE(IsGenericAddressWord("street"));
  EXPECT_TRUE(IsGenericAddressWord("road"));
  EXPECT_FALSE(IsGenericAddressWord("pinkerton"));
}

TEST(LevelNamesTest, Named) {
  EXPECT_EQ(NameLevelName(NameLevel::kJaroWinkler), "jaro_winkler");
  EXPECT_EQ(DateLevelName(DateLevel::kDayMonthSwap), "day_month_swap");
  EXPECT_EQ(PostcodeLevelName(PostcodeLevel::kSector), "sector");
  EXPECT_EQ(GenderLevelName(GenderLevel::kAgree), "agree");
  EXPECT_EQ(CarerLevelName(CarerLevel::kPartial), "partial");
  EXPECT_EQ(AddressLevelName(AddressLevel::kStreet), "street");
  EXPECT_EQ(IdentifierLevelName(IdentifierLevel::kOneEdit), "one_edit");
}

}  // namespace
}  // namespace cp::linkage
