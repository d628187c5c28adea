#include "web/directory_pages.h"

#include <array>
#include <cctype>
#include <variant>

#include "core/date.h"
#include "policy/access_reasons.h"
#include "web/break_glass_pages.h"

namespace cp::web {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

constexpr std::string_view kSearchHint =
    "Enter a family name and either a given name or a date of birth.";

// Field names of the search form and the ids their errors link to, in page order.
const FieldRef kSearchFields[] = {{"given_name", "given_name"},
                                  {"family_name", "family_name"},
                                  {"date_of_birth", "date_of_birth-day"},
                                  {"gender", "gender"},
                                  {"postcode", "postcode"}};
const FieldRef kReasonFields[] = {{"reason", "reason"}, {"reason_text", "reason_text"}};

Html TwoThirds(const Html& content) {
  return Markup("<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n") +
         content + Markup("</div>\n</div>\n");
}

Html Caption(std::string_view text) {
  return Markup("<span class=\"govuk-caption-l\">") + Escape(text) + Markup("</span>\n");
}

// A link only when the text is code-authored or already checked; `href` is escaped.
Html Link(std::string_view href, std::string_view text) {
  return Markup("<a class=\"govuk-link\"") + Attr("href", href) + Markup(">") + Escape(text) +
         Markup("</a>");
}

// The digits of a telephone number (and a leading +) for a tel: link; empty when the number
// has no digits or holds characters a telephone number never has.
std::string TelHref(std::string_view phone) {
  std::string digits;
  for (size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c == '+' && digits.empty()) {
      digits += c;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return "";
    }
  }
  if (digits.empty() || digits == "+") return "";
  return "tel:" + digits;
}

// A mailto: href for an address of ordinary characters with one @; empty otherwise, and the
// address is then shown as text.
std::string MailtoHref(std::string_view email) {
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size() ||
      email.find('@', at + 1) != std::string_view::npos) {
    return "";
  }
  for (char c : email) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '@' || c == '.' ||
                    c == '_' || c == '-' || c == '+' || c == '\'';
    if (!ok) return "";
  }
  return "mailto:" + std::string(email);
}

Html Telephone(std::string_view phone) {
  const std::string href = TelHref(phone);
  return href.empty() ? Escape(phone) : Link(href, phone);
}

Html Email(std::string_view email) {
  const std::string href = MailtoHref(email);
  return href.empty() ? Escape(email) : Link(href, email);
}

SummaryRow Row(std::string key, Html value) {
  SummaryRow row;
  row.key = std::move(key);
  row.value = std::move(value);
  return row;
}

using OrgNames = std::map<std::string, std::string, std::less<>>;

std::string OrganisationName(const OrgNames& names, std::string_view code) {
  auto it = names.find(code);
  return it == names.end() ? std::string(code) : it->second;
}

// "Source: Oakfield Primary School. Updated 1 June 2026." in small text.
Html Provenance(const OrgNames& names, const policy::SourcedText& s) {
  if (s.source.empty() && s.updated_at.empty()) return Html();
  std::string text;
  if (!s.source.empty()) text = "Source: " + OrganisationName(names, s.source) + ".";
  if (!s.updated_at.empty()) {
    if (!text.empty()) text += " ";
    text += "Updated " + FormatDate(s.updated_at) + ".";
  }
  return Markup("<p class=\"govuk-body-s cp-provenance\">") + Escape(text) + Markup("</p>\n");
}

std::string FullName(std::string_view given, std::string_view family) {
  std::string out(given);
  if (!out.empty() && !family.empty()) out += ' ';
  out += family;
  return out;
}

// A summary card: a titled box holding a summary list (and, after it, `footer`).
Html SummaryCard(std::string_view title, std::span<const SummaryRow> rows,
                 const Html& footer = Html()) {
  return Markup(
             "<div class=\"govuk-summary-card cp-card\">\n"
             "<div class=\"govuk-summary-card__title-wrapper\">\n"
             "<h3 class=\"govuk-summary-card__title\">") +
         Escape(title) + Markup("</h3>\n</div>\n<div class=\"govuk-summary-card__content\">\n") +
         SummaryList(rows) + footer + Markup("</div>\n</div>\n");
}

Html ConfidenceTag(std::string_view confidence) {
  if (confidence == "high") return Tag("High", TagColour::kGreen);
  if (confidence == "medium") return Tag("Medium", TagColour::kYellow);
  return Tag("Low", TagColour::kGrey);
}

