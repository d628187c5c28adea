#include <gtest/gtest.h>

#include <set>

#include "domain/child_validation.h"
#include "domain/field_validation.h"
#include "domain/service_types.h"
#include "domain/uin.h"

namespace cp::domain {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

TEST(UinTest, GeneratedUinsAreValidRandomAndDistinct) {
  SeededRandom random(5);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    Uin uin = Uin::Generate(random);
    ASSERT_EQ(uin.str().size(), 11u);
    ASSERT_TRUE(Uin::Parse(uin.str()).ok()) << uin.str();
    seen.insert(uin.str());
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(UinTest, CheckCharacterFollowsIso7064Mod11_2) {
  // Independent vectors: ORCID identifiers use ISO 7064 MOD 11-2 over their first 15 digits.
  EXPECT_EQ(Uin::CheckCharacter("000000021825009"), '7');  // 0000-0002-1825-0097
  EXPECT_EQ(Uin::CheckCharacter("000000021694233"), 'X');  // 0000-0002-1694-233X
  EXPECT_EQ(Uin::CheckCharacter("000000015109370"), '0');  // 0000-0001-5109-3700
  EXPECT_EQ(Uin::CheckCharacter("0000000000"), '1');
}

TEST(UinTest, DetectsEverySingleDigitErrorAndAdjacentTransposition) {
  SeededRandom random(8);
  for (int n = 0; n < 50; ++n) {
    std::string good = Uin::Generate(random).str();
    for (size_t i = 0; i < 10; ++i) {
      for (char d = '0'; d <= '9'; ++d) {
        if (d == good[i]) continue;
        std::string bad = good;
        bad[i] = d;
        EXPECT_FALSE(Uin::Parse(bad).ok()) << good << " -> " << bad;
      }
      if (i + 1 < 11 && good[i] != good[i + 1]) {
        std::string swapped = good;
        std::swap(swapped[i], swapped[i + 1]);
        EXPECT_FALSE(Uin::Parse(swapped).ok()) << good << " -> " << swapped;
      }
    }
  }
}

TEST(UinTest, ParsingAcceptsSpacingAndLowerCaseX) {
  std::string digits = "1000000000";
  std::string check(1, Uin::CheckCharacter(digits));
  EXPECT_TRUE(Uin::Parse("1000 0000 00" + check).ok());
  EXPECT_TRUE(Uin::Parse("10000-00000-" + check).ok());
  EXPECT_EQ(Uin::CheckCharacter("0000000001"), 'X');
  EXPECT_TRUE(Uin::Parse("0000000001x").ok());
  for (const char* bad : {"", "123", "00000000010X", "000000000AX", "0000000001Y"}) {
    auto r = Uin::Parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field(), "uin");
  }
}

TEST(FieldValidationTest, NamesInAnyScriptKeptAsWritten) {
  for (const char* name : {"O'Brien", "Smith-Jones", "Zoë", "Ó Súilleabháin", "李小龙", "Nguyễn",
                           "Jean-Luc", "St. John", "Müller", "Ольга"}) {
    auto r = ValidatePersonName(name, "family_name");
    ASSERT_TRUE(r.ok()) << name << ": " << r.status().ToString();
    EXPECT_EQ(*r, name);
  }
  EXPECT_EQ(*ValidatePersonName("  Ada  ", "given_names"), "Ada");
  for (const char* bad : {"", "   ", "<script>", "Ada\nLovelace", "123", "a@b", "\xff\xfe"}) {
    auto r = ValidatePersonName(bad, "family_name");
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field(), "family_name");
  }
  EXPECT_TRUE(ValidatePersonName("", "given_names", /*required=*/false).ok());
}

TEST(FieldValidationTest, PostcodesAreValidatedAndNormalised) {
  EXPECT_EQ(*NormalisePostcode("sw1a1aa", "p"), "SW1A 1AA");
  EXPECT_EQ(*NormalisePostcode("M1 1AE", "p"), "M1 1AE");
  EXPECT_EQ(*NormalisePostcode("b33 8th", "p"), "B33 8TH");
  EXPECT_EQ(*NormalisePostcode("CR2 6XH", "p"), "CR2 6XH");
  EXPECT_EQ(*NormalisePostcode("dn55 1pt", "p"), "DN55 1PT");
  EXPECT_EQ(*NormalisePostcode("W1A 0AX", "p"), "W1A 0AX");
  for (const char* bad : {"", "12345", "SW1A", "SW1A 1A", "1SW 1AA", "SW1A 1AAA", "AAA 1AA"}) {
    auto r = NormalisePostcode(bad, "address.postcode");
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field(), "address.postcode");
  }
}

