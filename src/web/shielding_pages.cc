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
                                  {"comments", "comments"}};
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
    t.head = {"Reference", "Requester", "Made"};
    for (const ActiveRequest& a : v.active) {
      t.rows.push_back(
          {Escape(std::to_string(a.id)), Escape(a.requester), Escape(FormatDate(a.created))});
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
      t.rows.push_back(
          {Escape(r.uin), Escape(std::to_string(r.action) + " " + r.action_name),
           Escape(CategoryLabel(r.category)), Escape(FormatDate(r.date)),
           Escape(r.requester_contact), Escape(r.relationship),
           Escape(r.confirmation_sent.empty() ? "Not yet" : FormatDate(r.confirmation_sent)),
           Escape(r.comments)});
    }
    main += Markup("<div class=\"cp-table-scroll\">\n") + Table(t) + Markup("</div>\n");
  }
  return RenderPage(ctx, "Shielding log", main,
                    BackLink("/management", "Back to shielding management"));
}

}  // namespace cp::web