Html SearchForm(const PageContext& ctx, const SearchView& v) {
  std::vector<SelectOption> genders = {{"", "Any", false},
                                       {"female", "Female", false},
                                       {"male", "Male", false},
                                       {"not_known", "Not known", false},
                                       {"not_specified", "Not specified", false}};
  for (SelectOption& o : genders) o.selected = o.value == v.gender;
  InputParams given;
  given.id = "given_name";
  given.label = "Given name";
  given.error = std::string(ErrorFor(v.errors, "given_name"));
  given.value = v.given_name;
  given.autocomplete = "off";
  given.width_class = "govuk-input--width-20";
  given.spellcheck = false;
  InputParams family = given;
  family.id = "family_name";
  family.label = "Family name";
  family.error = std::string(ErrorFor(v.errors, "family_name"));
  family.value = v.family_name;
  InputParams postcode = given;
  postcode.id = "postcode";
  postcode.label = "Postcode (optional)";
  postcode.error = std::string(ErrorFor(v.errors, "postcode"));
  postcode.value = v.postcode;
  postcode.width_class = "govuk-input--width-10";
  DateInputParams dob;
  dob.id = "date_of_birth";
  dob.legend = "Date of birth";
  dob.hint = "For example, 27 3 2015";
  dob.error = std::string(ErrorFor(v.errors, "date_of_birth"));
  dob.value = v.date_of_birth;
  SelectParams gender;
  gender.id = "gender";
  gender.label = "Gender (optional)";
  gender.error = std::string(ErrorFor(v.errors, "gender"));
  gender.options = std::move(genders);
  Html body = TextInput(given) + TextInput(family) + DateInput(dob) + Select(gender) +
              TextInput(postcode) + Button("Search");
  return PostForm("/search", ctx.csrf_token, body);
}

Html Results(const std::vector<workflow::SearchHit>& hits) {
  if (hits.empty()) {
    return Markup("<div class=\"cp-results\">\n") + Heading(2, "m", "No children match") +
           Paragraph("Check the spelling of the names, then try:") +
           Markup(
               "<ul class=\"govuk-list govuk-list--bullet\">\n"
               "<li>another given name, or a name the child is known by</li>\n"
               "<li>leaving out the postcode, in case the family has moved</li>\n"
               "<li>the date of birth instead of the given name</li>\n</ul>\n</div>\n");
  }
  TableParams table;
  table.caption =
      hits.size() == 1 ? "1 child found" : std::to_string(hits.size()) + " children found";
  table.head = {"Name", "Date of birth", "Gender", "Record", "Match"};
  for (const workflow::SearchHit& h : hits) {
    table.rows.push_back(
        {Link("/children/" + EncodePathSegment(h.uin), FullName(h.given_names, h.family_name)),
         Escape(FormatDate(h.date_of_birth)), Escape(GenderLabel(h.gender)),
         h.shielded ? Tag("Shielded", TagColour::kRed) : Html(), ConfidenceTag(h.confidence)});
  }
  return Markup("<div class=\"cp-results\">\n") + Table(table) + Markup("</div>\n");
}

std::string AddressText(const policy::AddressView& a) {
  std::string out;
  for (const std::string* part : {&a.line_1, &a.line_2, &a.town, &a.postcode}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ", ";
    out += *part;
  }
  return out;
}

Html AddressValue(const OrgNames& names, const policy::AddressView& a) {
  Html value;
  const std::string lines = AddressText(a);
  if (a.status == "no_known_address") {
    value = Escape("No known address");
  } else if (a.status == "left_england") {
    value = Escape("Left England");
    if (!a.intent_to_return.empty()) {
      value += Markup("<br>") + Escape("Intends to return " + FormatDate(a.intent_to_return));
    }
  } else if (a.status == "last_known") {
    value = Escape("Last known address: " + lines);
  } else {
    value = Escape(lines);
  }
  return value + Provenance(names, a.provenance);
}

Html NamesValue(const OrgNames& names, const std::vector<policy::NameView>& list) {
  Html value;
  for (const policy::NameView& n : list) {
    value += Markup("<p class=\"govuk-body govuk-!-margin-bottom-0\">") +
             Escape(FullName(n.given_names, n.family_name)) + Markup("</p>\n") +
             Provenance(names, n.provenance);
  }
  return value;
}

