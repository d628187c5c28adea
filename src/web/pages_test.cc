// Renders every page in its interesting states and checks its structure. When the
// environment variable CP_WEB_SAMPLES_DIR is set, each rendered page is also written there
// as <name>.html (for screenshots; see src/web/README.md).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "web/admin_pages.h"
#include "web/auth_pages.h"
#include "web/directory_pages.h"
#include "web/error_pages.h"
#include "web/home_page.h"
#include "web/layout.h"
#include "web/testing/page_checks.h"

namespace cp::web {
namespace {

using testing::CheckPage;
using testing::Count;
using testing::TitleOf;

constexpr std::string_view kHostile = "<script>alert('x')</script>\"'&";

PageContext SignedOut() {
  PageContext ctx;
  ctx.current_path = "/sign-in";
  return ctx;
}

PageContext SignedIn(std::vector<std::string> roles, std::string path = "/") {
  PageContext ctx;
  ctx.signed_in = true;
  ctx.display_name = "Zoë Ó Súilleabháin";
  ctx.roles = std::move(roles);
  ctx.csrf_token = "csrf-abc123";
  ctx.idle_seconds = 900;
  ctx.warn_seconds = 120;
  ctx.current_path = std::move(path);
  return ctx;
}

UserFormView SampleUserForm() {
  UserFormView v;
  v.is_new = true;
  v.username = "z.osullivan";
  v.display_name = "Zoë Ó Súilleabháin";
  v.email = "zoe@example.gov.uk";
  v.phone = "01632 960000";
  v.organisation_id = "2";
  v.organisations = {{"1", "Leeds City Council"}, {"2", "St Mary’s Primary School"}};
  v.roles = {"practitioner"};
  v.crb_check_date = {"3", "4", "2024"};
  v.isa_registered = true;
  return v;
}

policy::FullChildView SampleFullChild(std::string_view text) {
  policy::FullChildView c;
  const policy::SourcedText src{"SCH-1", "2026-05-01T10:00:00Z"};
  c.uin = "4820175396X";
  c.name = {"Zoë", std::string(text), src};
  c.former_names = {{"Zoë", "Marsh", src}};
  c.known_as = {{"Zo", std::string(text), src}};
  c.gender = "female";
  c.date_of_birth = "2015-04-03";
  c.core_provenance = src;
  c.address = {"current", "1 High Street", std::string(text), "Leeds", "LS1 1AA", "", src};
  c.carers = {{"Grace " + std::string(text), "mother", "07700 900412", "grace@example.org", src},
              {"Sam Carer", "", "", "", src}};
  c.education = policy::SettingView{"St Mary’s Primary School", "", "2020-09-01", src};
  c.gp = policy::SettingView{"Elm Tree Medical Practice", "01632 960 114", "", src};
  c.involvements = {
      {"education", "Education", "Pat Teacher", "St Mary’s", "01632 960 201", "pat@example.org",
       "2025-09-01", "", false, false, false, src},
      {"family_support", "Family support", std::string(text), std::string(text), std::string(text),
       std::string(text), "2026-02-01", "2026-04-01", true, true, false, src}};
  c.responsible_authority = "LA-812";
  return c;
}

OrganisationFormView SampleOrgForm() {
  OrganisationFormView v;
  v.code = "LA-812";
  v.name = "Leeds City Council";
  v.type = "local_authority";
  v.area = "E08000035";
  v.areas = {{"E08000035", "Leeds"}, {"E08000036", "Wakefield"}};
  v.allowed_networks = "192.0.2.0/24\n2001:db8::/48";
  return v;
}

// Every page, in every state worth checking, by sample name.
std::vector<std::pair<std::string, Html>> AllPages() {
  std::vector<std::pair<std::string, Html>> pages;
  const PageContext admin = SignedIn({"administrator"}, "/admin/users");
  pages.emplace_back("sign-in", RenderSignInPage(SignedOut(), {"pre-csrf", "", {}}));
  pages.emplace_back("sign-in-errors",
                     RenderSignInPage(SignedOut(), {"pre-csrf",
                                                    std::string(kHostile),
                                                    {{"", "Enter a correct username and password"},
                                                     {"password", "Enter your password"}}}));
  pages.emplace_back("code", RenderCodePage(SignedOut(), {"pre-csrf", {}}));
  pages.emplace_back("code-errors",
                     RenderCodePage(SignedOut(), {"pre-csrf", {{"code", "Enter a 6-digit code"}}}));
  EnrolView enrol;
  enrol.csrf_token = "pre-csrf";
  enrol.qr_svg = Markup(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\" width=\"160\" "
      "height=\"160\" role=\"img\" aria-label=\"QR code\"><path d=\"M0 0h2v2H0zM2 2h2v2H2z\"/>"
      "</svg>");
  enrol.secret_base32 = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  pages.emplace_back("enrol", RenderEnrolPage(SignedOut(), enrol));
  enrol.errors = {{"code", "The code is not correct"}};
  pages.emplace_back("enrol-errors", RenderEnrolPage(SignedOut(), enrol));
  pages.emplace_back("home-admin",
                     RenderHomePage(SignedIn({"administrator"}), {"Zoë", "Leeds City Council"}));
  pages.emplace_back(
      "home-all", RenderHomePage(SignedIn({"practitioner", "management", "administrator", "dpo"}),
                                 {std::string(kHostile), std::string(kHostile)}));
  pages.emplace_back("home-none", RenderHomePage(SignedIn({}), {"李小龙", ""}));
  // A short idle timeout, so that the browser harness sees the warning dialog quickly.
  PageContext short_idle = SignedIn({"practitioner"});
  short_idle.idle_seconds = 8;
  short_idle.warn_seconds = 6;
  pages.emplace_back("home-short-idle", RenderHomePage(short_idle, {"Zoë", ""}));
  pages.emplace_back("signed-out", RenderSignedOutPage(SignedOut(), {SignedOutReason::kSignedOut}));
  pages.emplace_back("timed-out", RenderSignedOutPage(SignedOut(), {SignedOutReason::kTimedOut}));
  for (int status : {403, 404, 500, 503}) {
    pages.emplace_back("error-" + std::to_string(status), RenderErrorPage(SignedOut(), status));
  }
  pages.emplace_back("error-403-signed-in", RenderErrorPage(admin, 403));

  UsersListView users;
  users.users = {{"u1",
                  "z.osullivan",
                  "Zoë Ó Súilleabháin",
                  "Leeds City Council",
                  {"practitioner", "shielder"},
                  VettingStatus::kComplete,
                  AccountStatus::kActive},
                 {"u/2",
                  "b.lee",
                  "李小龙",
                  "St Mary’s Primary School",
                  {"management"},
                  VettingStatus::kExpired,
                  AccountStatus::kLocked},
                 {"u3",
                  std::string(kHostile),
                  std::string(kHostile),
                  std::string(kHostile),
                  {std::string(kHostile)},
                  VettingStatus::kIncomplete,
                  AccountStatus::kAwaitingEnrolment}};
  pages.emplace_back("admin-users", RenderUsersPage(admin, users));
  pages.emplace_back("admin-users-empty", RenderUsersPage(admin, {}));

  PageContext with_flash = admin;
  with_flash.flash = "User z.osullivan created";
  UserFormView user_form = SampleUserForm();
  pages.emplace_back("admin-user-new", RenderUserFormPage(admin, user_form));
  user_form.errors = {{"username", "Enter a username"},
                      {"roles", "Select at least one role"},
                      {"crb_check_date", "Date of CRB check must be a real date"},
                      {"organisation_id", "Choose an organisation"}};
  pages.emplace_back("admin-user-new-errors", RenderUserFormPage(admin, user_form));
  UserFormView created = SampleUserForm();
  created.is_new = false;
  created.user_id = "u1";
  created.initial_password = "correct-horse-7-battery";
  pages.emplace_back("admin-user-created", RenderUserFormPage(with_flash, created));

  OrganisationsListView orgs;
  orgs.organisations = {{"o1", "LA-812", "Leeds City Council", "local_authority", "Leeds"},
                        {"o2", "SCH-1", std::string(kHostile), "school", "Leeds"}};
  pages.emplace_back("admin-orgs", RenderOrganisationsPage(admin, orgs));
  OrganisationFormView org_form = SampleOrgForm();
  pages.emplace_back("admin-org-new", RenderOrganisationFormPage(admin, org_form));
  org_form.errors = {{"allowed_networks", "Line 2 is not a network in CIDR notation"},
                     {"type", "Choose a type"}};
  org_form.is_new = false;
  org_form.organisation_id = "o1";
  pages.emplace_back("admin-org-edit-errors", RenderOrganisationFormPage(admin, org_form));

  const PageContext practitioner = SignedIn({"practitioner"}, "/search");
  pages.emplace_back("search", RenderSearchPage(practitioner, {}));
  SearchView results;
  results.given_name = std::string(kHostile);
  results.family_name = "Okafor";
  results.hits = std::vector<workflow::SearchHit>{
      {"4820175396X", "Amelia", "Okafor", "female", "2015-04-03", false, 95, "high"},
      {"1234567890X", std::string(kHostile), "Stone", "not_known", "2016-06-06", true, 60,
       "medium"},
      {"0000000001X", "Amy", "Okafor", "not_specified", "2014-12-31", false, 30, "low"}};
  pages.emplace_back("search-results", RenderSearchPage(practitioner, results));
  SearchView none;
  none.given_name = "Zebedee";
  none.family_name = "Nobody";
  none.hits = std::vector<workflow::SearchHit>{};
  pages.emplace_back("search-no-results", RenderSearchPage(practitioner, none));
  SearchView errors;
  errors.family_name = "Okafor";
  errors.date_of_birth = {"31", "2", "2015"};
  errors.errors = {{"given_name", "Enter a given name or a date of birth"},
                   {"date_of_birth", "Date of birth must be a real date"}};
  pages.emplace_back("search-errors", RenderSearchPage(practitioner, errors));
  SearchView too_many;
  too_many.given_name = "Jack";
  too_many.family_name = "Smith";
  too_many.errors = {{"",
                      "More than 10 children match. Add more detail, such as a date of "
                      "birth or a postcode."}};
  pages.emplace_back("search-too-many", RenderSearchPage(practitioner, too_many));
  const PageContext opening = SignedIn({"practitioner"}, "/children/4820175396X");
  pages.emplace_back("reason", RenderReasonPage(opening, {"4820175396X", "", "", {}}));
  pages.emplace_back("reason-errors", RenderReasonPage(opening, {"4820175396X",
                                                                 "other",
                                                                 std::string(kHostile),
                                                                 {{"reason_text",
                                                                   "Explain why you are opening "
                                                                   "this record"}}}));
  pages.emplace_back("reason-no-choice",
                     RenderReasonPage(opening, {"4820175396X",
                                                "",
                                                "",
                                                {{"reason",
                                                  "Choose why you are opening this "
                                                  "record"}}}));
  pages.emplace_back("record-full",
                     RenderRecordPage(opening, {SampleFullChild("Okafor"),
                                                {{"SCH-1", "St Mary’s Primary School"},
                                                 {"LA-812", "Leeds City Council"}}}));
  policy::FullChildView sparse = SampleFullChild(kHostile);
  sparse.shielded = true;
  sparse.address = {"left_england", "", "", "", "", "2027-01-01", {"LA-812", ""}};
  pages.emplace_back("record-full-hostile", RenderRecordPage(opening, {sparse, {}}));
  policy::FullChildView empty;
  empty.uin = "4820175396X";
  empty.name = {"Leo", "Stone", {}};
  empty.address.status = "no_known_address";
  pages.emplace_back("record-full-empty", RenderRecordPage(opening, {empty, {}}));
  pages.emplace_back(
      "record-shielded",
      RenderRecordPage(opening, {policy::ShieldedChildView{
                                     "4820175396X", "Ruby", std::string(kHostile), "female",
                                     "2018-06-06", std::string(policy::kShieldedNotice)},
                                 {}}));
  pages.emplace_back("bad-uin", RenderBadUinPage(opening,
                                                 "Enter a UIN of 10 digits and a "
                                                 "check character"));
  return pages;
}

TEST(PagesTest, EveryPagePassesStructureChecks) {
  const char* dump = std::getenv("CP_WEB_SAMPLES_DIR");
  for (const auto& [name, html] : AllPages()) {
    SCOPED_TRACE(name);
    const std::vector<std::string> problems = CheckPage(html.str());
    for (const std::string& p : problems) ADD_FAILURE() << name << ": " << p;
    EXPECT_EQ(html.str().find("<script>"), std::string::npos);
    EXPECT_EQ(Count(html.str(), "<script"), 1u);
    EXPECT_NE(html.str().find("<script type=\"module\" src=\"/assets/app.js\"></script>"),
              std::string::npos);
    EXPECT_TRUE(TitleOf(html.str()).ends_with(" – ContactPoint")) << TitleOf(html.str());
    if (dump != nullptr) std::ofstream(std::string(dump) + "/" + name + ".html") << html.str();
  }
}

TEST(PagesTest, HostileDataIsEscapedEverywhere) {
  for (const auto& [name, html] : AllPages()) {
    SCOPED_TRACE(name);
    EXPECT_EQ(html.str().find("<script>alert"), std::string::npos);
    EXPECT_EQ(html.str().find("'x'"), std::string::npos);
  }
}

TEST(PagesTest, ErrorPagesPrefixTitleAndLinkSummaryToFields) {
  for (const auto& [name, html] : AllPages()) {
    if (!name.ends_with("-errors")) continue;
    SCOPED_TRACE(name);
    EXPECT_TRUE(TitleOf(html.str()).starts_with("Error: ")) << TitleOf(html.str());
    EXPECT_NE(html.str().find("govuk-error-summary"), std::string::npos);
    EXPECT_NE(html.str().find("govuk-form-group--error"), std::string::npos);
    EXPECT_NE(html.str().find("<span class=\"govuk-visually-hidden\">Error:</span>"),
              std::string::npos);
  }
}

TEST(PagesTest, UserFormErrorsLinkToFirstFieldOfEachGroup) {
  UserFormView v = SampleUserForm();
  v.errors = {{"crb_check_date", "Enter a real date"}, {"roles", "Select a role"}};
  const std::string html = RenderUserFormPage(SignedIn({"administrator"}), v).str();
  EXPECT_NE(html.find("<a href=\"#roles\">Select a role</a>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#crb_check_date-day\">Enter a real date</a>"), std::string::npos);
  // Summary order follows the form: roles before the CRB date.
  EXPECT_LT(html.find("href=\"#roles\""), html.find("href=\"#crb_check_date-day\""));
}

TEST(PagesTest, SignInFormContract) {
  const std::string html = RenderSignInPage(SignedOut(), {"pre-session-token", "zoe", {}}).str();
  EXPECT_NE(html.find("action=\"/sign-in\""), std::string::npos);
  EXPECT_NE(html.find("name=\"csrf_token\" value=\"pre-session-token\""), std::string::npos);
  EXPECT_NE(html.find("name=\"username\""), std::string::npos);
  EXPECT_NE(html.find("value=\"zoe\""), std::string::npos);
  EXPECT_NE(html.find("autocomplete=\"current-password\""), std::string::npos);
  EXPECT_NE(html.find("autocomplete=\"username\""), std::string::npos);
  EXPECT_EQ(html.find("onpaste"), std::string::npos);
  // Signed out: no navigation, no session metadata, no timeout dialog.
  EXPECT_EQ(html.find("cp-csrf-token"), std::string::npos);
  EXPECT_EQ(html.find("cp-session-idle-seconds"), std::string::npos);
  EXPECT_EQ(html.find("<dialog"), std::string::npos);
  EXPECT_EQ(html.find("action=\"/sign-out\""), std::string::npos);
}

TEST(PagesTest, CodeFieldContract) {
  for (const Html& page : {RenderCodePage(SignedOut(), {"t", {}}),
                           RenderEnrolPage(SignedOut(), {"t", Html(), "ABCDEFGH", {}})}) {
    const std::string html = page.str();
    EXPECT_NE(html.find("autocomplete=\"one-time-code\""), std::string::npos);
    EXPECT_NE(html.find("inputmode=\"numeric\""), std::string::npos);
    EXPECT_NE(html.find("name=\"code\""), std::string::npos);
    EXPECT_EQ(html.find("onpaste"), std::string::npos);
  }
}

TEST(PagesTest, EnrolShowsKeyInGroupsOfFour) {
  EXPECT_EQ(GroupInFours("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
  EXPECT_EQ(GroupInFours("ABCDEF"), "ABCD EF");
  EXPECT_EQ(GroupInFours(""), "");
  EnrolView v{
      "t", Markup("<svg role=\"img\" aria-label=\"QR code\"></svg>"), "JBSWY3DPEHPK3PXP", {}};
  const std::string html = RenderEnrolPage(SignedOut(), v).str();
  EXPECT_NE(html.find(">JBSW Y3DP EHPK 3PXP</p>"), std::string::npos);
  EXPECT_NE(html.find("<svg role=\"img\""), std::string::npos);
  EXPECT_NE(html.find("action=\"/enrol\""), std::string::npos);
}

TEST(PagesTest, SignedInLayoutHasSessionMetaAndDialog) {
  const std::string html = RenderHomePage(SignedIn({"practitioner"}), {"Zoë", ""}).str();
  EXPECT_NE(html.find("<meta name=\"cp-session-idle-seconds\" content=\"900\">"),
            std::string::npos);
  EXPECT_NE(html.find("<meta name=\"cp-session-warn-seconds\" content=\"120\">"),
            std::string::npos);
  EXPECT_NE(html.find("<meta name=\"cp-csrf-token\" content=\"csrf-abc123\">"), std::string::npos);
  EXPECT_NE(html.find("<dialog id=\"cp-timeout-dialog\""), std::string::npos);
  EXPECT_NE(html.find("aria-labelledby=\"cp-timeout-heading\""), std::string::npos);
  EXPECT_NE(html.find("You will be signed out in 2 minutes."), std::string::npos);
  EXPECT_NE(html.find(">Stay signed in</button>"), std::string::npos);
  EXPECT_NE(html.find("lang=\"en-GB\""), std::string::npos);
  EXPECT_NE(html.find("href=\"#main-content\""), std::string::npos);
  EXPECT_NE(html.find(">ContactPoint</a>"), std::string::npos);
  EXPECT_EQ(html.find("govuk-header__logotype"), std::string::npos);  // No GOV.UK logo.
  EXPECT_EQ(html.find("Crown copyright"), std::string::npos);
  // Sign-out is a POST with the session's CSRF token (nav and dialog).
  EXPECT_EQ(Count(html, "<form method=\"post\" action=\"/sign-out\""), 2u);
}

TEST(PagesTest, NavigationDependsOnRoles) {
  auto nav = [](std::vector<std::string> roles) {
    return RenderHomePage(SignedIn(std::move(roles), "/admin/users/u1"), {"Z", ""}).str();
  };
  const std::string practitioner = nav({"practitioner"});
  EXPECT_NE(practitioner.find("href=\"/search\""), std::string::npos);
  EXPECT_EQ(practitioner.find("href=\"/management\""), std::string::npos);
  EXPECT_EQ(practitioner.find("href=\"/admin/users\""), std::string::npos);

  const std::string admin = nav({"administrator"});
  EXPECT_EQ(admin.find("href=\"/search\""), std::string::npos);
  EXPECT_NE(admin.find("href=\"/admin/users\" aria-current=\"page\""), std::string::npos);
  EXPECT_NE(admin.find("href=\"/admin/organisations\""), std::string::npos);

  const std::string management = nav({"management"});
  EXPECT_NE(management.find("href=\"/search\""), std::string::npos);
  EXPECT_NE(management.find("href=\"/management\""), std::string::npos);

  const std::string signed_out = RenderSignInPage(SignedOut(), {"t", "", {}}).str();
  EXPECT_EQ(signed_out.find("govuk-service-navigation__list"), std::string::npos);
}

TEST(PagesTest, FlashMessageBecomesSuccessBanner) {
  PageContext ctx = SignedIn({"administrator"});
  ctx.flash = "Saved <changes>";
  const std::string html = RenderUsersPage(ctx, {}).str();
  EXPECT_NE(html.find("govuk-notification-banner--success"), std::string::npos);
  EXPECT_NE(html.find("Saved &lt;changes&gt;"), std::string::npos);
}

TEST(PagesTest, ErrorPagesAreGeneric) {
  EXPECT_EQ(TitleOf(RenderErrorPage(SignedOut(), 403).str()),
            "You do not have access – ContactPoint");
  EXPECT_EQ(TitleOf(RenderErrorPage(SignedOut(), 404).str()), "Page not found – ContactPoint");
  EXPECT_EQ(TitleOf(RenderErrorPage(SignedOut(), 500).str()),
            "Sorry, there is a problem with the service – ContactPoint");
  EXPECT_EQ(TitleOf(RenderErrorPage(SignedOut(), 502).str()),
            "Sorry, there is a problem with the service – ContactPoint");
  EXPECT_EQ(TitleOf(RenderErrorPage(SignedOut(), 503).str()),
            "Sorry, the service is unavailable – ContactPoint");
}

TEST(PagesTest, SignedOutReasons) {
  EXPECT_NE(RenderSignedOutPage(SignedOut(), {SignedOutReason::kTimedOut})
                .str()
                .find("had not done anything for a while"),
            std::string::npos);
  EXPECT_NE(RenderSignedOutPage(SignedOut(), {SignedOutReason::kSignedOut})
                .str()
                .find("You have signed out"),
            std::string::npos);
}

TEST(PagesTest, UsersListShowsTagsAndEncodesIds) {
  UsersListView v;
  v.users = {{"u/2",
              "b.lee",
              "李小龙",
              "School",
              {"break_glass", "dpo"},
              VettingStatus::kExpired,
              AccountStatus::kDisabled}};
  const std::string html = RenderUsersPage(SignedIn({"administrator"}), v).str();
  EXPECT_NE(html.find("href=\"/admin/users/u%2F2\""), std::string::npos);
  EXPECT_NE(html.find(">Break glass</strong>"), std::string::npos);
  EXPECT_NE(html.find(">Data protection officer</strong>"), std::string::npos);
  EXPECT_NE(html.find("govuk-tag--red\">Expired</strong>"), std::string::npos);
  EXPECT_NE(html.find("govuk-tag--grey\">Disabled</strong>"), std::string::npos);
  EXPECT_NE(html.find("李小龙"), std::string::npos);
}

TEST(PagesTest, UserFormContract) {
  UserFormView v = SampleUserForm();
  std::string html = RenderUserFormPage(SignedIn({"administrator"}), v).str();
  EXPECT_NE(html.find("action=\"/admin/users\""), std::string::npos);
  EXPECT_NE(html.find("name=\"csrf_token\" value=\"csrf-abc123\""), std::string::npos);
  EXPECT_NE(html.find("name=\"username\""), std::string::npos);
  EXPECT_NE(html.find("<option value=\"2\" selected>St Mary’s Primary School</option>"),
            std::string::npos);
  EXPECT_NE(html.find("value=\"practitioner\" checked"), std::string::npos);
  EXPECT_NE(html.find("name=\"isa_registered\" type=\"checkbox\" value=\"yes\" checked"),
            std::string::npos);
  EXPECT_NE(html.find("name=\"crb_check_date-year\" type=\"text\" inputmode=\"numeric\" "
                      "value=\"2024\""),
            std::string::npos);
  EXPECT_EQ(html.find("initial-password"), std::string::npos);

  v.is_new = false;
  v.user_id = "u1";
  v.initial_password = "one-time-Pa55";
  html = RenderUserFormPage(SignedIn({"administrator"}), v).str();
  EXPECT_NE(html.find("action=\"/admin/users/u1\""), std::string::npos);
  EXPECT_EQ(html.find("name=\"username\""), std::string::npos);  // Not editable.
  EXPECT_NE(html.find("id=\"initial-password\">one-time-Pa55</p>"), std::string::npos);
}

TEST(PagesTest, OrganisationFormContract) {
  OrganisationFormView v = SampleOrgForm();
  const std::string html = RenderOrganisationFormPage(SignedIn({"administrator"}), v).str();
  EXPECT_NE(html.find("action=\"/admin/organisations\""), std::string::npos);
  for (const Option& t : OrganisationTypes()) {
    EXPECT_NE(html.find("<option value=\"" + t.value + "\""), std::string::npos) << t.value;
  }
  EXPECT_NE(html.find("<option value=\"local_authority\" selected>Local authority</option>"),
            std::string::npos);
  EXPECT_NE(html.find("<option value=\"E08000035\" selected>Leeds</option>"), std::string::npos);
  EXPECT_NE(html.find(">192.0.2.0/24\n2001:db8::/48</textarea>"), std::string::npos);
  EXPECT_NE(html.find("id=\"allowed_networks-hint\""), std::string::npos);
  EXPECT_EQ(OrganisationTypes().size(), 7u);
}

TEST(DirectoryPagesTest, DatesAndGenders) {
  EXPECT_EQ(FormatDate("2015-04-03"), "3 April 2015");
  EXPECT_EQ(FormatDate("2026-12-31T23:59:59Z"), "31 December 2026");
  EXPECT_EQ(FormatDate("soon"), "soon");
  EXPECT_EQ(FormatDate("2015-04-03x"), "2015-04-03x");
  EXPECT_EQ(GenderLabel("not_known"), "Not known");
  EXPECT_EQ(GenderLabel("not_specified"), "Not specified");
}

TEST(DirectoryPagesTest, ContactDetailsAreLinksOnlyWhenSafe) {
  const std::string html =
      RenderRecordPage(SignedIn({"practitioner"}), {SampleFullChild(kHostile), {}}).str();
  EXPECT_NE(html.find("href=\"tel:01632960201\""), std::string::npos);
  EXPECT_NE(html.find("href=\"mailto:pat@example.org\""), std::string::npos);
  EXPECT_NE(html.find("href=\"tel:07700900412\""), std::string::npos);
  // A hostile "phone" or "email" is shown as text, never as a link.
  EXPECT_EQ(Count(html, "href=\"tel:"), 3u);
  EXPECT_EQ(Count(html, "href=\"mailto:"), 2u);
  EXPECT_NE(html.find("Who else is working with this child"), std::string::npos);
  EXPECT_NE(html.find(">Lead professional<"), std::string::npos);
  EXPECT_NE(html.find(">CAF complete<"), std::string::npos);
  EXPECT_NE(html.find("Updated 1 May 2026."), std::string::npos);
  EXPECT_NE(html.find("<title>Child record – ContactPoint</title>"), std::string::npos);
}

TEST(DirectoryPagesTest, ShieldedPageShowsOnlyTheShieldedView) {
  const std::string html =
      RenderRecordPage(
          SignedIn({"practitioner"}),
          {policy::ShieldedChildView{"4820175396X", "Ruby", "Stone", "female", "2018-06-06",
                                     std::string(policy::kShieldedNotice)},
           {{"LA-812", "Leeds City Council"}}})
          .str();
  EXPECT_NE(html.find("Ruby Stone"), std::string::npos);
  EXPECT_NE(html.find("6 June 2018"), std::string::npos);
  EXPECT_NE(html.find("govuk-warning-text"), std::string::npos);
  EXPECT_NE(html.find("broker"), std::string::npos);
  for (std::string_view absent : {"Who else is working", "Address", "Leeds City Council",
                                  "tel:", "mailto:", "Former names"}) {
    EXPECT_EQ(html.find(absent), std::string::npos) << absent;
  }
}

TEST(DirectoryPagesTest, SearchFormPostsAndResultsLinkByUinOnly) {
  SearchView v;
  v.given_name = "Amelia";
  v.family_name = "Okafor";
  v.hits = std::vector<workflow::SearchHit>{
      {"4820175396X", "Amelia", "Okafor", "female", "2015-04-03", true, 95, "high"}};
  const std::string html = RenderSearchPage(SignedIn({"practitioner"}, "/search"), v).str();
  EXPECT_NE(html.find("<form method=\"post\" action=\"/search\" novalidate>"), std::string::npos);
  EXPECT_NE(html.find("<a class=\"govuk-link\" href=\"/children/4820175396X\">Amelia Okafor</a>"),
            std::string::npos);
  EXPECT_NE(html.find("1 child found"), std::string::npos);
  EXPECT_NE(html.find(">Shielded<"), std::string::npos);
  EXPECT_NE(html.find("3 April 2015"), std::string::npos);
  EXPECT_EQ(html.find("?"), std::string::npos);
}

TEST(LayoutTest, CountdownText) {
  EXPECT_EQ(SignOutCountdownText(120), "You will be signed out in 2 minutes.");
  EXPECT_EQ(SignOutCountdownText(65), "You will be signed out in 1 minute and 5 seconds.");
  EXPECT_EQ(SignOutCountdownText(60), "You will be signed out in 1 minute.");
  EXPECT_EQ(SignOutCountdownText(1), "You will be signed out in 1 second.");
  EXPECT_EQ(SignOutCountdownText(-5), "You will be signed out in 0 seconds.");
}

TEST(LayoutTest, RoleLabels) {
  EXPECT_EQ(RoleLabel("break_glass"), "Break glass");
  EXPECT_EQ(RoleLabel("dpo"), "Data protection officer");
  EXPECT_EQ(RoleLabel("other"), "other");
}

}  // namespace
}  // namespace cp::web

namespace cp::web::testing {
namespace {

TEST(PageChecksTest, CatchesEachRule) {
  const std::string bad =
      "<!DOCTYPE html><html lang=\"en\"><head><title></title></head><body>"
      "<script>x()</script><div style=\"color:red\" onclick=\"x()\"></div>"
      "<h1>a</h1><h1>b</h1><label for=\"missing\">L</label><input id=\"dup\" name=\"n\">"
      "<p id=\"dup\"></p><form method=\"post\" action=\"/x\"></form>"
      "<div class=\"govuk-error-summary\"><a href=\"#nowhere\">e</a></div></body></html>";
  const std::vector<std::string> problems = CheckPage(bad);
  auto has = [&](std::string_view needle) {
    for (const std::string& p : problems) {
      if (p.find(needle) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("<title>"));
  EXPECT_TRUE(has("inline <script>"));
  EXPECT_TRUE(has("style="));
  EXPECT_TRUE(has("onclick="));
  EXPECT_TRUE(has("exactly one <h1>, found 2"));
  EXPECT_TRUE(has("lang"));
  EXPECT_TRUE(has("label for=\"missing\""));
  EXPECT_TRUE(has("no label for #dup"));
  EXPECT_TRUE(has("duplicate id dup"));
  EXPECT_TRUE(has("POST form without csrf_token"));
  EXPECT_TRUE(has("error summary link #nowhere"));
}

}  // namespace
}  // namespace cp::web::testing
