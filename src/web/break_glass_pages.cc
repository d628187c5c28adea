#include "web/break_glass_pages.h"

#include "web/directory_pages.h"

namespace cp::web {
namespace {

const FieldRef kBreakGlassFields[] = {
    {"reason_code", "reason_code"}, {"reason_text", "reason_text"}, {"totp", "totp"}};
const FieldRef kBrokeringFields[] = {{"reason", "reason"}};
const FieldRef kInvestigationFields[] = {
    {"status", "status"}, {"finding", "finding"}, {"note", "note"}};
const FieldRef kBrokeringPageFields[] = {{"involvement_id", "involvement_id"},
                                         {"practitioner", "practitioner"},
                                         {"practitioner_username", "practitioner_username"},
                                         {"decision", "decision"},
                                         {"released", "released"},
                                         {"reasons", "reasons"},
                                         {"confirm", "confirm"}};

Html TwoThirds(const Html& content) {
  return Markup("<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n") +
         content + Markup("</div>\n</div>\n");
}

Html Caption(std::string_view text) {
  return Markup("<span class=\"govuk-caption-l\">") + Escape(text) + Markup("</span>\n");
}

Html Link(std::string_view href, std::string_view text) {
  return Markup("<a class=\"govuk-link\"") + Attr("href", href) + Markup(">") + Escape(text) +
         Markup("</a>");
}

// A link whose visible text is followed by visually hidden context ("View<hidden> 12</hidden>").
Html LinkWithContext(std::string_view href, std::string_view text, std::string_view hidden) {
  return Markup("<a class=\"govuk-link\"") + Attr("href", href) + Markup(">") + Escape(text) +
         Markup("<span class=\"govuk-visually-hidden\"> ") + Escape(hidden) + Markup("</span></a>");
}

Html LinkParagraph(std::string_view href, std::string_view text) {
  return Markup("<p class=\"govuk-body\">") + Link(href, text) + Markup("</p>\n");
}

Html Text(std::string_view text) { return Escape(text); }

SummaryRow Row(std::string key, Html value) { return {std::move(key), std::move(value), "", ""}; }

// Written text keeps its line breaks.
Html Multiline(std::string_view text) {
  return Markup("<span class=\"cp-pre-line\">") + Escape(text) + Markup("</span>");
}

std::string ChildPath(std::string_view uin) { return "/children/" + EncodePathSegment(uin); }

TagColour InvestigationColour(std::string_view status) {
  if (status == "open") return TagColour::kBlue;
  if (status == "in_review") return TagColour::kYellow;
  return TagColour::kGreen;
}

TagColour BrokeringColour(std::string_view status) {
  if (status == "shared") return TagColour::kGreen;
  if (status == "declined" || status == "acknowledged") return TagColour::kGrey;
  if (status == "contacted") return TagColour::kYellow;
  return TagColour::kBlue;
}

}  // namespace

std::string FormatWhenUtc(std::string_view iso) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (iso.size() != 20 || iso[10] != 'T' || iso[19] != 'Z') return std::string(iso);
  return FormatDate(iso.substr(0, 10)) + " at " + std::string(iso.substr(11, 5)) + " UTC";
}

// --- Break Glass ---------------------------------------------------------------------------

