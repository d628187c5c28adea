// The shielding lifecycle pages of shielding_pages.h beyond the request form and the desk:
// each rendered in its states, with the structure checks of testing/page_checks.h.
#include "web/shielding_pages.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "web/testing/page_checks.h"

namespace cp::web {
namespace {

using testing::CheckPage;
using testing::TitleOf;

constexpr std::string_view kHostile = "<script>alert('x')</script>\"'&";

PageContext Ctx(std::vector<std::string> roles) {
  PageContext ctx;
  ctx.signed_in = true;
  ctx.display_name = "Morgan Ellery";
  ctx.roles = std::move(roles);
  ctx.csrf_token = "csrf-abc123";
  ctx.current_path = "/management";
  return ctx;
}

bool Has(const Html& html, std::string_view text) {
  return html.str().find(text) != std::string::npos;
}

void ExpectWellFormed(const Html& html, std::string_view name) {
  for (const std::string& problem : CheckPage(html.str())) ADD_FAILURE() << name << ": " << problem;
  EXPECT_EQ(html.str().find("<script>alert"), std::string::npos) << name << " is not escaped";
}

RequestRow Row(int64_t id, std::string status) {
  return {id,       "4820175396X",         std::move(status),     "child_at_risk",
          "refuge", std::string(kHostile), "2024-03-28T10:00:00Z"};
}

TEST(ShieldingLifecyclePagesTest, OwnRequestsOfferWithdrawOnlyWhileLive) {
  MyShieldRequestsView v;
  v.own = {Row(7, "active"), Row(8, "withdrawn"), Row(9, "pending")};
  Html html = RenderMyShieldRequestsPage(Ctx({"practitioner"}), v);
  ExpectWellFormed(html, "own requests");
  EXPECT_TRUE(Has(html, "href=\"/children/4820175396X/shields/7/withdraw\""));
  EXPECT_TRUE(Has(html, "href=\"/children/4820175396X/shields/9/withdraw\""));
  EXPECT_FALSE(Has(html, "/shields/8/withdraw"));
  // A practitioner is not a named person: no decisions.
  EXPECT_FALSE(Has(html, "awaiting your decision"));
  EXPECT_FALSE(Has(html, "/approve"));
}

TEST(ShieldingLifecyclePagesTest, TheNamedPersonApprovesOrRejectsTheirOrganisationsRequests) {
  MyShieldRequestsView v;
  v.named_person = true;
  v.awaiting = {Row(12, "pending")};
  Html html = RenderMyShieldRequestsPage(Ctx({"shielder", "practitioner"}), v);
  ExpectWellFormed(html, "named person");
  EXPECT_TRUE(Has(html, "Requests awaiting your decision"));
  EXPECT_TRUE(Has(html, "action=\"/shield-requests/12/approve\""));
  EXPECT_TRUE(Has(html, "action=\"/shield-requests/12/reject\""));
  EXPECT_TRUE(Has(html, "&lt;script&gt;"));  // The requester's name, escaped.
  v.awaiting.clear();
  EXPECT_TRUE(Has(RenderMyShieldRequestsPage(Ctx({"shielder"}), v), "No requests are waiting."));
}

TEST(ShieldingLifecyclePagesTest, WithdrawSaysTheRecordStaysShielded) {
  WithdrawView v;
  v.request = Row(7, "active");
  v.withdrawable = true;
  Html html = RenderWithdrawPage(Ctx({"shielder"}), v);
  ExpectWellFormed(html, "withdraw");
  EXPECT_TRUE(Has(html, "action=\"/children/4820175396X/shields/7/withdraw\""));
  EXPECT_TRUE(Has(html, "The record stays shielded after you withdraw"));
  v.withdrawable = false;
  v.errors[""] = "This request is no longer active, so it cannot be withdrawn";
  html = RenderWithdrawPage(Ctx({"shielder"}), v);
  ExpectWellFormed(html, "withdraw refused");
  EXPECT_EQ(TitleOf(html.str()).rfind("Error: ", 0), 0u);
  EXPECT_FALSE(Has(html, "Withdraw this request"));
}

TEST(ShieldingLifecyclePagesTest, TelephoneFormShowsTheSevenWorkingDayDeadline) {
  TelephoneRequestView v;
  v.today = "2024-03-28";
  v.form_due = "2024-04-10";  // Good Friday and Easter Monday skipped.
  Html html = RenderTelephoneRequestPage(Ctx({"management"}), v);
  ExpectWellFormed(html, "telephone");
  EXPECT_TRUE(Has(html, "by Wednesday 10 April 2024"));
  EXPECT_TRUE(Has(html, "Objection to ContactPoint in principle"));
  EXPECT_TRUE(Has(html, "Do not include case details"));
  for (std::string_view field : {"uin",
                                 "requester_name",
                                 "requester_contact",
                                 "requester_relationship",
                                 "comments",
                                 "form_reference",
                                 "form_surname",
                                 "form_known_as_surname",
                                 "form_forenames",
                                 "form_date_of_birth",
                                 "form_gender",
                                 "form_addresses",
                                 "form_service",
                                 "form_caseworker",
                                 "form_service_phone",
                                 "form_service_email",
                                 "form_office_decision",
                                 "form_decided_by",
                                 "form_reviewer",
                                 "form_review_when"}) {
    EXPECT_TRUE(Has(html, "name=\"" + std::string(field) + "\"")) << field;
  }
  v.uin = std::string(kHostile);
  v.errors = {{"uin", "Enter the UIN"}, {"requester_name", "Enter the caller's name"}};
  html = RenderTelephoneRequestPage(Ctx({"management"}), v);
  ExpectWellFormed(html, "telephone errors");
  EXPECT_TRUE(Has(html, "href=\"#uin\""));
  EXPECT_TRUE(Has(html, "href=\"#requester_name\""));
}

RequestDetailView Detail() {
  RequestDetailView v;
  v.request = Row(21, "active");
  v.source = "telephone";
  v.telephone = true;
  v.form_due = "2024-04-10";
  v.requester_name = "Laura Stone";
  v.requester_contact = "07700 900733";
  v.requester_relationship = "mother";
  v.form = {"REF-9",
            "Stone",
            "Marsh",
            "Ruby",
            "2016-06-06",
            "female",
            "9 Willow Court\n12 Ash Row",
            "Children's services",
            "Jo Case",
            "01632 960 001",
            "jo@example.org",
            "Shield",
            "Morgan",
            "Morgan",
            "6 months"};
  v.documents = {{3, "application/pdf", 2048, "morgan.manager", "2024-03-29T09:00:00Z"}};
  return v;
}

TEST(ShieldingLifecyclePagesTest, RequestDetailReadsBackEveryFormFieldAndItsDocuments) {
  Html html = RenderRequestDetailPage(Ctx({"management"}), Detail());
  ExpectWellFormed(html, "request detail");
  for (std::string_view text :
       {"REF-9", "Stone", "Marsh", "Ruby", "6 June 2016", "female", "9 Willow Court<br>12 Ash Row",
        "Children&#39;s services", "Jo Case", "01632 960 001", "jo@example.org", "Shield",
        "6 months", "Completed form due by Wednesday 10 April 2024"}) {
    EXPECT_TRUE(Has(html, text)) << text;
  }
  EXPECT_TRUE(Has(html, "action=\"/management/requests/21/form-received\""));
  EXPECT_TRUE(Has(html, "href=\"/management/requests/21/documents/3\""));
  EXPECT_TRUE(Has(html, "enctype=\"multipart/form-data\""));
  EXPECT_TRUE(Has(html, "action=\"/management/requests/21/documents\""));
  EXPECT_TRUE(Has(html, "accept=\"application/pdf,image/png,image/jpeg\""));
  EXPECT_FALSE(Has(html, "/approve"));  // Only pending requests are decided.

  RequestDetailView received = Detail();
  received.form_received = "2024-04-02";
  received.form = {};
  received.errors["document"] = "A supporting document must be a PDF, PNG or JPEG file";
  html = RenderRequestDetailPage(Ctx({"management"}), received);
  ExpectWellFormed(html, "request detail, upload refused");
  EXPECT_TRUE(Has(html, "Completed form received on 2 April 2024"));
  EXPECT_FALSE(Has(html, "/form-received"));
  EXPECT_TRUE(Has(html, "Not given"));
  EXPECT_TRUE(Has(html, "href=\"#document\""));

  RequestDetailView pending = Detail();
  pending.request.status = "pending";
  pending.telephone = false;
  html = RenderRequestDetailPage(Ctx({"management"}), pending);
  EXPECT_TRUE(Has(html, "action=\"/management/requests/21/approve\""));
  EXPECT_TRUE(Has(html, "action=\"/management/requests/21/reject\""));
}

TEST(ShieldingLifecyclePagesTest, AppealsAreListedRecordedAndDecided) {
  AppealRow open{4,
                 "4820175396X",
                 std::string(kHostile),
                 "Disputes the shield",
                 "",
                 "",
                 "morgan.manager",
                 "2024-03-28T10:00:00Z",
                 "",
                 ""};
  AppealRow closed = open;
  closed.id = 5;
  closed.outcome = "not_upheld";
  closed.decided_by = "morgan.manager";
  closed.decided_at = "2024-04-02T10:00:00Z";
  Html list = RenderAppealsPage(Ctx({"management"}), {open, closed});
  ExpectWellFormed(list, "appeals");
  EXPECT_TRUE(Has(list, "href=\"/management/appeals/4\""));
  EXPECT_TRUE(Has(list, "Not upheld"));
  EXPECT_TRUE(Has(list, "href=\"/management/appeals/new\""));
  ExpectWellFormed(RenderAppealsPage(Ctx({"management"}), {}), "no appeals");

  NewAppealView fresh;
  ExpectWellFormed(RenderNewAppealPage(Ctx({"management"}), fresh), "new appeal");
  fresh.errors = {{"uin", "Enter the UIN"}, {"grounds", "Enter the grounds"}};
  ExpectWellFormed(RenderNewAppealPage(Ctx({"management"}), fresh), "new appeal errors");

  AppealView v{open, "", "", {}};
  Html html = RenderAppealPage(Ctx({"management"}), v);
  ExpectWellFormed(html, "appeal");
  EXPECT_TRUE(Has(html, "action=\"/management/appeals/4\""));
  v.errors["outcome"] = "Choose the outcome";
  ExpectWellFormed(RenderAppealPage(Ctx({"management"}), v), "appeal errors");
  AppealView done{closed, "", "", {}};
  html = RenderAppealPage(Ctx({"management"}), done);
  EXPECT_FALSE(Has(html, "Record the outcome"));
  EXPECT_TRUE(Has(html, "2 April 2024"));
}

TEST(ShieldingLifecyclePagesTest, TheLogOffersConfirmationSentUntilItIsRecorded) {
  LogRow pending{"4820175396X",
                 1,
                 "shield_applied",
                 "refuge",
                 "2024-03-28",
                 "Safe Haven",
                 "refuge key worker",
                 "",
                 "",
                 31};
  LogRow sent = pending;
  sent.id = 32;
  sent.confirmation_sent = "2024-03-29";
  Html html = RenderShieldingLogPage(Ctx({"management"}), {pending, sent});
  ExpectWellFormed(html, "log");
  EXPECT_TRUE(Has(html, "action=\"/management/shielding-log/31/confirmation-sent\""));
  EXPECT_FALSE(Has(html, "/management/shielding-log/32/confirmation-sent"));
  EXPECT_TRUE(Has(html, "29 March 2024"));
}

TEST(ShieldingLifecyclePagesTest, TheReviewPageLinksEachActiveRequestAndItsWithdrawal) {
  ReviewFormView v;
  v.uin = "4820175396X";
  v.active = {{7, "Safe Haven", "2024-03-28T10:00:00Z"}};
  Html html = RenderReviewPage(Ctx({"management"}), v);
  ExpectWellFormed(html, "review");
  EXPECT_TRUE(Has(html, "href=\"/management/requests/7\""));
  EXPECT_TRUE(Has(html, "href=\"/children/4820175396X/shields/7/withdraw\""));
}

TEST(ShieldingLifecyclePagesTest, LongDatesNameTheWeekday) {
  EXPECT_EQ(FormatLongDate("2024-04-10"), "Wednesday 10 April 2024");
  EXPECT_EQ(FormatLongDate("2024-03-31"), "Sunday 31 March 2024");
  EXPECT_EQ(FormatLongDate("not a date"), "not a date");
}

}  // namespace
}  // namespace cp::web