Html InvolvementCard(const OrgNames& names, const policy::InvolvementView& i) {
  std::vector<SummaryRow> rows;
  if (!i.practitioner.empty()) rows.push_back(Row("Practitioner", Escape(i.practitioner)));
  if (!i.organisation.empty()) rows.push_back(Row("Organisation", Escape(i.organisation)));
  if (!i.phone.empty()) rows.push_back(Row("Telephone", Telephone(i.phone)));
  if (!i.email.empty()) rows.push_back(Row("Email", Email(i.email)));
  Html role;
  if (i.lead_professional) role += Tag("Lead professional", TagColour::kBlue);
  if (i.caf_complete) {
    if (!role.empty()) role += Markup(" ");
    role += Tag("CAF complete", TagColour::kGreen);
  }
  if (!role.empty()) rows.push_back(Row("Role", role));
  if (!i.start_date.empty()) rows.push_back(Row("Started", Escape(FormatDate(i.start_date))));
  if (!i.end_date.empty()) rows.push_back(Row("Ended", Escape(FormatDate(i.end_date))));
  const std::string title = i.service_label.empty() ? i.service_type : i.service_label;
  return SummaryCard(title, rows, Provenance(names, i.provenance));
}

// `embedded`: inside another page, which has the h1 (the name is then an h2).
Html FullRecord(const RecordView& view, const policy::FullChildView& c, bool embedded = false) {
  const OrgNames& names = view.organisation_names;
  Html main = embedded ? Heading(2, "l", FullName(c.name.given_names, c.name.family_name))
                       : Caption("Child record") +
                             Heading(1, "l", FullName(c.name.given_names, c.name.family_name));
  if (c.shielded) {
    main += WarningText(
        "This record is shielded. You can see its details because you manage the responsible "
        "local authority. Do not share them with anyone who cannot see them.");
  }

  // Who else is working with this child: first, since it is why the record is opened.
  main += Markup(
      "<section class=\"cp-record-section\" aria-labelledby=\"involvements\">\n"
      "<h2 class=\"govuk-heading-l\" id=\"involvements\">Who else is working with "
      "this child</h2>\n");
  if (c.involvements.empty()) {
    main += Paragraph("No practitioners or services are recorded as working with this child.");
  }
  for (const policy::InvolvementView& i : c.involvements) main += InvolvementCard(names, i);
  main += Markup("</section>\n");

  // About the child.
  std::vector<SummaryRow> about;
  about.push_back(Row("UIN", Escape(c.uin)));
  about.push_back(Row("Name", Escape(FullName(c.name.given_names, c.name.family_name)) +
                                  Provenance(names, c.name.provenance)));
  if (!c.known_as.empty()) about.push_back(Row("Known as", NamesValue(names, c.known_as)));
  if (!c.former_names.empty()) {
    about.push_back(Row("Former names", NamesValue(names, c.former_names)));
  }
  about.push_back(Row("Date of birth",
                      Escape(FormatDate(c.date_of_birth)) + Provenance(names, c.core_provenance)));
  about.push_back(Row("Gender", Escape(GenderLabel(c.gender))));
  about.push_back(Row("Address", AddressValue(names, c.address)));
  about.push_back(
      Row("Responsible local authority", Escape(OrganisationName(names, c.responsible_authority))));
  main += Markup(
              "<section class=\"cp-record-section\" aria-labelledby=\"about\">\n"
              "<h2 class=\"govuk-heading-l\" id=\"about\">About the child</h2>\n") +
          SummaryList(about) + Markup("</section>\n");

  // Parents and carers.
  main += Markup(
      "<section class=\"cp-record-section\" aria-labelledby=\"carers\">\n"
      "<h2 class=\"govuk-heading-l\" id=\"carers\">Parents and carers</h2>\n");
  if (c.carers.empty()) main += Paragraph("No parents or carers are recorded.");
  for (const policy::CarerView& carer : c.carers) {
    std::vector<SummaryRow> rows;
    if (!carer.relationship.empty()) {
      std::string relationship = carer.relationship;
      relationship[0] =
          static_cast<char>(std::toupper(static_cast<unsigned char>(relationship[0])));
      rows.push_back(Row("Relationship", Escape(relationship)));
    }
    rows.push_back(
        Row("Telephone", carer.phone.empty() ? Escape("Not recorded") : Telephone(carer.phone)));
    if (!carer.email.empty()) rows.push_back(Row("Email", Email(carer.email)));
    main += SummaryCard(carer.name, rows, Provenance(names, carer.provenance));
  }
  main += Markup("</section>\n");

  // School and GP.
  main += Markup(
      "<section class=\"cp-record-section\" aria-labelledby=\"settings\">\n"
      "<h2 class=\"govuk-heading-l\" id=\"settings\">School and GP</h2>\n");
  if (c.education) {
    std::vector<SummaryRow> rows = {Row("Name", Escape(c.education->name))};
    if (!c.education->start_date.empty()) {
      rows.push_back(Row("Started", Escape(FormatDate(c.education->start_date))));
    }
    main += SummaryCard("School or education setting", rows,
                        Provenance(names, c.education->provenance));
  } else {
    main += Paragraph("No school or education setting is recorded.");
  }
  if (c.gp) {
    std::vector<SummaryRow> rows = {Row("Name", Escape(c.gp->name))};
    if (!c.gp->phone.empty()) rows.push_back(Row("Telephone", Telephone(c.gp->phone)));
    main += SummaryCard("GP practice", rows, Provenance(names, c.gp->provenance));
  } else {
    main += Paragraph("No GP practice is recorded.");
  }
  main += Markup("</section>\n");
  main += Markup("<p class=\"govuk-body cp-no-print\">") + Link("/search", "Search again") +
          Markup("</p>\n");
  return main;
}

