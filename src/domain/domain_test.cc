#include <gtest/gtest.h>

#include "domain/organisation.h"
#include "domain/role.h"
#include "domain/user.h"

namespace cp::domain {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

Vetting GoodVetting() {
  Vetting v;
  v.crb_check_date = D("2024-01-10");
  v.isa_registered = true;
  v.training_completed = D("2024-02-01");
  v.agreement_signed = D("2024-02-01");
  return v;
}

TEST(RoleTest, NamesRoundTrip) {
  for (Role r : kAllRoles) EXPECT_EQ(ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("root").has_value());
  RoleSet set{Role::kShielder, Role::kPractitioner};
  EXPECT_EQ(set.Names(), (std::vector<std::string>{"practitioner", "shielder"}));
  EXPECT_EQ(RoleSet::FromBits(set.bits()), set);
}

TEST(VettingTest, ValidVettingAllowsAccess) {
  EXPECT_TRUE(CheckVetting(GoodVetting(), D("2026-11-22")).ok());
}

TEST(VettingTest, CrbExpiresAfterThreeYearsToTheDay) {
  Vetting v = GoodVetting();
  EXPECT_TRUE(CheckVetting(v, D("2027-01-09")).ok());
  Status expired = CheckVetting(v, D("2027-01-10"));
  EXPECT_EQ(expired.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(expired.message().find("expired on 2027-01-10"), std::string::npos);
}

TEST(VettingTest, EachMissingItemIsRefusedWithItsReason) {
  Date today = D("2026-11-22");
  Vetting v = GoodVetting();
  v.crb_check_date.reset();
  EXPECT_NE(CheckVetting(v, today).message().find("CRB"), std::string::npos);
  v = GoodVetting();
  v.isa_registered = false;
  EXPECT_NE(CheckVetting(v, today).message().find("ISA"), std::string::npos);
  v = GoodVetting();
  v.training_completed.reset();
  EXPECT_NE(CheckVetting(v, today).message().find("training"), std::string::npos);
  v = GoodVetting();
  v.agreement_signed.reset();
  EXPECT_NE(CheckVetting(v, today).message().find("agreement"), std::string::npos);
  v = GoodVetting();
  v.crb_check_date = D("2027-01-01");
  EXPECT_FALSE(CheckVetting(v, today).ok());
}

TEST(UserTest, UsernameRules) {
  EXPECT_TRUE(ValidateUsername("jo.bloggs-2").ok());
  for (const char* bad : {"", "ab", "Jo", "1abc", "jo bloggs", "jo@x", "jö"}) {
    Status s = ValidateUsername(bad);
    EXPECT_EQ(s.field(), "username") << bad;
  }
}

TEST(UserTest, ProfileValidationNamesTheField) {
  User u;
  u.username = "alex";
  u.display_name = "Alex Example";
  u.organisation_id = 1;
  u.roles.Add(Role::kPractitioner);
  EXPECT_TRUE(ValidateUserProfile(u).ok());
  User bad = u;
  bad.email = "not-an-email";
  EXPECT_EQ(ValidateUserProfile(bad).field(), "email");
  bad = u;
  bad.phone = "12ab";
  EXPECT_EQ(ValidateUserProfile(bad).field(), "phone");
  bad = u;
  bad.roles = RoleSet();
  EXPECT_EQ(ValidateUserProfile(bad).field(), "roles");
  bad = u;
  bad.display_name = "";
  EXPECT_EQ(ValidateUserProfile(bad).field(), "display_name");
}

TEST(OrganisationTest, Validation) {
  Organisation la{
      0,  "LA-NORTH", "Northshire County Council", OrganisationType::kLocalAuthority, "LA-NORTH",
      "", true};
  EXPECT_TRUE(ValidateOrganisation(la).ok());
  Organisation bad = la;
  bad.code = "la north";
  EXPECT_EQ(ValidateOrganisation(bad).field(), "code");
  bad = la;
  bad.local_authority_code = "LA-SOUTH";
  EXPECT_EQ(ValidateOrganisation(bad).field(), "local_authority_code");
  for (OrganisationType t : kAllOrganisationTypes) {
    EXPECT_EQ(ParseOrganisationType(OrganisationTypeName(t)), t);
  }
}

}  // namespace
}  // namespace cp::domain
