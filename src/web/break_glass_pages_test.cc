// The Break Glass, brokering, investigation, notification and desk pages in their states,
// through the page-structure checks. With CP_WEB_SAMPLES_DIR set, each page is also written
// there as <name>.html (the browser run checks those with axe).
#include "web/break_glass_pages.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "web/desk_pages.h"
#include "web/testing/page_checks.h"

namespace cp::web {
namespace {

using testing::CheckPage;
using testing::Count;
using testing::TitleOf;

constexpr std::string_view kHostile = "<script>alert('x')</script>\"'&";

PageContext Ctx(std::vector<std::string> roles) {
  PageContext ctx;
  ctx.signed_in = true;
  ctx.display_name = "Blake Ransome";
  ctx.roles = std::move(roles);
  ctx.csrf_token = "csrf-abc123";
  ctx.current_path = "/";
  return ctx;
}

std::string Checked(std::string_view name, const Html& page) {
  const std::string html = page.str();
  std::vector<std::string> problems = CheckPage(html);
  EXPECT_TRUE(problems.empty()) << name << ": " << ::testing::PrintToString(problems);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos) << name << " did not escape";
  if (const char* dir = std::getenv("CP_WEB_SAMPLES_DIR")) {
    std::ofstream(std::string(dir) + "/" + std::string(name) + ".html") << html;
  }
  return html;
}

BreakGlassFormView Form() {
  BreakGlassFormView v;
  v.uin = "AB12345678";
  v.reasons = {{"ae_attendance", "A&E attendance"},
               {"out_of_hours_social_care", "Out-of-hours social care"}};
  return v;
}

TEST(BreakGlassPagesTest, TheWarningSaysAnInvestigationStartsNow) {
  const std::string html =
      Checked("break-glass", RenderBreakGlassPage(Ctx({"break_glass"}), Form()));
  EXPECT_NE(html.find("An investigation starts now"), std::string::npos);
  EXPECT_NE(html.find("action=\"/children/AB12345678/break-glass\""), std::string::npos);
  EXPECT_NE(html.find("name=\"totp\""), std::string::npos);
  EXPECT_NE(html.find("value=\"out_of_hours_social_care\""), std::string::npos);
  EXPECT_EQ(TitleOf(html), "Break Glass – ContactPoint");
}

TEST(BreakGlassPagesTest, ErrorsLinkToTheirFields) {
  BreakGlassFormView v = Form();
  v.reason_text = std::string(kHostile);
  v.errors["reason_code"] = "Choose a reason";
  v.errors["totp"] = "The security code is not right";
  const std::string html =
      Checked("break-glass-errors", RenderBreakGlassPage(Ctx({"break_glass"}), v));
  EXPECT_NE(html.find("href=\"#reason_code\""), std::string::npos);
  EXPECT_NE(html.find("href=\"#totp\""), std::string::npos);
  EXPECT_TRUE(TitleOf(html).starts_with("Error: "));
}

TEST(BreakGlassPagesTest, TheOptionOnlyForHoldersOfTheRight) {
  EXPECT_TRUE(ShieldedRecordActions("AB12345678", false, false).empty());
  const std::string requester = ShieldedRecordActions("AB12345678", true, false).str();
  EXPECT_NE(requester.find("/children/AB12345678/brokering"), std::string::npos);
  EXPECT_EQ(requester.find("break-glass"), std::string::npos);
  const std::string holder = ShieldedRecordActions("AB12345678", true, true).str();
  EXPECT_NE(holder.find("href=\"/children/AB12345678/break-glass\""), std::string::npos);
}

TEST(BreakGlassPagesTest, TheViewBannerHasTheLeaveForm) {
  const std::string banner =
      BreakGlassViewBanner(Ctx({"break_glass"}), "AB12345678", "2026-11-22T03:15:00Z").str();
  EXPECT_NE(banner.find("action=\"/children/AB12345678/break-glass/leave\""), std::string::npos);
  EXPECT_NE(banner.find("22 November 2026 at 03:15 UTC"), std::string::npos);
  EXPECT_NE(banner.find("csrf-abc123"), std::string::npos);
  Checked("break-glass-not-shielded",
          RenderNotShieldedPage(Ctx({"break_glass"}), "AB12345678", true));
  Checked("break-glass-left", RenderLeftRecordPage(Ctx({"break_glass"})));
}

InvestigationView Investigation(std::string status) {
  InvestigationView v;
  v.summary = {7,
               "AB12345678",
               "blake.duty",
               "2026-11-21T22:10:00Z",
               "2026-11-23",
               status,
               status == "concluded" ? "referred" : "",
               status != "concluded"};
  v.organisation = "POL-NS";
  v.reason_label = "Out-of-hours social care";
  v.reason_text = std::string(kHostile);
  v.timeline = {{"2026-11-21T22:10:00Z", "blake.duty", "Break Glass used", "Out-of-hours"},
                {"2026-11-22T09:00:00Z", "morgan.manager", "Note", std::string(kHostile)}};
  return v;
}

TEST(BreakGlassPagesTest, InvestigationInEachState) {
  const PageContext ctx = Ctx({"management"});
  const std::string open =
      Checked("investigation-open", RenderInvestigationPage(ctx, Investigation("open")));
  EXPECT_NE(open.find("value=\"in_review\""), std::string::npos);
  EXPECT_NE(open.find("Overdue"), std::string::npos);
  InvestigationView review = Investigation("in_review");
  review.errors["finding"] = "Choose the finding";
  const std::string in_review =
      Checked("investigation-in-review-errors", RenderInvestigationPage(ctx, review));
  EXPECT_NE(in_review.find("value=\"not_justified\""), std::string::npos);
  EXPECT_NE(in_review.find("href=\"#finding\""), std::string::npos);
  const std::string concluded =
      Checked("investigation-concluded", RenderInvestigationPage(ctx, Investigation("concluded")));
  EXPECT_EQ(concluded.find("/status\""), std::string::npos);  // No next step.
  EXPECT_NE(concluded.find("Referred"), std::string::npos);

  InvestigationListView list;
  list.total = 2;
  list.status_filter = "open";
  list.rows = {Investigation("open").summary};
  const std::string page = Checked("investigations", RenderInvestigationsPage(ctx, list));
  EXPECT_NE(page.find("1 of 2 investigations"), std::string::npos);
  EXPECT_NE(page.find("href=\"/management/investigations/7\""), std::string::npos);
}

BrokeringPageView Brokering(BrokeringRole role, std::string status) {
  BrokeringPageView v;
  v.role = role;
  v.id = 3;
  v.uin = "AB12345678";
  v.status = std::move(status);
  v.requester = "pat.teacher";
  v.requester_organisation = "SCH-NS-OAKFIELD";
  v.created = "2026-11-22T10:00:00Z";
  v.reason = std::string(kHostile);
  v.timeline = {{"2026-11-22T10:00:00Z", "pat.teacher", "Brokering requested", "Why"}};
  return v;
}

TEST(BreakGlassPagesTest, BrokeringForEachParty) {
  BrokeringPageView management = Brokering(BrokeringRole::kManagement, "requested");
  management.candidates = {{41, "Sally Ward, Northshire County Council (social_care)"}};
  management.record = Markup("<h2 class=\"govuk-heading-l\">Ruby Stone</h2>");
  const std::string m =
      Checked("brokering-management", RenderBrokeringPage(Ctx({"management"}), management));
  EXPECT_NE(m.find("value=\"41\""), std::string::npos);
  EXPECT_NE(m.find("/management/brokering/3/contact"), std::string::npos);

  BrokeringPageView contacted = Brokering(BrokeringRole::kManagement, "contacted");
  contacted.practitioner = "Sally Ward (Northshire County Council)";
  const std::string c = Checked("brokering-management-contacted",
                                RenderBrokeringPage(Ctx({"management"}), contacted));
  EXPECT_NE(c.find("/management/brokering/3/decision"), std::string::npos);

  BrokeringPageView practitioner = Brokering(BrokeringRole::kPractitioner, "contacted");
  practitioner.errors["released"] = "Enter the contact details or information released";
  const std::string p =
      Checked("brokering-practitioner", RenderBrokeringPage(Ctx({"practitioner"}), practitioner));
  EXPECT_NE(p.find("action=\"/brokering/3/decision\""), std::string::npos);

  BrokeringPageView declined = Brokering(BrokeringRole::kRequester, "declined");
  // Even if a full view's fields were filled by mistake, the requester's page shows none.
  declined.practitioner = "Sally Ward";
  const std::string r =
      Checked("brokering-requester-declined", RenderBrokeringPage(Ctx({"practitioner"}), declined));
  EXPECT_EQ(r.find("Sally Ward"), std::string::npos);
  EXPECT_NE(r.find("action=\"/brokering/3/acknowledge\""), std::string::npos);
  EXPECT_NE(r.find("name=\"confirm\""), std::string::npos);

  BrokeringPageView signed_view = Brokering(BrokeringRole::kRequester, "acknowledged");
  signed_view.decline_reasons = "Not needed";
  signed_view.acknowledged = "2026-11-22T11:30:00Z";
  const std::string s = Checked("brokering-requester-signed",
                                RenderBrokeringPage(Ctx({"practitioner"}), signed_view));
  EXPECT_NE(s.find("Signed by pat.teacher on 22 November 2026 at 11:30 UTC"), std::string::npos);
  EXPECT_EQ(s.find("/acknowledge"), std::string::npos);

  BrokeringFormView form;
  form.uin = "AB12345678";
  form.errors["reason"] = "Give your professional reason for asking";
  Checked("brokering-form-errors", RenderBrokeringFormPage(Ctx({"practitioner"}), form));
  BrokeringInboxView inbox;
  inbox.waiting = {{3, "AB12345678", "contacted", "2026-11-22T10:00:00Z"}};
  const std::string i =
      Checked("brokering-inbox", RenderBrokeringInboxPage(Ctx({"practitioner"}), inbox));
  EXPECT_NE(i.find("Requests waiting for your decision"), std::string::npos);
  EXPECT_NE(i.find("href=\"/brokering/3\""), std::string::npos);
}

TEST(BreakGlassPagesTest, Notifications) {
  const std::string html = Checked(
      "notifications",
      RenderNotificationsPage(Ctx({"management"}),
                              {{std::string(kHostile), "2026-11-22T10:00:00Z", "/brokering"},
                               {"Review due", "2026-11-22T09:00:00Z", ""}}));
  EXPECT_NE(html.find("2 notifications"), std::string::npos);
}

DeskView Desk() {
  DeskView v;
  v.authority = "Northshire County Council";
  DeskSection requests{"requests", "Shield requests awaiting a decision", "None.", "", "", 0, {}};
  DeskItem pending;
  pending.reference = "12";
  pending.uin = "AB12345678";
  pending.status = "pending";
  pending.status_text = "Awaiting a decision";
  pending.href = "/management/requests/12";
  pending.link_text = "View request";
  requests.items.push_back(pending);
  DeskSection telephone{"telephone",
                        "Telephone requests awaiting their form",
                        "None.",
                        "/management/telephone-requests/new",
                        "Record a telephone request",
                        0,
                        {}};
  DeskItem call = pending;
  call.reference = "13";
  call.due = "2026-11-20";
  call.overdue = true;
  call.status = "awaiting_form";
  telephone.items.push_back(call);
  DeskSection appeals{"appeals", "Appeals and complaints", "No appeal is open.", "", "", 0, {}};
  for (DeskSection* s : {&requests, &telephone, &appeals}) {
    FilterDeskItems(*s, v.status);
    v.sections.push_back(*s);
  }
  return v;
}

TEST(DeskPagesTest, SectionsWithCountsDueDatesAndTheFilter) {
  const std::string html = Checked("desk", RenderDeskPage(Ctx({"management"}), Desk()));
  EXPECT_NE(html.find("id=\"section-telephone\""), std::string::npos);
  EXPECT_NE(html.find("20 November 2026"), std::string::npos);
  EXPECT_NE(html.find("Overdue"), std::string::npos);
  EXPECT_NE(html.find("href=\"/management/requests/12\""), std::string::npos);
  EXPECT_NE(html.find("href=\"/management/telephone-requests/new\""), std::string::npos);
  EXPECT_NE(html.find("No appeal is open."), std::string::npos);
  EXPECT_NE(html.find("name=\"section\""), std::string::npos);
  EXPECT_EQ(Count(html, "cp-count"), 3u);
}

TEST(DeskPagesTest, TheStatusFilterKeepsMatchingItems) {
  DeskSection s{"telephone", "Telephone", "None.", "", "", 0, {}};
  DeskItem late;
  late.overdue = true;
  late.status = "awaiting_form";
  DeskItem on_time;
  on_time.status = "awaiting_form";
  s.items = {late, on_time};
  DeskSection overdue = s;
  FilterDeskItems(overdue, "overdue");
  EXPECT_EQ(overdue.items.size(), 1u);
  EXPECT_EQ(overdue.total, 2u);
  DeskSection other = s;
  FilterDeskItems(other, "open");
  EXPECT_TRUE(other.items.empty());
  DeskView v = Desk();
  v.status = "overdue";
  v.sections[1] = overdue;
  const std::string html = Checked("desk-filtered", RenderDeskPage(Ctx({"management"}), v));
  EXPECT_NE(html.find("Showing 1 of 2."), std::string::npos);
}

}  // namespace
}  // namespace cp::web