Html ShieldedRecord(const policy::ShieldedChildView& s) {
  const std::vector<SummaryRow> rows = {Row("UIN", Escape(s.uin)),
                                        Row("Name", Escape(FullName(s.given_names, s.family_name))),
                                        Row("Date of birth", Escape(FormatDate(s.date_of_birth))),
                                        Row("Gender", Escape(GenderLabel(s.gender)))};
  return Caption("Child record") + Heading(1, "l", FullName(s.given_names, s.family_name)) +
         Markup("<p class=\"govuk-body\">") + Tag("Shielded", TagColour::kRed) + Markup("</p>\n") +
         SummaryList(rows) + WarningText(s.notice) +
         InsetText(Paragraph(
             "To ask for brokering, contact the ContactPoint management team of the local "
             "authority responsible for this child and give them the UIN above. They will "
             "decide whether to pass your details to the practitioners working with the "
             "child.")) +
         Markup("<p class=\"govuk-body cp-no-print\">") + Link("/search", "Search again") +
         Markup("</p>\n");
}

}  // namespace

std::string FormatDate(std::string_view iso) {
  auto date = Date::Parse(iso.substr(0, 10));
  if (!date.ok() || (iso.size() > 10 && iso[10] != 'T')) return std::string(iso);
  return std::to_string(date->day()) + " " + std::string(kMonths[date->month() - 1]) + " " +
         std::to_string(date->year());
}

std::string GenderLabel(std::string_view gender) {
  if (gender == "male") return "Male";
  if (gender == "female") return "Female";
  if (gender == "not_known") return "Not known";
  if (gender == "not_specified") return "Not specified";
  return std::string(gender);
}

Html RenderSearchPage(const PageContext& ctx, const SearchView& view) {
  const bool has_errors = !view.errors.empty();
  Html main = ErrorSummary(ErrorItemsFor(view.errors, kSearchFields)) +
              TwoThirds(Heading(1, "l", "Search for a child") + Markup("<p class=\"govuk-body\">") +
                        Escape(kSearchHint) +
                        Markup(" Add the gender or postcode to narrow the search.</p>\n") +
                        SearchForm(ctx, view));
  if (view.hits) main += Results(*view.hits);
  return RenderPage(ctx, PageTitle(view.hits ? "Search results" : "Search for a child", has_errors),
                    main);
}