Html RenderBreakGlassPage(const PageContext& ctx, const BreakGlassFormView& v) {
  Html main = ErrorSummary(ErrorItemsFor(v.errors, kBreakGlassFields));
  Html col = Caption("Shielded record, UIN " + v.uin) + Heading(1, "l", "Break Glass");
  col += WarningText(
      "An investigation starts now. If you continue, the ContactPoint management team of the "
      "child's local authority is told at once and investigates why you opened this record. "
      "It is due on the next working day.");
  col += Paragraph(
      "Use Break Glass only when there is a serious and immediate threat to the child and the "
      "management team cannot be reached. You will see the full record for 15 minutes at "
      "most. The view ends as soon as you leave the record. Every view is recorded.");
  col += Paragraph(
      "If the need is not urgent, ask for brokering instead: the management team contacts a "
      "practitioner working with the child for you.");
  col += LinkParagraph(ChildPath(v.uin) + "/brokering", "Request brokering instead");

  Html form;
  std::vector<ChoiceItem> items;
  for (const auto& [code, label] : v.reasons) {
    items.push_back({code, label, "", code == v.reason_code});
  }
  form += Radios({"reason_code", "reason_code", "Why are you breaking the glass?", "",
                  std::string(ErrorFor(v.errors, "reason_code")), items, false, true});
  InputParams text;
  text.id = "reason_text";
  text.label = "Describe the reason";
  text.hint = "The investigation reads this. Do not write the child's hidden details.";
  text.error = std::string(ErrorFor(v.errors, "reason_text"));
  text.value = v.reason_text;
  text.label_bold = true;
  form += Textarea(text, 4);
  InputParams code;
  code.id = "totp";
  code.label = "Security code";
  code.hint = "Enter a new 6-digit code from your authenticator app.";
  code.error = std::string(ErrorFor(v.errors, "totp"));
  code.autocomplete = "one-time-code";
  code.inputmode = "numeric";
  code.width_class = "govuk-input--width-5";
  code.spellcheck = false;
  code.extra_letter_spacing = true;
  code.label_bold = true;
  form += TextInput(code);
  form += Markup("<div class=\"govuk-button-group\">\n") +
          Button("Break Glass and open the record", ButtonStyle::kWarning) + Link("/", "Cancel") +
          Markup("</div>\n");
  col += PostForm(ChildPath(v.uin) + "/break-glass", ctx.csrf_token, form);
  main += TwoThirds(col);
  return RenderPage(ctx, PageTitle("Break Glass", !v.errors.empty()), main);
}

Html RenderNotShieldedPage(const PageContext& ctx, std::string_view uin, bool break_glass) {
  const std::string title = "This record is not shielded";
  Html col = Heading(1, "l", title);
  col += Paragraph(break_glass
                       ? "You do not need Break Glass: a record that is not shielded is opened "
                         "the ordinary way, with a reason."
                       : "Its details are already visible, so there is nothing to broker. Open "
                         "it the ordinary way, with a reason.");
  col += LinkParagraph(ChildPath(uin), "Open the record");
  return RenderPage(ctx, title, TwoThirds(col));
}

Html ShieldedRecordActions(std::string_view uin, bool can_request_brokering, bool can_break_glass) {
  if (!can_request_brokering && !can_break_glass) return Html();
  Html out = Markup("<div class=\"cp-no-print\">\n") + Heading(2, "m", "What you can do");
  if (can_request_brokering) {
    out += Paragraph(
        "Ask the management team to put you in touch with a practitioner working with the "
        "child. The practitioner decides what to share.");
    out += ButtonLink("Request brokering", ChildPath(uin) + "/brokering", ButtonStyle::kSecondary);
  }
  if (can_break_glass) {
    out += Paragraph(
        "In an emergency, when the management team cannot be reached, you can break the glass "
        "and see the full record. An investigation starts at once.");
    out += ButtonLink("Break Glass", ChildPath(uin) + "/break-glass", ButtonStyle::kWarning);
  }
  return out + Markup("</div>\n");
}

Html BreakGlassViewBanner(const PageContext& ctx, std::string_view uin, std::string_view expires) {
  Html out = Markup(
      "<div class=\"govuk-notification-banner\" role=\"region\" "
      "aria-labelledby=\"break-glass-title\" data-module=\"govuk-notification-banner\">\n"
      "<div class=\"govuk-notification-banner__header\">\n"
      "<h2 class=\"govuk-notification-banner__title\" id=\"break-glass-title\">Break Glass "
      "view</h2>\n</div>\n<div class=\"govuk-notification-banner__content\">\n"
      "<p class=\"govuk-notification-banner__heading\">You are seeing this shielded record "
      "because you broke the glass. An investigation has started.</p>\n");
  out += Paragraph("This view ends when you leave the record, or at " + FormatWhenUtc(expires) +
                   " at the latest.");
  out += PostForm(ChildPath(uin) + "/break-glass/leave", ctx.csrf_token,
                  Button("Leave record", ButtonStyle::kSecondary));
  return out + Markup("</div>\n</div>\n");
}

Html RenderLeftRecordPage(const PageContext& ctx) {
  const std::string title = "You have left the record";
  Html col = Heading(1, "l", title);
  col += Paragraph(
      "The Break Glass view has ended. The investigation goes on: the management "
      "team may contact you about it.");
  col += LinkParagraph("/search", "Search for a child") + LinkParagraph("/", "Go to the home page");
  return RenderPage(ctx, title, TwoThirds(col));
}

