#include "web/shielding_pages.h"

#include <algorithm>

#include "domain/shielding.h"
#include "web/directory_pages.h"

namespace cp::web {
namespace {

const FieldRef kShieldFields[] = {{"criteria", "criteria"},
                                  {"category", "category"},
                                  {"requester_name", "requester_name"},
                                  {"requester_contact", "requester_contact"},
                                  {"requester_relationship", "requester_relationship"},
                                  {"comments", "comments"},
                                  {"form_date_of_birth", "form_date_of_birth"},
                                  {"form_service_email", "form_service_email"}};
const FieldRef kReviewFields[] = {
    {"consulted", "consulted"}, {"outcome", "outcome"}, {"notes", "notes"}, {"unshield", ""}};

Html TwoThirds(const Html& content) {
  return Markup("<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n") +
         content + Markup("</div>\n</div>\n");
}

Html Link(std::string_view href, std::string_view text) {
  return Markup("<a class=\"govuk-link\"") + Attr("href", href) + Markup(">") + Escape(text) +
         Markup("</a>");
}

Html LinkParagraph(std::string_view href, std::string_view text) {
  return Markup("<p class=\"govuk-body\">") + Link(href, text) + Markup("</p>\n");
}

std::string CategoryLabel(std::string_view code) {
  for (const auto& c : domain::AllShieldCategories()) {
    if (c.code == code) return std::string(c.label);
  }
  return std::string(code);
}

std::string ChildPath(std::string_view uin) { return "/children/" + EncodePathSegment(uin); }
std::string ReviewPath(std::string_view uin) {
  return "/management/children/" + EncodePathSegment(uin) + "/review";
}

}  // namespace

Html RenderShieldFormPage(const PageContext& ctx, const ShieldFormView& v) {
  const std::string title = v.applies_directly ? "Shield this record" : "Request a shield";
  ChoicesParams criteria;
  criteria.id = "criteria";
  criteria.name = "criteria";
  criteria.legend = "If this record is not shielded, will it:";
  criteria.legend_bold = true;
  criteria.hint = "Select all that apply. At least one must apply for the record to be shielded.";
  criteria.error = std::string(ErrorFor(v.errors, "criteria"));
  for (const auto& c : domain::AllShieldCriteria()) {
    const bool checked =
        std::find(v.criteria.begin(), v.criteria.end(), c.code) != v.criteria.end();
    criteria.items.push_back({std::string(c.code), std::string(c.question), "", checked});
  }
  SelectParams category;
  category.id = "category";
  category.label = "Category of case";
  category.label_bold = true;
  category.error = std::string(ErrorFor(v.errors, "category"));
  category.options.push_back({"", "Choose a category", v.category.empty()});
  for (const auto& c : domain::AllShieldCategories()) {
    category.options.push_back({std::string(c.code), std::string(c.label), v.category == c.code});
  }
  InputParams name;
  name.id = "requester_name";
  name.label = "Requesting person or organisation";
  name.hint = "Leave blank if the request is your own.";
  name.error = std::string(ErrorFor(v.errors, "requester_name"));
  name.value = v.requester_name;
  name.label_bold = true;
  InputParams contact = name;
  contact.id = "requester_contact";
  contact.label = "Their contact details";
  contact.hint = "A telephone number, email or postal address. Leave blank to use yours.";
  contact.error = std::string(ErrorFor(v.errors, "requester_contact"));
  contact.value = v.requester_contact;
  InputParams relationship = name;
  relationship.id = "requester_relationship";
  relationship.label = "Their role or relationship to the child";
  relationship.hint = "For example, social worker or refuge key worker.";
  relationship.error = std::string(ErrorFor(v.errors, "requester_relationship"));
  relationship.value = v.requester_relationship;
  InputParams comments = name;
  comments.id = "comments";
  comments.label = "Comments for the shielding log (optional)";
  comments.hint = "";
  comments.error = std::string(ErrorFor(v.errors, "comments"));
  comments.value = v.comments;
  Html body = Checkboxes(criteria) + InsetText(Paragraph(domain::kObjectionInPrincipleNotice)) +
              Select(category) + TextInput(name) + TextInput(contact) + TextInput(relationship) +
              WarningText(
                  "Do not include case details in the comments. They go into the shielding "
                  "log.") +
              Textarea(comments, 3) +
              Appendix4Fieldset("The request form (Appendix 4), optional", v.form, v.errors) +
              Button(v.applies_directly ? "Shield this record" : "Send shield request");
  Html main =
      ErrorSummary(ErrorItemsFor(v.errors, kShieldFields)) +
      TwoThirds(Markup("<span class=\"govuk-caption-l\">") + Escape("Child record, UIN " + v.uin) +
                Markup("</span>\n") + Heading(1, "l", title) +
                Paragraph(v.applies_directly
                              ? "The record is shielded as soon as you confirm."
                              : "Your request goes to your organisation's named person "
                                "or, if there is none, to the management team of the "
                                "child's local authority.") +
                PostForm(ChildPath(v.uin) + "/shield", ctx.csrf_token, body));
  return RenderPage(ctx, PageTitle(title, !v.errors.empty()), main,
                    BackLink(ChildPath(v.uin), "Back to the record"));
}

Html RenderShieldConfirmationPage(const PageContext& ctx, const ShieldConfirmationView& v) {
  Html main;
  std::string title;
  if (v.result == ShieldResult::kApplied) {
    title = "Shield applied";
    main = Panel(title, Escape("Request reference " + std::to_string(v.request_id)));
    main += Paragraph(
        "Only the management team of the child's local authority can now see the "
        "record's details. Everyone else sees the shielded view.");
    if (v.co_residents_shielded > 0) {
      main += Paragraph(std::to_string(v.co_residents_shielded) +
                        (v.co_residents_shielded == 1 ? " child" : " children") +
                        " living at the same address " +
                        (v.co_residents_shielded == 1 ? "was" : "were") + " also shielded.");
    }
    main += Paragraph("The record will be reviewed within 7 days.");
  } else if (v.result == ShieldResult::kPending) {
    title = "Shield request sent";
    main = Panel(title, Escape("Request reference " + std::to_string(v.request_id)));
    main += Paragraph(v.routed_to == "organisation"
                          ? "Your request has been sent to your organisation's named person, "
                            "who will decide whether to shield the record."
                          : "Your request has been sent to the management team of the child's "
                            "local authority, who will decide whether to shield the record.");
  } else {
    title = "Shield request rejected";
    main = Heading(1, "l", title) +
           Paragraph(
               "None of the shielding criteria applies, so the request was rejected and "
               "recorded in the shielding log (request reference " +
               std::to_string(v.request_id) + ").") +
           InsetText(Paragraph(domain::kObjectionInPrincipleNotice));
  }
  main += LinkParagraph("/search", "Search for another child");
  return RenderPage(ctx, title, TwoThirds(main));
}

Html RenderManagementDeskPage(const PageContext& ctx, const ManagementDeskView& v) {
  Html main = Heading(1, "l", "Shielding management");
  main += LinkParagraph("/management/shielding-log", "View the shielding log");

  main += Heading(2, "m", "Reviews due");
  if (v.reviews.empty()) {
    main += Paragraph("No reviews are due.");
  } else {
    TableParams t;
    t.caption = "Open reviews of shielded records";
    t.head = {"UIN", "Due", "Status", "Action"};
    for (const DeskReview& r : v.reviews) {
      t.rows.push_back({Escape(r.uin), Escape(FormatDate(r.due)),
                        r.overdue ? Tag("Overdue", TagColour::kRed) : Tag("Due", TagColour::kBlue),
                        Markup("<a class=\"govuk-link\"") + Attr("href", ReviewPath(r.uin)) +
                            Markup(">Record a review<span class=\"govuk-visually-hidden\"> of ") +
                            Escape(r.uin) + Markup("</span></a>")});
    }
    main += Table(t);
  }

  main += Heading(2, "m", "Shield requests awaiting a decision");
  if (v.pending.empty()) {
    main += Paragraph("No requests are waiting.");
  } else {
    TableParams t;
    t.caption = "Pending shield requests";
    t.head = {"Reference", "UIN", "Criteria", "Category", "Requested by", "Received", "Decision"};
    for (const DeskRequest& r : v.pending) {
      const std::string base = "/management/requests/" + std::to_string(r.id);
      Html decide = PostForm(base + "/approve", ctx.csrf_token,
                             Markup("<button type=\"submit\" class=\"govuk-button "
                                    "govuk-!-margin-bottom-1\" data-module=\"govuk-button\">"
                                    "Approve<span class=\"govuk-visually-hidden\"> request ") +
                                 Escape(std::to_string(r.id)) + Markup("</span></button>\n")) +
                    PostForm(base + "/reject", ctx.csrf_token,
                             Markup("<button type=\"submit\" class=\"govuk-button "
                                    "govuk-button--warning govuk-!-margin-bottom-0\" "
                                    "data-module=\"govuk-button\">Reject<span "
                                    "class=\"govuk-visually-hidden\"> request ") +
                                 Escape(std::to_string(r.id)) + Markup("</span></button>\n"));
      t.rows.push_back({Escape(std::to_string(r.id)), Escape(r.uin), Escape(r.criteria),
                        Escape(CategoryLabel(r.category)), Escape(r.requested_by),
                        Escape(FormatDate(r.created)), decide});
    }
    main += Table(t);
  }

  main += Heading(2, "m", "Notifications");
  if (v.notifications.empty()) {
    main += Paragraph("No notifications.");
  } else {
    main += Markup("<ul class=\"govuk-list govuk-list--bullet\">\n");
    for (const DeskNotification& n : v.notifications) {
      main += Markup("<li>") + Escape(FormatDate(n.created) + ": " + n.text) + Markup("</li>\n");
    }
    main += Markup("</ul>\n");
  }
  return RenderPage(ctx, "Shielding management", main);
}

std::string ActiveRequestsMessage(const std::vector<ActiveRequest>& active) {
  std::string out = "This record still has " + std::to_string(active.size()) + " active shield " +
                    (active.size() == 1 ? "request" : "requests");
  for (size_t i = 0; i < active.size(); ++i) {
    out += i == 0 ? ": " : ", ";
    out += "reference " + std::to_string(active[i].id);
    if (!active[i].requester.empty()) out += " (" + active[i].requester + ")";
  }
  out += ". Each requester must withdraw their request before the record can be unshielded.";
  return out;
}

Html RenderReviewPage(const PageContext& ctx, const ReviewFormView& v) {
  Html main = ErrorSummary(ErrorItemsFor(v.errors, kReviewFields));
  Html col = Markup("<span class=\"govuk-caption-l\">") + Escape("Shielded record, UIN " + v.uin) +
             Markup("</span>\n") + Heading(1, "l", "Review the shield");
  if (v.due.empty()) {
    col += Paragraph("This record has no open review.");
  } else {
    col += Markup("<p class=\"govuk-body\">") + Escape("Review due " + FormatDate(v.due) + " ") +
           (v.overdue ? Tag("Overdue", TagColour::kRed) : Html()) + Markup("</p>\n");
  }
  col += Heading(2, "m", "Active shield requests");
  if (v.active.empty()) {
    col += Paragraph("There are no active shield requests.");
  } else {
    TableParams t;
    t.caption = "Requests holding the shield";
    t.head = {"Reference", "Requester", "Made", "Action"};
    for (const ActiveRequest& a : v.active) {
      const std::string ref = std::to_string(a.id);
      t.rows.push_back({Markup("<a class=\"govuk-link\"") +
                            Attr("href", "/management/requests/" + ref) + Markup(">") +
                            Escape(ref) + Markup("</a>"),
                        Escape(a.requester), Escape(FormatDate(a.created)),
                        Markup("<a class=\"govuk-link\"") +
                            Attr("href", ChildPath(v.uin) + "/shields/" + ref + "/withdraw") +
                            Markup(">Withdraw<span class=\"govuk-visually-hidden\"> request ") +
                            Escape(ref) + Markup("</span></a>")});
    }
    col += Table(t);
  }
  col += Heading(2, "m", "Record a review");
  InputParams consulted;
  consulted.id = "consulted";
  consulted.label = "Who did you consult?";
  consulted.hint = "The request references or names of the requesters, one on each line.";
  consulted.error = std::string(ErrorFor(v.errors, "consulted"));
  consulted.value = v.consulted;
  ChoicesParams outcome;
  outcome.id = "outcome";
  outcome.name = "outcome";
  outcome.legend = "Outcome";
  outcome.legend_bold = true;
  outcome.error = std::string(ErrorFor(v.errors, "outcome"));
  outcome.items = {
      {"continue", "Keep the shield", "", v.outcome == "continue"},
      {"unshield_recommended", "Recommend unshielding", "", v.outcome == "unshield_recommended"}};
  InputParams notes = consulted;
  notes.id = "notes";
  notes.label = "Notes (optional)";
  notes.hint = "Do not include case details.";
  notes.error = std::string(ErrorFor(v.errors, "notes"));
  notes.value = v.notes;
  col += PostForm(
      ReviewPath(v.uin), ctx.csrf_token,
      Textarea(consulted, 3) + Radios(outcome) + Textarea(notes, 3) + Button("Record review"));
  col += Heading(2, "m", "Unshield the record");
  col += Paragraph(
      "Unshield only when no shield request is active. The next review is then cancelled.");
  col += PostForm("/management/children/" + EncodePathSegment(v.uin) + "/unshield", ctx.csrf_token,
                  Button("Unshield this record", ButtonStyle::kWarning));
  main += TwoThirds(col);
  return RenderPage(ctx, PageTitle("Review the shield", !v.errors.empty()), main,
                    BackLink("/management", "Back to shielding management"));
}

// Log field 7: the date, or (with the entry's id) a button to record that it was sent today.
Html ConfirmationCell(const PageContext& ctx, const LogRow& r);

Html RenderShieldingLogPage(const PageContext& ctx, const std::vector<LogRow>& rows) {
  Html main = Heading(1, "l", "Shielding log") + Markup("<p class=\"govuk-body\">") +
              Link("/api/v1/shielding-log?format=csv", "Download CSV") + Markup("</p>\n");
  if (rows.empty()) {
    main += Paragraph("The log is empty.");
  } else {
    TableParams t;
    t.caption = "Shielding log of your local authority";
    t.head = {"UIN",       "Action",       "Category",          "Date",
              "Requester", "Relationship", "Confirmation sent", "Comments"};
    for (const LogRow& r : rows) {
      t.rows.push_back({Escape(r.uin), Escape(std::to_string(r.action) + " " + r.action_name),
                        Escape(CategoryLabel(r.category)), Escape(FormatDate(r.date)),
                        Escape(r.requester_contact), Escape(r.relationship),
                        ConfirmationCell(ctx, r), Escape(r.comments)});
    }
    main += Markup("<div class=\"cp-table-scroll\">\n") + Table(t) + Markup("</div>\n");
  }
  return RenderPage(ctx, "Shielding log", main,
                    BackLink("/management", "Back to shielding management"));
}

// ---- The rest of the lifecycle ------------------------------------------------------------

namespace {

const FieldRef kTelephoneFields[] = {{"uin", "uin"},
                                     {"criteria", "criteria"},
                                     {"category", "category"},
                                     {"requester_name", "requester_name"},
                                     {"requester_contact", "requester_contact"},
                                     {"requester_relationship", "requester_relationship"},
                                     {"comments", "comments"},
                                     {"form_date_of_birth", "form_date_of_birth"},
                                     {"form_service_email", "form_service_email"}};
const FieldRef kDocumentFields[] = {{"document", "document"}};
const FieldRef kNewAppealFields[] = {
    {"uin", "uin"}, {"appellant", "appellant"}, {"grounds", "grounds"}};
const FieldRef kAppealFields[] = {{"outcome", "outcome"}, {"notes", "notes"}};

std::string RequestPath(int64_t id) { return "/management/requests/" + std::to_string(id); }
std::string WithdrawPath(std::string_view uin, int64_t id) {
  return ChildPath(uin) + "/shields/" + std::to_string(id) + "/withdraw";
}

std::string StatusLabel(std::string_view status) {
  if (status == "pending") return "Awaiting a decision";
  if (status == "active") return "Active";
  if (status == "withdrawn") return "Withdrawn";
  if (status == "rejected") return "Rejected";
  if (status == "lapsed") return "Lapsed (form not received)";
  if (status == "closed") return "Closed (record unshielded)";
  return std::string(status);
}

Html StatusTag(std::string_view status) {
  TagColour colour = TagColour::kGrey;
  if (status == "pending") colour = TagColour::kBlue;
  if (status == "active") colour = TagColour::kGreen;
  if (status == "rejected" || status == "lapsed") colour = TagColour::kRed;
  return Tag(StatusLabel(status), colour);
}

std::string AppealOutcomeLabel(std::string_view outcome) {
  if (outcome == "upheld") return "Upheld";
  if (outcome == "not_upheld") return "Not upheld";
  if (outcome == "withdrawn") return "Withdrawn";
  return "Open";
}

// A value for a summary list, or "Not given" in grey-free plain text when empty.
Html OrNotGiven(std::string_view text) { return text.empty() ? Escape("Not given") : Escape(text); }

// A one-button POST form whose button names what it acts on for screen readers.
Html ActionButton(std::string_view action, std::string_view csrf_token, std::string_view text,
                  std::string_view hidden, ButtonStyle style) {
  std::string cls = "govuk-button govuk-!-margin-bottom-1";
  if (style == ButtonStyle::kSecondary) cls += " govuk-button--secondary";
  if (style == ButtonStyle::kWarning) cls += " govuk-button--warning";
  return PostForm(action, csrf_token,
                  Markup("<button type=\"submit\"") + Attr("class", cls) +
                      Markup(" data-module=\"govuk-button\">") + Escape(text) +
                      Markup("<span class=\"govuk-visually-hidden\"> ") + Escape(hidden) +
                      Markup("</span></button>\n"));
}

Html RequestsTable(const PageContext& ctx, std::string_view caption,
                   const std::vector<RequestRow>& rows, bool decide) {
  TableParams t;
  t.caption = std::string(caption);
  t.head = {"Reference", "UIN", "Criteria", "Category", "Status", "Made", "Action"};
  if (decide) t.head[4] = "Requested by";
  for (const RequestRow& r : rows) {
    const std::string ref = "request " + std::to_string(r.id);
    Html action;
    if (decide) {
      const std::string base = "/shield-requests/" + std::to_string(r.id);
      action =
          ActionButton(base + "/approve", ctx.csrf_token, "Approve", ref, ButtonStyle::kPrimary) +
          ActionButton(base + "/reject", ctx.csrf_token, "Reject", ref, ButtonStyle::kWarning);
    } else if (r.status == "pending" || r.status == "active") {
      action = Markup("<a class=\"govuk-link\"") + Attr("href", WithdrawPath(r.uin, r.id)) +
               Markup(">Withdraw<span class=\"govuk-visually-hidden\"> ") + Escape(ref) +
               Markup("</span></a>");
    }
    t.rows.push_back({Escape(std::to_string(r.id)), Escape(r.uin), Escape(r.criteria),
                      Escape(CategoryLabel(r.category)),
                      decide ? Escape(r.requested_by) : StatusTag(r.status),
                      Escape(FormatDate(r.created)), action});
  }
  return Markup("<div class=\"cp-table-scroll\">\n") + Table(t) + Markup("</div>\n");
}

SummaryRow Row(std::string key, Html value) { return {std::move(key), std::move(value), "", ""}; }

std::vector<SummaryRow> Appendix4Rows(const Appendix4View& f) {
  Html addresses;
  if (f.addresses.empty()) {
    addresses = Escape("Not given");
  } else {
    std::string_view rest = f.addresses;
    bool first = true;
    while (!rest.empty()) {
      const size_t end = rest.find('\n');
      if (!first) addresses += Markup("<br>");
      addresses += Escape(rest.substr(0, end));
      first = false;
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
  }
  return {
      Row("Requester's reference for the child", OrNotGiven(f.reference)),
      Row("Surname", OrNotGiven(f.surname)),
      Row("Known-as surname", OrNotGiven(f.known_as_surname)),
      Row("Forenames", OrNotGiven(f.forenames)),
      Row("Date of birth", OrNotGiven(f.date_of_birth.empty() ? "" : FormatDate(f.date_of_birth))),
      Row("Gender", OrNotGiven(f.gender)),
      Row("Recent addresses", addresses),
      Row("Service dealing with the case", OrNotGiven(f.service)),
      Row("Caseworker", OrNotGiven(f.caseworker)),
      Row("Service telephone", OrNotGiven(f.service_phone)),
      Row("Service email", OrNotGiven(f.service_email)),
      Row("Decision (office use)", OrNotGiven(f.office_decision)),
      Row("Decided by (office use)", OrNotGiven(f.decided_by)),
      Row("Reviewed by (office use)", OrNotGiven(f.reviewer)),
      Row("Review when (office use)", OrNotGiven(f.review_when))};
}

Html Caption(std::string_view text) {
  return Markup("<span class=\"govuk-caption-l\">") + Escape(text) + Markup("</span>\n");
}

}  // namespace

std::string FormatLongDate(std::string_view iso) {
  static constexpr std::string_view kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                               "Friday", "Saturday", "Sunday"};
  auto date = Date::Parse(iso);
  if (!date.ok()) return std::string(iso);
  return std::string(kDays[date->weekday()]) + " " + FormatDate(iso);
}

Html ConfirmationCell(const PageContext& ctx, const LogRow& r) {
  if (!r.confirmation_sent.empty()) return Escape(FormatDate(r.confirmation_sent));
  if (r.id <= 0) return Escape("Not yet");
  return Markup("<span class=\"govuk-body-s\">Not yet</span>\n") +
         ActionButton("/management/shielding-log/" + std::to_string(r.id) + "/confirmation-sent",
                      ctx.csrf_token, "Mark as sent", "for " + r.uin + " on " + FormatDate(r.date),
                      ButtonStyle::kSecondary);
}

Html RenderMyShieldRequestsPage(const PageContext& ctx, const MyShieldRequestsView& v) {
  Html main = Heading(1, "l", "Shield requests");
  if (v.named_person) {
    main += Heading(2, "m", "Requests awaiting your decision");
    main += Paragraph(
        "Practitioners of your organisation asked for these records to be shielded. As the "
        "named person, approve a request when at least one criterion applies.");
    if (v.awaiting.empty()) {
      main += Paragraph("No requests are waiting.");
    } else {
      main += RequestsTable(ctx, "Requests from your organisation", v.awaiting, true);
    }
  }
  main += Heading(2, "m", "Your requests");
  if (v.own.empty()) {
    main += Paragraph("You have not asked for any record to be shielded.");
  } else {
    main += Paragraph(
        "Withdraw a request when it is no longer needed. The record stays shielded until the "
        "management team of the child's local authority decides.");
    main += RequestsTable(ctx, "Requests you made", v.own, false);
  }
  return RenderPage(ctx, "Shield requests", main, BackLink("/", "Home"));
}

Html RenderWithdrawPage(const PageContext& ctx, const WithdrawView& v) {
  const RequestRow& r = v.request;
  const FieldRef fields[] = {{"", ""}};
  Html col = Caption("Shield request " + std::to_string(r.id)) +
             Heading(1, "l", "Withdraw your shield request");
  std::vector<SummaryRow> rows = {Row("UIN", Escape(r.uin)), Row("Status", StatusTag(r.status)),
                                  Row("Criteria", OrNotGiven(r.criteria)),
                                  Row("Category", Escape(CategoryLabel(r.category))),
                                  Row("Made", Escape(FormatDate(r.created)))};
  col += SummaryList(rows);
  if (v.withdrawable) {
    col += WarningText(
        "The record stays shielded after you withdraw. Only the management team of the "
        "child's local authority can remove the shield, once no request remains active.");
    col += PostForm(WithdrawPath(r.uin, r.id), ctx.csrf_token,
                    Button("Withdraw this request", ButtonStyle::kWarning));
  } else {
    col += Paragraph("This request is no longer active, so there is nothing to withdraw.");
  }
  Html main = ErrorSummary(ErrorItemsFor(v.errors, fields)) + TwoThirds(col);
  return RenderPage(ctx, PageTitle("Withdraw your shield request", !v.errors.empty()), main,
                    BackLink("/shield-requests", "Back to shield requests"));
}

Html Appendix4Fieldset(std::string_view legend, const Appendix4View& f, const FieldErrors& errors) {
  auto input = [&](std::string id, std::string label, std::string value, std::string hint = "") {
    InputParams p;
    p.id = std::move(id);
    p.label = std::move(label);
    p.hint = std::move(hint);
    p.error = std::string(ErrorFor(errors, p.id));
    p.value = std::move(value);
    return p;
  };
  InputParams dob =
      input("form_date_of_birth", "Date of birth", f.date_of_birth, "For example, 2016-06-06.");
  dob.width_class = "govuk-input--width-10";
  InputParams email = input("form_service_email", "Service email", f.service_email);
  email.type = "email";
  email.spellcheck = false;
  InputParams addresses = input("form_addresses", "Recent addresses", f.addresses,
                                "One address a line, the most recent first.");
  Html form_fields =
      TextInput(input("form_reference", "Caller's own reference for the child", f.reference)) +
      TextInput(input("form_surname", "Surname", f.surname)) +
      TextInput(input("form_known_as_surname", "Known-as surname", f.known_as_surname)) +
      TextInput(input("form_forenames", "Forenames", f.forenames)) + TextInput(dob) +
      TextInput(input("form_gender", "Gender", f.gender)) + Textarea(addresses, 3) +
      TextInput(input("form_service", "Service dealing with the case", f.service)) +
      TextInput(input("form_caseworker", "Caseworker", f.caseworker)) +
      TextInput(input("form_service_phone", "Service telephone", f.service_phone)) +
      TextInput(email);
  return Markup(
             "<fieldset class=\"govuk-fieldset\">\n<legend class=\"govuk-fieldset__legend "
             "govuk-fieldset__legend--m\">") +
         Escape(legend) + Markup("</legend>\n") +
         Paragraph("Stored encrypted; only the management team can read it.") + form_fields +
         Markup("</fieldset>\n");
}

Html RenderTelephoneRequestPage(const PageContext& ctx, const TelephoneRequestView& v) {
  const std::string title = "Record a telephone request";
  auto input = [&](std::string id, std::string label, std::string value, std::string hint = "") {
    InputParams p;
    p.id = std::move(id);
    p.label = std::move(label);
    p.hint = std::move(hint);
    p.error = std::string(ErrorFor(v.errors, p.id));
    p.value = std::move(value);
    return p;
  };
  InputParams uin = input("uin", "UIN of the child's record", v.uin,
                          "Find the record with the search first. For example, 4PX2 8KQJ 7M3T.");
  uin.label_bold = true;
  uin.width_class = "govuk-input--width-20";
  uin.spellcheck = false;
  ChoicesParams criteria;
  criteria.id = "criteria";
  criteria.name = "criteria";
  criteria.legend = "If this record is not shielded, will it:";
  criteria.legend_bold = true;
  criteria.hint =
      "Select all that apply. The record is shielded at once unless none applies; then the "
      "request is rejected and logged.";
  criteria.error = std::string(ErrorFor(v.errors, "criteria"));
  for (const auto& c : domain::AllShieldCriteria()) {
    const bool checked =
        std::find(v.criteria.begin(), v.criteria.end(), c.code) != v.criteria.end();
    criteria.items.push_back({std::string(c.code), std::string(c.question), "", checked});
  }
  SelectParams category;
  category.id = "category";
  category.label = "Category of case";
  category.label_bold = true;
  category.error = std::string(ErrorFor(v.errors, "category"));
  category.options.push_back({"", "Choose a category", v.category.empty()});
  for (const auto& c : domain::AllShieldCategories()) {
    category.options.push_back({std::string(c.code), std::string(c.label), v.category == c.code});
  }
  InputParams caller = input("requester_name", "Caller's name", v.requester_name);
  caller.label_bold = true;
  InputParams contact = input("requester_contact", "Caller's contact details", v.requester_contact,
                              "A telephone number, email or postal address.");
  contact.label_bold = true;
  InputParams relationship = input(
      "requester_relationship", "Caller's relationship to the child", v.requester_relationship,
      "For example, the child, mother, foster carer, or a practitioner outside "
      "ContactPoint.");
  relationship.label_bold = true;
  InputParams comments = input("comments", "Comments for the shielding log (optional)", v.comments);
  comments.label_bold = true;

  const Appendix4View& f = v.form;
  Html office = TextInput(input("form_office_decision", "Decision", f.office_decision)) +
                TextInput(input("form_decided_by", "Decided by", f.decided_by)) +
                TextInput(input("form_reviewer", "Who reviews", f.reviewer)) +
                TextInput(input("form_review_when", "When to review", f.review_when));
  auto fieldset = [](std::string_view legend, const Html& body) {
    return Markup(
               "<fieldset class=\"govuk-fieldset\">\n<legend class=\"govuk-fieldset__legend "
               "govuk-fieldset__legend--m\">") +
           Escape(legend) + Markup("</legend>\n") + body + Markup("</fieldset>\n");
  };
  Html body =
      TextInput(uin) + Checkboxes(criteria) +
      InsetText(Paragraph(domain::kObjectionInPrincipleNotice)) + Select(category) +
      TextInput(caller) + TextInput(contact) + TextInput(relationship) +
      WarningText("Do not include case details in the comments. They go into the shielding log.") +
      Textarea(comments, 3) +
      Appendix4Fieldset("The request form (Appendix 4), if the caller gave its details", f,
                        v.errors) +
      fieldset("For office use", office) + Button("Record the request and shield");
  Html main =
      ErrorSummary(ErrorItemsFor(v.errors, kTelephoneFields)) +
      TwoThirds(
          Heading(1, "l", title) +
          Paragraph("A child, a parent or carer, or a practitioner outside ContactPoint asked by "
                    "telephone for a record to be shielded.") +
          InsetText(Markup("<p class=\"govuk-body\">") +
                    Escape("The completed request form and supporting documents must arrive "
                           "within 7 working days: by " +
                           FormatLongDate(v.form_due) + " for a call today.") +
                    Markup("</p>\n")) +
          PostForm("/management/telephone-requests", ctx.csrf_token, body));
  return RenderPage(ctx, PageTitle(title, !v.errors.empty()), main,
                    BackLink("/management", "Back to shielding management"));
}

Html RenderRequestDetailPage(const PageContext& ctx, const RequestDetailView& v) {
  const RequestRow& r = v.request;
  Html col = Caption("Shielded record, UIN " + r.uin) +
             Heading(1, "l", "Shield request " + std::to_string(r.id));
  if (v.telephone) {
    if (!v.form_received.empty()) {
      col += Paragraph("Completed form received on " + FormatDate(v.form_received) + ".");
    } else if (r.status == "active") {
      col += WarningText("Completed form due by " + FormatLongDate(v.form_due) +
                         ". Without it, the request lapses as unsuccessful.");
      col += ActionButton(RequestPath(r.id) + "/form-received", ctx.csrf_token,
                          "Mark the form as received", "for request " + std::to_string(r.id),
                          ButtonStyle::kSecondary);
    } else {
      col += Paragraph("Completed form was due by " + FormatLongDate(v.form_due) + ".");
    }
  }
  std::vector<SummaryRow> rows = {
      Row("Status", StatusTag(r.status)),
      Row("Record", Markup("<a class=\"govuk-link\"") + Attr("href", ReviewPath(r.uin)) +
                        Markup(">Review the shield of ") + Escape(r.uin) + Markup("</a>")),
      Row("Source", Escape(v.source)),
      Row("Criteria", OrNotGiven(r.criteria)),
      Row("Category", Escape(CategoryLabel(r.category))),
      Row("Requester", OrNotGiven(v.requester_name)),
      Row("Requester's contact details", OrNotGiven(v.requester_contact)),
      Row("Role or relationship to the child", OrNotGiven(v.requester_relationship)),
      Row("Recorded by", Escape(r.requested_by)),
      Row("Made", Escape(FormatDate(r.created))),
      Row("Comments", OrNotGiven(v.comments))};
  if (!v.linked_uin.empty()) rows.push_back(Row("Linked record", Escape(v.linked_uin)));
  if (!v.decided_by.empty()) {
    rows.push_back(Row("Decided by", Escape(v.decided_by)));
    rows.push_back(Row("Decided", Escape(FormatDate(v.decided_at))));
  }
  if (!v.decision_note.empty()) rows.push_back(Row("Decision note", Escape(v.decision_note)));
  col += SummaryList(rows);
  if (r.status == "pending") {
    col += ActionButton(RequestPath(r.id) + "/approve", ctx.csrf_token, "Approve",
                        "request " + std::to_string(r.id), ButtonStyle::kPrimary) +
           ActionButton(RequestPath(r.id) + "/reject", ctx.csrf_token, "Reject",
                        "request " + std::to_string(r.id), ButtonStyle::kWarning);
  }
  if (r.status == "pending" || r.status == "active") {
    col += LinkParagraph(WithdrawPath(r.uin, r.id), "Withdraw this request");
  }

  col += Heading(2, "m", "The request form (Appendix 4)");
  col += SummaryList(Appendix4Rows(v.form));

  col += Heading(2, "m", "Supporting documents");
  if (v.documents.empty()) {
    col += Paragraph("No documents yet.");
  } else {
    TableParams t;
    t.caption = "Documents supporting this request";
    t.head = {"Document", "Type", "Size", "Added by", "Added"};
    for (const DocumentRow& d : v.documents) {
      const std::string name = "Document " + std::to_string(d.id);
      t.rows.push_back({Markup("<a class=\"govuk-link\"") +
                            Attr("href", RequestPath(r.id) + "/documents/" + std::to_string(d.id)) +
                            Markup(">Download ") + Escape(name) + Markup("</a>"),
                        Escape(d.content_type),
                        Escape(std::to_string((d.size + 1023) / 1024) + " KB"),
                        Escape(d.uploaded_by), Escape(FormatDate(d.uploaded_at))});
    }
    col += Table(t);
  }
  const std::string_view doc_error = ErrorFor(v.errors, "document");
  Html upload = Markup("<div class=\"govuk-form-group") +
                (doc_error.empty() ? Html() : Markup(" govuk-form-group--error")) +
                Markup(
                    "\">\n<label class=\"govuk-label govuk-label--s\" for=\"document\">Add a "
                    "document</label>\n<div id=\"document-hint\" class=\"govuk-hint\">A PDF, "
                    "PNG or JPEG file, at most 5 MB.</div>\n");
  if (!doc_error.empty()) upload += ErrorMessage("document", doc_error);
  upload +=
      Markup("<input class=\"govuk-file-upload") +
      (doc_error.empty() ? Html() : Markup(" govuk-file-upload--error")) +
      Markup(
          "\" id=\"document\" name=\"document\" type=\"file\" "
          "accept=\"application/pdf,image/png,image/jpeg\" aria-describedby=\"document-hint") +
      (doc_error.empty() ? Html() : Markup(" document-error")) + Markup("\">\n</div>\n");
  col += Markup("<form method=\"post\" enctype=\"multipart/form-data\" novalidate") +
         Attr("action", RequestPath(r.id) + "/documents") + Markup(">\n") +
         CsrfField(ctx.csrf_token) + upload + Button("Upload", ButtonStyle::kSecondary) +
         Markup("</form>\n");
  Html main = ErrorSummary(ErrorItemsFor(v.errors, kDocumentFields)) + TwoThirds(col);
  return RenderPage(ctx, PageTitle("Shield request " + std::to_string(r.id), !v.errors.empty()),
                    main, BackLink("/management", "Back to shielding management"));
}

Html RenderAppealsPage(const PageContext& ctx, const std::vector<AppealRow>& appeals) {
  Html main = Heading(1, "l", "Appeals and complaints") +
              Paragraph(
                  "Appeals and complaints about a decision to shield a record, or not to, with "
                  "their outcome.") +
              ButtonLink("Record an appeal or complaint", "/management/appeals/new");
  if (appeals.empty()) {
    main += Paragraph("No appeals or complaints have been recorded.");
  } else {
    TableParams t;
    t.caption = "Appeals and complaints of your local authority";
    t.head = {"Reference", "UIN", "Appellant", "Recorded", "Outcome"};
    for (const AppealRow& a : appeals) {
      t.rows.push_back({Markup("<a class=\"govuk-link\"") +
                            Attr("href", "/management/appeals/" + std::to_string(a.id)) +
                            Markup(">Appeal ") + Escape(std::to_string(a.id)) + Markup("</a>"),
                        Escape(a.uin), Escape(a.appellant), Escape(FormatDate(a.created)),
                        a.outcome.empty() ? Tag("Open", TagColour::kBlue)
                                          : Tag(AppealOutcomeLabel(a.outcome), TagColour::kGrey)});
    }
    main += Table(t);
  }
  return RenderPage(ctx, "Appeals and complaints", main,
                    BackLink("/management", "Back to shielding management"));
}

Html RenderNewAppealPage(const PageContext& ctx, const NewAppealView& v) {
  const std::string title = "Record an appeal or complaint";
  InputParams uin;
  uin.id = "uin";
  uin.label = "UIN of the child's record";
  uin.label_bold = true;
  uin.width_class = "govuk-input--width-20";
  uin.spellcheck = false;
  uin.value = v.uin;
  uin.error = std::string(ErrorFor(v.errors, "uin"));
  InputParams appellant;
  appellant.id = "appellant";
  appellant.label = "Who is appealing or complaining";
  appellant.hint = "Their name and how to contact them.";
  appellant.label_bold = true;
  appellant.value = v.appellant;
  appellant.error = std::string(ErrorFor(v.errors, "appellant"));
  InputParams grounds = appellant;
  grounds.id = "grounds";
  grounds.label = "Grounds";
  grounds.hint = "The decision they dispute and why. Stored encrypted.";
  grounds.value = v.grounds;
  grounds.error = std::string(ErrorFor(v.errors, "grounds"));
  Html main =
      ErrorSummary(ErrorItemsFor(v.errors, kNewAppealFields)) +
      TwoThirds(Heading(1, "l", title) +
                Paragraph("An appeal or complaint about a decision to shield a record, or not "
                          "to shield it.") +
                PostForm("/management/appeals", ctx.csrf_token,
                         TextInput(uin) + TextInput(appellant) + Textarea(grounds, 5) +
                             Button("Record the appeal")));
  return RenderPage(ctx, PageTitle(title, !v.errors.empty()), main,
                    BackLink("/management/appeals", "Back to appeals and complaints"));
}

Html RenderAppealPage(const PageContext& ctx, const AppealView& v) {
  const AppealRow& a = v.appeal;
  const std::string title = "Appeal " + std::to_string(a.id);
  std::vector<SummaryRow> rows = {Row("UIN", Escape(a.uin)),
                                  Row("Appellant", Escape(a.appellant)),
                                  Row("Grounds", Escape(a.grounds)),
                                  Row("Recorded by", Escape(a.recorded_by)),
                                  Row("Recorded", Escape(FormatDate(a.created))),
                                  Row("Outcome", Escape(AppealOutcomeLabel(a.outcome)))};
  if (!a.outcome.empty()) {
    rows.push_back(Row("Notes", OrNotGiven(a.notes)));
    rows.push_back(Row("Decided by", Escape(a.decided_by)));
    rows.push_back(Row("Decided", Escape(FormatDate(a.decided_at))));
  }
  Html col = Caption("Appeal or complaint") + Heading(1, "l", title) + SummaryList(rows);
  if (a.outcome.empty()) {
    ChoicesParams outcome;
    outcome.id = "outcome";
    outcome.name = "outcome";
    outcome.legend = "Outcome";
    outcome.legend_bold = true;
    outcome.error = std::string(ErrorFor(v.errors, "outcome"));
    outcome.items = {{"upheld", "Upheld", "", v.outcome == "upheld"},
                     {"not_upheld", "Not upheld", "", v.outcome == "not_upheld"},
                     {"withdrawn", "Withdrawn by the appellant", "", v.outcome == "withdrawn"}};
    InputParams notes;
    notes.id = "notes";
    notes.label = "Notes (optional)";
    notes.label_bold = true;
    notes.hint = "Stored encrypted.";
    notes.value = v.notes;
    notes.error = std::string(ErrorFor(v.errors, "notes"));
    col += Heading(2, "m", "Record the outcome") +
           PostForm("/management/appeals/" + std::to_string(a.id), ctx.csrf_token,
                    Radios(outcome) + Textarea(notes, 3) + Button("Record the outcome"));
  }
  // A decided appeal has no outcome form for the summary to link to.
  Html main = ErrorSummary(a.outcome.empty() ? ErrorItemsFor(v.errors, kAppealFields)
                                             : ErrorItemsFor(v.errors, {})) +
              TwoThirds(col);
  return RenderPage(ctx, PageTitle(title, !v.errors.empty()), main,
                    BackLink("/management/appeals", "Back to appeals and complaints"));
}

}  // namespace cp::web
