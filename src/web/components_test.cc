#include "web/components.h"

#include <gtest/gtest.h>

#include <array>

#include "web/testing/page_checks.h"

namespace cp::web {
namespace {

using testing::Count;

TEST(ComponentsTest, TextInputBindsLabelAndEscapesValue) {
  InputParams p;
  p.id = "display_name";
  p.label = "Full name";
  p.value = "\"><script>alert(1)</script>";
  const std::string html = TextInput(p).str();
  EXPECT_NE(html.find("for=\"display_name\""), std::string::npos);
  EXPECT_NE(html.find("id=\"display_name\" name=\"display_name\""), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("value=\"&quot;&gt;&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("govuk-form-group--error"), std::string::npos);
  EXPECT_EQ(html.find("aria-describedby"), std::string::npos);
}

TEST(ComponentsTest, TextInputWithHintAndError) {
  InputParams p;
  p.id = "email";
  p.label = "Email";
  p.hint = "Your work address";
  p.error = "Enter an email address";
  const std::string html = TextInput(p).str();
  EXPECT_NE(html.find("govuk-form-group govuk-form-group--error"), std::string::npos);
  EXPECT_NE(html.find("<p id=\"email-error\" class=\"govuk-error-message\"><span "
                      "class=\"govuk-visually-hidden\">Error:</span> Enter an email address"),
            std::string::npos);
  EXPECT_NE(html.find("aria-describedby=\"email-hint email-error\""), std::string::npos);
  EXPECT_NE(html.find("govuk-input--error"), std::string::npos);
}

TEST(ComponentsTest, PasswordInputNeverEchoesValueAndAllowsPaste) {
  InputParams p;
  p.id = "password";
  p.label = "Password";
  p.value = "hunter2";
  const std::string html = PasswordInput(p).str();
  EXPECT_EQ(html.find("hunter2"), std::string::npos);
  EXPECT_NE(html.find("type=\"password\""), std::string::npos);
  EXPECT_NE(html.find("autocomplete=\"current-password\""), std::string::npos);
  EXPECT_EQ(html.find("onpaste"), std::string::npos);
  EXPECT_NE(html.find("data-module=\"govuk-password-input\""), std::string::npos);
}

TEST(ComponentsTest, CheckboxIdsFollowGovukConvention) {
  ChoicesParams p;
  p.id = "roles";
  p.legend = "Roles";
  p.items = {{"a", "A", "", false}, {"b", "B", "", true}, {"c", "C", "", false}};
  const std::string html = Checkboxes(p).str();
  EXPECT_NE(html.find("id=\"roles\" name=\"roles\""), std::string::npos);
  EXPECT_NE(html.find("id=\"roles-2\" name=\"roles\" type=\"checkbox\" value=\"b\" checked"),
            std::string::npos);
  EXPECT_NE(html.find("id=\"roles-3\""), std::string::npos);
  EXPECT_EQ(Count(html, "<label"), 3u);
  EXPECT_TRUE(testing::CheckPage("<html lang=\"en-GB\"><title>t</title><h1>x</h1>" + html).empty());
}

TEST(ComponentsTest, RadiosAreRadios) {
  ChoicesParams p;
  p.id = "r";
  p.legend = "Pick";
  p.items = {{"1", "One", "", false}, {"2", "Two", "", false}};
  const std::string html = Radios(p).str();
  EXPECT_EQ(Count(html, "type=\"radio\""), 2u);
  EXPECT_NE(html.find("class=\"govuk-radios\" data-module=\"govuk-radios\""), std::string::npos);
}

TEST(ComponentsTest, DateInputHasThreeNumericFields) {
  DateInputParams p;
  p.id = "crb";
  p.name = "crb_check_date";
  p.legend = "Date";
  p.value = {"1", "2", "<2020>"};
  p.error = "Enter a real date";
  const std::string html = DateInput(p).str();
  EXPECT_EQ(Count(html, "inputmode=\"numeric\""), 3u);
  EXPECT_NE(html.find("id=\"crb-day\" name=\"crb_check_date-day\""), std::string::npos);
  EXPECT_NE(html.find("id=\"crb-month\" name=\"crb_check_date-month\""), std::string::npos);
  EXPECT_NE(html.find("id=\"crb-year\" name=\"crb_check_date-year\""), std::string::npos);
  EXPECT_NE(html.find("value=\"&lt;2020&gt;\""), std::string::npos);
  EXPECT_NE(html.find("role=\"group\" aria-describedby=\"crb-error\""), std::string::npos);
}

TEST(ComponentsTest, SelectMarksSelectedOption) {
  SelectParams p;
  p.id = "type";
  p.label = "Type";
  p.options = {{"a", "A", false}, {"b", "B & C", true}};
  const std::string html = Select(p).str();
  EXPECT_NE(html.find("<option value=\"b\" selected>B &amp; C</option>"), std::string::npos);
}

TEST(ComponentsTest, ErrorSummaryLinksToFields) {
  FieldErrors errors = {{"", "Enter a correct username and password"},
                        {"password", "Enter your password"},
                        {"mystery", "Something else"}};
  const std::array<FieldRef, 2> fields = {{{"username", "username"}, {"password", "password"}}};
  auto items = ErrorItemsFor(errors, fields);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].target_id, "username");
  EXPECT_EQ(items[1].target_id, "password");
  EXPECT_EQ(items[2].target_id, "");
  const std::string html = ErrorSummary(items).str();
  EXPECT_NE(html.find("<a href=\"#username\">Enter a correct username and password</a>"),
            std::string::npos);
  EXPECT_NE(html.find("<li>Something else</li>"), std::string::npos);
  EXPECT_NE(html.find("role=\"alert\""), std::string::npos);
  EXPECT_TRUE(ErrorSummary({}).empty());
}

TEST(ComponentsTest, TableAndSummaryList) {
  TableParams t;
  t.caption = "Users";
  t.head = {"Name", "Role"};
  t.rows = {{Escape("Zoë"), Tag("Practitioner")}};
  const std::string table = Table(t).str();
  EXPECT_NE(table.find("<th scope=\"col\" class=\"govuk-table__header\">Name</th>"),
            std::string::npos);
  EXPECT_NE(table.find("<td class=\"govuk-table__cell\">Zoë</td>"), std::string::npos);

  std::vector<SummaryRow> rows = {{"Name", Escape("李小龙"), "/edit", "Change"}};
  const std::string list = SummaryList(rows).str();
  EXPECT_NE(list.find("李小龙"), std::string::npos);
  EXPECT_NE(list.find("Change<span class=\"govuk-visually-hidden\"> Name</span>"),
            std::string::npos);
}

TEST(ComponentsTest, SmallComponents) {
  EXPECT_EQ(Tag("Expired", TagColour::kRed).str(),
            "<strong class=\"govuk-tag govuk-tag--red\">Expired</strong>");
  EXPECT_NE(Button("Save", ButtonStyle::kWarning).str().find("govuk-button--warning"),
            std::string::npos);
  EXPECT_NE(ButtonLink("Add", "/x").str().find("role=\"button\""), std::string::npos);
  EXPECT_NE(NotificationBanner("Saved", true).str().find("role=\"alert\""), std::string::npos);
  EXPECT_NE(NotificationBanner("Note", false).str().find("role=\"region\""), std::string::npos);
  EXPECT_NE(WarningText("Careful").str().find("govuk-visually-hidden\">Warning</span> Careful"),
            std::string::npos);
  EXPECT_NE(BackLink("/a").str().find("class=\"govuk-back-link\""), std::string::npos);
  EXPECT_NE(Panel("Done", Escape("ok")).str().find("<h1 class=\"govuk-panel__title\">Done</h1>"),
            std::string::npos);
  EXPECT_EQ(CsrfField("t\"k").str(),
            "<input type=\"hidden\" name=\"csrf_token\" value=\"t&quot;k\">\n");
  EXPECT_NE(PostForm("/x", "tok", Html()).str().find("<form method=\"post\" action=\"/x\""),
            std::string::npos);
  EXPECT_EQ(Heading(2, "m", "A<B").str(), "<h2 class=\"govuk-heading-m\">A&lt;B</h2>\n");
}

}  // namespace
}  // namespace cp::web