// --- Timelines -----------------------------------------------------------------------------

Html Timeline(const std::vector<TimelineEntry>& entries) {
  if (entries.empty()) return Paragraph("Nothing has happened yet.");
  Html out = Markup("<ol class=\"govuk-list cp-timeline\">\n");
  for (const auto& e : entries) {
    out += Markup(
               "<li class=\"govuk-!-margin-bottom-4\">\n<h3 class=\"govuk-heading-s "
               "govuk-!-margin-bottom-1\">") +
           Escape(e.what) + Markup("</h3>\n<p class=\"govuk-body-s govuk-!-margin-bottom-1\">") +
           Escape(FormatWhenUtc(e.at) + (e.who.empty() ? "" : ", by " + e.who)) + Markup("</p>\n");
    if (!e.text.empty()) {
      out += Markup("<p class=\"govuk-body\">") + Multiline(e.text) + Markup("</p>\n");
    }
    out += Markup("</li>\n");
  }
  return out + Markup("</ol>\n");
}

// --- Investigations ------------------------------------------------------------------------

std::string InvestigationStatusLabel(std::string_view status) {
  if (status == "open") return "Open";
  if (status == "in_review") return "In review";
  if (status == "concluded") return "Concluded";
  return std::string(status);
}

std::string FindingLabel(std::string_view finding) {
  if (finding == "justified") return "Justified";
  if (finding == "not_justified") return "Not justified";
  if (finding == "referred") return "Referred";
  return std::string(finding);
}

namespace {

Html StatusFilter(std::string_view action, std::string_view label,
                  const std::vector<std::pair<std::string, std::string>>& options,
                  std::string_view current) {
  SelectParams p;
  p.id = "status";
  p.name = "status";
  p.label = std::string(label);
  p.options.push_back({"", "All", current.empty()});
  for (const auto& [value, text] : options) p.options.push_back({value, text, value == current});
  return Markup("<form method=\"get\"") + Attr("action", action) +
         Markup(" class=\"cp-filter\">\n") + Select(p) + Button("Filter", ButtonStyle::kSecondary) +
         Markup("</form>\n");
}

Html DueCell(std::string_view due, bool overdue) {
  Html out = Escape(FormatDate(due));
  if (overdue) out += Markup(" ") + Tag("Overdue", TagColour::kRed);
  return out;
}

}  // namespace

Html RenderInvestigationsPage(const PageContext& ctx, const InvestigationListView& v) {
  Html main = Heading(1, "l", "Break Glass investigations");
  main += Paragraph(
      "Every use of Break Glass on your authority's records opens an "
      "investigation, due on the next working day.");
  main += StatusFilter("/management/investigations", "Show investigations",
                       {{"open", "Open"}, {"in_review", "In review"}, {"concluded", "Concluded"}},
                       v.status_filter);
  main += Markup("<p class=\"govuk-body\" id=\"investigation-count\">") +
          Escape(std::to_string(v.rows.size()) + " of " + std::to_string(v.total) +
                 (v.total == 1 ? " investigation" : " investigations")) +
          Markup("</p>\n");
  if (!v.rows.empty()) {
    TableParams t;
    t.caption = "Investigations";
    t.head = {"Reference", "UIN", "User", "Opened", "Due", "Status"};
    for (const auto& r : v.rows) {
      t.rows.push_back({LinkWithContext("/management/investigations/" + std::to_string(r.id),
                                        std::to_string(r.id), "investigation"),
                        Text(r.uin), Text(r.user), Text(FormatWhenUtc(r.opened)),
                        DueCell(r.due, r.overdue),
                        Tag(InvestigationStatusLabel(r.status), InvestigationColour(r.status))});
    }
    main += Table(t);
  }
  main += LinkParagraph("/management", "Back to the management desk");
  return RenderPage(ctx, "Break Glass investigations", main);
}