TEST(FieldValidationTest, PhonesAndEmails) {
  for (const char* ok : {"01632 960 001", "07700 900123", "+44 808 157 0192", "(0121) 496 0000"}) {
    EXPECT_TRUE(ValidatePhone(ok, "phone").ok()) << ok;
  }
  for (const char* bad : {"12345", "phone me", "0163", "+1", "01632 960 001 ext 4"}) {
    EXPECT_EQ(ValidatePhone(bad, "phone").field(), "phone") << bad;
  }
  EXPECT_TRUE(ValidateEmail("a.b@example.org.uk", "email").ok());
  for (const char* bad : {"a", "a@", "@b.com", "a@b", "a b@c.com", "a@b@c.com"}) {
    EXPECT_FALSE(ValidateEmail(bad, "email").ok()) << bad;
  }
}

ChildRecord ValidRecord() {
  ChildRecord r;
  r.name = {"Amelia", "Okafor-Smith", {}};
  r.gender = Gender::kFemale;
  r.date_of_birth = D("2015-04-02");
  r.address = {AddressStatus::kCurrent, "1 Example Road", "", "Northtown", "nt1 1aa", {}, {}};
  r.carers.push_back({"Grace Okafor", "mother", "07700 900123", "", {}});
  r.involvements.push_back({0,
                            "health_visiting",
                            "Jo Bloggs",
                            "Northshire Health",
                            "01632 960 001",
                            "",
                            D("2015-05-01"),
                            std::nullopt,
                            true,
                            false,
                            SensitiveBasis::kNone,
                            {}});
  r.responsible_authority = "LA-NORTHSHIRE";
  return r;
}

TEST(ChildValidationTest, AValidRecordPassesAndIsNormalised) {
  ChildRecord r = ValidRecord();
  ASSERT_TRUE(ValidateChildRecord(r, D("2026-11-22")).ok());
  EXPECT_EQ(r.address.postcode, "NT1 1AA");
}

TEST(ChildValidationTest, EachBadItemNamesItsField) {
  Date today = D("2026-11-22");
  struct Case {
    const char* field;
    std::function<void(ChildRecord&)> breakit;
  };
  std::vector<Case> cases = {
      {"family_name", [](ChildRecord& r) { r.name.family_name = ""; }},
      {"date_of_birth", [](ChildRecord& r) { r.date_of_birth = D("2027-01-01"); }},
      {"date_of_birth", [](ChildRecord& r) { r.date_of_birth = D("2007-01-01"); }},
      {"address.postcode", [](ChildRecord& r) { r.address.postcode = "nope"; }},
      {"address.status", [](ChildRecord& r) { r.address.status = AddressStatus::kNoKnownAddress; }},
      {"address.intent_to_return",
       [](ChildRecord& r) { r.address.intent_to_return = D("2027-01-01"); }},
      {"carers[0].phone", [](ChildRecord& r) { r.carers[0].phone = "call me"; }},
      {"carers[0].relationship", [](ChildRecord& r) { r.carers[0].relationship = ""; }},
      {"involvements[0].service_type",
       [](ChildRecord& r) { r.involvements[0].service_type = "case_notes"; }},
      {"involvements[0].end_date",
       [](ChildRecord& r) { r.involvements[0].end_date = D("2010-01-01"); }},
      {"responsible_authority", [](ChildRecord& r) { r.responsible_authority = ""; }},
  };
  for (const auto& c : cases) {
    ChildRecord r = ValidRecord();
    c.breakit(r);
    Status s = ValidateChildRecord(r, today);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(s.field(), c.field);
  }
}

TEST(ChildValidationTest, SensitiveServicesNeedARecordedBasis) {
  for (const char* type : {"sexual_health", "mental_health", "substance_misuse"}) {
    ASSERT_TRUE(FindServiceType(type)->sensitive);
    ChildRecord r = ValidRecord();
    r.involvements[0].service_type = type;
    Status refused = ValidateChildRecord(r, D("2026-11-22"));
    EXPECT_EQ(refused.field(), "involvements[0].sensitive_basis") << type;
    r.involvements[0].sensitive_basis = SensitiveBasis::kConsent;
    EXPECT_TRUE(ValidateChildRecord(r, D("2026-11-22")).ok());
    r.involvements[0].sensitive_basis = SensitiveBasis::kSuspectedSignificantHarm;
    EXPECT_TRUE(ValidateChildRecord(r, D("2026-11-22")).ok());
  }
}

TEST(ChildValidationTest, RecordsPastEighteenNeedConsentAndStopAtTwentyFive) {
  ChildRecord r = ValidRecord();
  r.date_of_birth = D("2008-01-01");  // 18 on 2026-01-01.
  EXPECT_EQ(ValidateChildRecord(r, D("2026-11-22")).field(), "date_of_birth");
  r.extended_with_consent = true;
  EXPECT_TRUE(ValidateChildRecord(r, D("2026-11-22")).ok());
  EXPECT_FALSE(ValidateChildRecord(r, D("2033-01-01")).ok());  // 25.
  EXPECT_TRUE(ValidateChildRecord(r, D("2032-12-31")).ok());
}

}  // namespace
}  // namespace cp::domain