Html RenderReasonPage(const PageContext& ctx, const ReasonView& view) {
  const std::string_view reason_error = ErrorFor(view.errors, "reason");
  const std::string_view text_error = ErrorFor(view.errors, "reason_text");
  Html items;
  int n = 0;
  for (const policy::AccessReason& r : policy::AllAccessReasons()) {
    const std::string id = n == 0 ? "reason" : "reason-" + std::to_string(n + 1);
    ++n;
    const bool checked = view.reason == r.code;
    items += Markup("<div class=\"govuk-radios__item\">\n<input class=\"govuk-radios__input\"") +
             Attr("id", id) + Markup(" name=\"reason\" type=\"radio\"") + Attr("value", r.code) +
             BoolAttr("checked", checked);
    items += Markup(">\n<label class=\"govuk-label govuk-radios__label\"") + Attr("for", id) +
             Markup(">") + Escape(r.label) + Markup("</label>\n</div>\n");
    if (r.needs_text) {
      InputParams text;
      text.id = "reason_text";
      text.label = "Explain why you are opening this record";
      text.hint = "Do not include the child’s details. 500 characters at most.";
      text.error = std::string(text_error);
      text.value = view.reason_text;
      items += Markup("<div") +
               Attr("class", checked ? "govuk-radios__conditional"
                                     : "govuk-radios__conditional "
                                       "govuk-radios__conditional--hidden") +
               Attr("id", "conditional-" + id) + Markup(">\n") + Textarea(text, 3) +
               Markup("</div>\n");
    }
  }
  std::string described = "reason-hint";
  if (!reason_error.empty()) described += " reason-error";
  Html fieldset =
      Markup(reason_error.empty() ? "<div class=\"govuk-form-group\">\n"
                                  : "<div class=\"govuk-form-group govuk-form-group--error\">\n") +
      Markup("<fieldset class=\"govuk-fieldset\"") + Attr("aria-describedby", described) +
      Markup(">\n<legend class=\"govuk-fieldset__legend govuk-fieldset__legend--l\">\n") +
      Caption("Child record, UIN " + view.uin) +
      Markup(
          "<h1 class=\"govuk-fieldset__heading\">Why are you opening this record?</h1>\n"
          "</legend>\n<div id=\"reason-hint\" class=\"govuk-hint\">Your reason is recorded "
          "with your name every time you open a child’s record.</div>\n");
  if (!reason_error.empty()) fieldset += ErrorMessage("reason", reason_error);
  fieldset += Markup("<div class=\"govuk-radios\" data-module=\"govuk-radios\">\n") + items +
              Markup("</div>\n</fieldset>\n</div>\n");
  Html main = ErrorSummary(ErrorItemsFor(view.errors, kReasonFields)) +
              TwoThirds(PostForm("/children/" + EncodePathSegment(view.uin), ctx.csrf_token,
                                 fieldset + Button("Open record")));
  return RenderPage(ctx, PageTitle("Why are you opening this record?", !view.errors.empty()), main,
                    BackLink("/search", "Back to search"));
}

Html RenderRecordPage(const PageContext& ctx, const RecordView& view) {
  // The title names no child: titles end up in browser history and tab lists.
  if (const auto* s = std::get_if<policy::ShieldedChildView>(&view.child)) {
    return RenderPage(ctx, "Child record",
                      ShieldedRecord(*s) + ShieldedRecordActions(s->uin, view.can_request_brokering,
                                                                 view.can_break_glass));
  }
  const auto& full = std::get<policy::FullChildView>(view.child);
  Html actions;
  if (view.can_shield && !full.shielded) {
    actions +=
        ButtonLink(view.applies_shield ? "Shield this record" : "Request a shield",
                   "/children/" + EncodePathSegment(full.uin) + "/shield", ButtonStyle::kSecondary);
  }
  if (view.can_unshield && full.shielded) {
    const std::string base = "/management/children/" + EncodePathSegment(full.uin);
    actions += Markup("<p class=\"govuk-body\">") + Link(base + "/review", "Review the shield") +
               Markup("</p>\n") +
               PostForm(base + "/unshield", ctx.csrf_token,
                        Button("Unshield this record", ButtonStyle::kWarning));
  }
  Html main = FullRecord(view, full);
  if (full.break_glass) main = BreakGlassViewBanner(ctx, full.uin, view.break_glass_expires) + main;
  if (!actions.empty()) {
    main += Markup("<div class=\"cp-no-print\">\n") + Heading(2, "m", "Shielding") + actions +
            Markup("</div>\n");
  }
  return RenderPage(ctx, "Child record", main);
}

Html RenderRecordDetails(const RecordView& view) {
  const auto* full = std::get_if<policy::FullChildView>(&view.child);
  return full == nullptr ? Html() : FullRecord(view, *full, /*embedded=*/true);
}

Html RenderBadUinPage(const PageContext& ctx, std::string_view message) {
  Html main = TwoThirds(Heading(1, "l", "There is a problem with the UIN") + Paragraph(message) +
                        Markup("<p class=\"govuk-body\">") +
                        Link("/search", "Search for the child instead") + Markup("</p>\n"));
  return RenderPage(ctx, "There is a problem with the UIN", main);
}

}  // namespace cp::web