Html RenderInvestigationPage(const PageContext& ctx, const InvestigationView& v) {
  const InvestigationRow& s = v.summary;
  const std::string base = "/management/investigations/" + std::to_string(s.id);
  Html main = ErrorSummary(ErrorItemsFor(v.errors, kInvestigationFields));
  main += Caption("Break Glass investigation") +
          Heading(1, "l", "Investigation " + std::to_string(s.id));
  std::vector<SummaryRow> rows = {
      Row("Status", Tag(InvestigationStatusLabel(s.status), InvestigationColour(s.status))),
      Row("User", Text(s.user + (v.organisation.empty() ? "" : " (" + v.organisation + ")"))),
      Row("Record (UIN)", Text(s.uin)),
      Row("Reason", Text(v.reason_label)),
      Row("Reason given", Multiline(v.reason_text)),
      Row("Opened", Text(FormatWhenUtc(s.opened))),
      Row("Due", DueCell(s.due, s.overdue)),
  };
  if (!s.finding.empty()) rows.push_back(Row("Finding", Text(FindingLabel(s.finding))));
  main += SummaryList(rows);

  Html col;
  if (s.status != "concluded") {
    Html form;
    if (s.status == "open") {
      form += Markup("<input type=\"hidden\" name=\"status\" value=\"in_review\">\n") +
              Paragraph("Start the review when someone is looking into this use.") +
              Button("Move to in review");
    } else {
      form += Markup("<input type=\"hidden\" name=\"status\" value=\"concluded\">\n");
      std::vector<ChoiceItem> findings = {
          {"justified", "Justified", "", v.finding == "justified"},
          {"not_justified", "Not justified", "", v.finding == "not_justified"},
          {"referred", "Referred", "For example to the police or a disciplinary process.",
           v.finding == "referred"}};
      form += Radios({"finding", "finding", "Finding", "",
                      std::string(ErrorFor(v.errors, "finding")), findings, false, true});
      form += Button("Conclude the investigation");
    }
    col += Heading(2, "m", "Next step") + PostForm(base + "/status", ctx.csrf_token, form);
  }
  InputParams note;
  note.id = "note";
  note.label = "Add a note";
  note.hint = "Notes are kept with your name and the time.";
  note.error = std::string(ErrorFor(v.errors, "note"));
  note.value = v.note;
  note.label_bold = true;
  col += PostForm(base + "/notes", ctx.csrf_token,
                  Textarea(note, 4) + Button("Add note", ButtonStyle::kSecondary));
  col += Heading(2, "m", "Timeline") + Timeline(v.timeline);
  col += LinkParagraph("/management/investigations", "All investigations");
  main += TwoThirds(col);
  return RenderPage(ctx, PageTitle("Investigation " + std::to_string(s.id), !v.errors.empty()),
                    main);
}

// --- Brokering -----------------------------------------------------------------------------

Html RenderBrokeringFormPage(const PageContext& ctx, const BrokeringFormView& v) {
  Html main = ErrorSummary(ErrorItemsFor(v.errors, kBrokeringFields));
  Html col = Caption("Shielded record, UIN " + v.uin) + Heading(1, "l", "Request brokering");
  col += Paragraph(
      "The ContactPoint management team of the child's local authority reads your request, "
      "contacts a practitioner working with the child and asks whether they will share "
      "information or contact details with you. You will not see the hidden record.");
  InputParams reason;
  reason.id = "reason";
  reason.label = "Your professional reason for asking";
  reason.hint =
      "Say who you are, why you need to contact someone working with the child, and "
      "how urgent it is.";
  reason.error = std::string(ErrorFor(v.errors, "reason"));
  reason.value = v.reason;
  reason.label_bold = true;
  col += PostForm(ChildPath(v.uin) + "/brokering", ctx.csrf_token,
                  Textarea(reason, 6) + Button("Send request"));
  main += TwoThirds(col);
  return RenderPage(ctx, PageTitle("Request brokering", !v.errors.empty()), main);
}

std::string BrokeringStatusLabel(std::string_view status) {
  if (status == "requested") return "Requested";
  if (status == "contacted") return "Practitioner contacted";
  if (status == "shared") return "Shared";
  if (status == "declined") return "Declined";
  if (status == "acknowledged") return "Declined, reasons recorded";
  return std::string(status);
}

namespace {

Html DecisionForm(const PageContext& ctx, const BrokeringPageView& v, std::string_view action,
                  std::string_view legend) {
  std::vector<ChoiceItem> choices = {
      {"share", "Share", "Enter below what is released to the requester.", v.decision == "share"},
      {"decline", "Decline", "", v.decision == "decline"}};
  Html form = Radios({"decision", "decision", std::string(legend), "",
                      std::string(ErrorFor(v.errors, "decision")), choices, false, true});
  InputParams released;
  released.id = "released";
  released.label = "Contact details or information released (when sharing)";
  released.hint = "The requester sees exactly this text.";
  released.error = std::string(ErrorFor(v.errors, "released"));
  released.value = v.released_input;
  released.label_bold = true;
  form += Textarea(released, 4) + Button("Record the decision");
  return PostForm(action, ctx.csrf_token, form);
}

}  // namespace

Html RenderBrokeringPage(const PageContext& ctx, const BrokeringPageView& v) {
  const std::string id = std::to_string(v.id);
  Html main = ErrorSummary(ErrorItemsFor(v.errors, kBrokeringPageFields));
  main += Caption("Brokering request " + id) + Heading(1, "l", "Brokering request");
  std::vector<SummaryRow> rows = {
      Row("Status", Tag(BrokeringStatusLabel(v.status), BrokeringColour(v.status))),
      Row("Record (UIN)", Text(v.uin)),
      Row("Requested by",
          Text(v.requester +
               (v.requester_organisation.empty() ? "" : " (" + v.requester_organisation + ")"))),
      Row("Requested", Text(FormatWhenUtc(v.created))),
      Row("Reason", Multiline(v.reason)),
  };
  if (v.role != BrokeringRole::kRequester && !v.practitioner.empty()) {
    rows.push_back(Row(
        "Practitioner contacted",
        Text(v.practitioner +
             (v.practitioner_username.empty() ? "" : " (user " + v.practitioner_username + ")"))));
  }
  if (v.status == "shared") rows.push_back(Row("Released", Multiline(v.released)));
  if (!v.decline_reasons.empty()) {
    rows.push_back(
        Row("Reasons given for declining",
            Multiline(v.decline_reasons) + Markup("<br>") +
                Escape("Signed by " + v.requester + " on " + FormatWhenUtc(v.acknowledged))));
  }
  main += SummaryList(rows);

  Html col;
  const std::string mbase = "/management/brokering/" + id;
  if (v.role == BrokeringRole::kManagement && v.status == "requested") {
    std::vector<ChoiceItem> items;
    for (const auto& c : v.candidates) {
      const std::string value = std::to_string(c.involvement_id);
      items.push_back({value, c.label, "", v.involvement == value});
    }
    items.push_back(
        {"other", "A practitioner not listed on the record", "", v.involvement == "other"});
    Html form = Radios({"involvement_id", "involvement_id", "Which practitioner did you contact?",
                        "Choose a practitioner listed on the record.",
                        std::string(ErrorFor(v.errors, "involvement_id")), items, false, true});
    InputParams other;
    other.id = "practitioner";
    other.label = "Practitioner not listed: name and service";
    other.error = std::string(ErrorFor(v.errors, "practitioner"));
    other.value = v.practitioner_input;
    other.label_bold = true;
    form += TextInput(other);
    InputParams user;
    user.id = "practitioner_username";
    user.label = "Their ContactPoint username (optional)";
    user.hint =
        "If they are a user, they decide in ContactPoint. Otherwise you record their "
        "decision here.";
    user.error = std::string(ErrorFor(v.errors, "practitioner_username"));
    user.value = v.practitioner_username_input;
    user.spellcheck = false;
    user.width_class = "govuk-input--width-20";
    user.label_bold = true;
    form += TextInput(user) + Button("Record contact");
    col += Heading(2, "m", "Contact a practitioner") +
           PostForm(mbase + "/contact", ctx.csrf_token, form);
  }
  if (v.status == "contacted" && v.role == BrokeringRole::kManagement) {
    col += Heading(2, "m", "Record the practitioner's decision") +
           Paragraph("If the practitioner is not a ContactPoint user, record what they decided.") +
           DecisionForm(ctx, v, mbase + "/decision", "What did the practitioner decide?");
  }
  if (v.status == "contacted" && v.role == BrokeringRole::kPractitioner) {
    col += Heading(2, "m", "Your decision") +
           Paragraph(
               "You were contacted as a practitioner working with this child. Decide "
               "whether to share information or contact details with the requester.") +
           DecisionForm(ctx, v, "/brokering/" + id + "/decision", "Will you share?");
  }
  if (v.status == "requested" && v.role == BrokeringRole::kRequester) {
    col +=
        InsetText(Escape("The management team will contact a practitioner working with the "
                         "child. You will be notified of the outcome."));
  }
  if (v.status == "declined" && v.role == BrokeringRole::kRequester) {
    InputParams reasons;
    reasons.id = "reasons";
    reasons.label = "The reasons you were given";
    reasons.hint = "Record the reasons the management team gave you for declining.";
    reasons.error = std::string(ErrorFor(v.errors, "reasons"));
    reasons.value = v.reasons_input;
    reasons.label_bold = true;
    Html form = Textarea(reasons, 4);
    form += Checkboxes({"confirm",
                        "confirm",
                        "Signature",
                        "",
                        std::string(ErrorFor(v.errors, "confirm")),
                        {{"yes",
                          "I confirm these are the reasons I was given (signed as " + v.requester +
                              ", dated today)",
                          "", v.confirm}},
                        false,
                        true});
    form += Button("Sign and record the reasons");
    col += Heading(2, "m", "Your request was declined") +
           PostForm("/brokering/" + id + "/acknowledge", ctx.csrf_token, form);
  }
  col += Heading(2, "m", "Timeline") + Timeline(v.timeline);
  main += TwoThirds(col);
  if (!v.record.empty()) {
    main += Markup("<section class=\"cp-brokered-record\" aria-label=\"The child's record\">\n") +
            v.record + Markup("</section>\n");
  }
  main += LinkParagraph(
      v.role == BrokeringRole::kManagement ? "/management?section=brokering" : "/brokering",
      "All brokering requests");
  return RenderPage(ctx, PageTitle("Brokering request " + id, !v.errors.empty()), main);
}

namespace {

Html BrokeringTable(std::string_view caption, const std::vector<BrokeringRow>& rows) {
  TableParams t;
  t.caption = std::string(caption);
  t.head = {"Reference", "UIN", "Requested", "Status"};
  for (const auto& r : rows) {
    t.rows.push_back({LinkWithContext("/brokering/" + std::to_string(r.id), std::to_string(r.id),
                                      "brokering request"),
                      Text(r.uin), Text(FormatWhenUtc(r.created)),
                      Tag(BrokeringStatusLabel(r.status), BrokeringColour(r.status))});
  }
  return Table(t);
}

}  // namespace

Html RenderBrokeringInboxPage(const PageContext& ctx, const BrokeringInboxView& v) {
  Html main = Heading(1, "l", "Brokering");
  main += Heading(2, "m", "Requests waiting for your decision");
  if (v.waiting.empty()) {
    main += Paragraph("No requests are waiting for your decision.");
  } else {
    main += BrokeringTable("Waiting for your decision", v.waiting);
  }
  main += Heading(2, "m", "Your brokering requests");
  if (v.own.empty()) {
    main += Paragraph("You have not asked for brokering.");
  } else {
    main += BrokeringTable("Your requests", v.own);
  }
  return RenderPage(ctx, "Brokering", main);
}

// --- Notifications -------------------------------------------------------------------------

Html RenderNotificationsPage(const PageContext& ctx, const std::vector<NotificationRow>& rows) {
  Html main = Heading(1, "l", "Notifications");
  main += Markup("<p class=\"govuk-body\" id=\"notification-count\">") +
          Escape(std::to_string(rows.size()) +
                 (rows.size() == 1 ? " notification" : " notifications")) +
          Markup("</p>\n");
  if (!rows.empty()) {
    main += Markup("<ul class=\"govuk-list\">\n");
    for (const auto& r : rows) {
      main += Markup("<li class=\"govuk-!-margin-bottom-3\"><span class=\"govuk-body-s\">") +
              Escape(FormatWhenUtc(r.created)) + Markup("</span><br>") + Escape(r.text);
      if (!r.href.empty()) {
        main += Markup(" ") + LinkWithContext(r.href, "Open", "the item of " + r.created);
      }
      main += Markup("</li>\n");
    }
    main += Markup("</ul>\n");
  }
  return RenderPage(ctx, "Notifications", main);
}

}  // namespace cp::web
