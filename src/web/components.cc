#include "web/components.h"

#include <cstdlib>
#include <utility>

namespace cp::web {
namespace {

// Appends markup pieces; text must already be Html.
class Builder {
 public:
  Builder& operator<<(std::string_view markup) {
    out_ += markup;
    return *this;
  }
  Builder& operator<<(const Html& html) {
    out_ += html.str();
    return *this;
  }
  Html Build() { return Html::Trusted(std::move(out_)); }

 private:
  std::string out_;
};

const std::string& NameOr(const std::string& name, const std::string& id) {
  return name.empty() ? id : name;
}

std::string HintId(std::string_view id) { return std::string(id) + "-hint"; }

// The space-separated aria-describedby value for a field, or empty.
std::string DescribedBy(std::string_view id, bool has_hint, bool has_error) {
  std::string out;
  if (has_hint) out = HintId(id);
  if (has_error) {
    if (!out.empty()) out += ' ';
    out += std::string(id) + "-error";
  }
  return out;
}

Html OptionalAttr(std::string_view name, std::string_view value) {
  return value.empty() ? Html() : Attr(name, value);
}

Html HintBlock(std::string_view id, std::string_view hint) {
  if (hint.empty()) return Html();
  Builder b;
  b << "<div" << Attr("id", HintId(id)) << " class=\"govuk-hint\">" << Escape(hint) << "</div>\n";
  return b.Build();
}

Html FormGroupOpen(bool has_error, std::string_view extra_class = {},
                   const Html& extra_attrs = Html()) {
  std::string cls = "govuk-form-group";
  if (!extra_class.empty()) cls += " " + std::string(extra_class);
  if (has_error) cls += " govuk-form-group--error";
  return Markup("<div" + Attr("class", cls).str() + extra_attrs.str() + ">\n");
}

Html Label(std::string_view for_id, std::string_view text, bool bold,
           std::string_view extra_class = {}) {
  std::string cls = "govuk-label";
  if (bold) cls += " govuk-label--s";
  if (!extra_class.empty()) cls += " " + std::string(extra_class);
  Builder b;
  b << "<label" << Attr("class", cls) << Attr("for", for_id) << ">" << Escape(text) << "</label>\n";
  return b.Build();
}

Html Legend(std::string_view text, bool bold) {
  Builder b;
  b << "<legend class=\"govuk-fieldset__legend" << (bold ? " govuk-fieldset__legend--s" : "")
    << "\">" << Escape(text) << "</legend>\n";
  return b.Build();
}

std::string InputClass(const InputParams& p, std::string_view base) {
  std::string cls(base);
  if (!p.width_class.empty()) cls += " " + p.width_class;
  if (p.extra_letter_spacing) cls += " govuk-input--extra-letter-spacing";
  if (!p.error.empty()) cls += " govuk-input--error";
  return cls;
}

Html Choices(const ChoicesParams& p, std::string_view kind, std::string_view input_type) {
  const bool has_error = !p.error.empty();
  const std::string& name = NameOr(p.name, p.id);
  const std::string described = DescribedBy(p.id, !p.hint.empty(), has_error);
  const std::string k(kind);
  Builder b;
  b << FormGroupOpen(has_error) << "<fieldset class=\"govuk-fieldset\""
    << OptionalAttr("aria-describedby", described) << ">\n"
    << Legend(p.legend, p.legend_bold) << HintBlock(p.id, p.hint);
  if (has_error) b << ErrorMessage(p.id, p.error);
  b << "<div class=\"govuk-" << k << (p.small ? " govuk-" + k + "--small" : "")
    << "\" data-module=\"govuk-" << k << "\">\n";
  for (size_t i = 0; i < p.items.size(); ++i) {
    const ChoiceItem& item = p.items[i];
    const std::string item_id = i == 0 ? p.id : p.id + "-" + std::to_string(i + 1);
    b << "<div class=\"govuk-" << k << "__item\">\n<input class=\"govuk-" << k << "__input\""
      << Attr("id", item_id) << Attr("name", name) << " type=\"" << input_type << "\""
      << Attr("value", item.value) << BoolAttr("checked", item.checked);
    if (!item.hint.empty()) b << Attr("aria-describedby", item_id + "-item-hint");
    b << ">\n" << Label(item_id, item.text, false, "govuk-" + k + "__label");
    if (!item.hint.empty()) {
      b << "<div" << Attr("id", item_id + "-item-hint") << " class=\"govuk-hint govuk-" << k
        << "__hint\">" << Escape(item.hint) << "</div>\n";
    }
    b << "</div>\n";
  }
  b << "</div>\n</fieldset>\n</div>\n";
  return b.Build();
}

std::string_view ButtonModifier(ButtonStyle style) {
  switch (style) {
    case ButtonStyle::kPrimary:
      return "";
    case ButtonStyle::kSecondary:
      return " govuk-button--secondary";
    case ButtonStyle::kWarning:
      return " govuk-button--warning";
  }
  return "";
}

std::string_view TagModifier(TagColour colour) {
  switch (colour) {
    case TagColour::kBlue:
      return "";
    case TagColour::kGrey:
      return " govuk-tag--grey";
    case TagColour::kGreen:
      return " govuk-tag--green";
    case TagColour::kRed:
      return " govuk-tag--red";
    case TagColour::kOrange:
      return " govuk-tag--orange";
    case TagColour::kYellow:
      return " govuk-tag--yellow";
    case TagColour::kPurple:
      return " govuk-tag--purple";
    case TagColour::kTurquoise:
      return " govuk-tag--turquoise";
  }
  return "";
}

}  // namespace

std::string_view ErrorFor(const FieldErrors& errors, std::string_view field) {
  auto it = errors.find(field);
  return it == errors.end() ? std::string_view() : std::string_view(it->second);
}

Html ErrorSummary(std::span<const ErrorItem> items) {
  if (items.empty()) return Html();
  Builder b;
  b << "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\">\n"
       "<div role=\"alert\">\n"
       "<h2 class=\"govuk-error-summary__title\">There is a problem</h2>\n"
       "<div class=\"govuk-error-summary__body\">\n"
       "<ul class=\"govuk-list govuk-error-summary__list\">\n";
  for (const ErrorItem& item : items) {
    if (item.target_id.empty()) {
      b << "<li>" << Escape(item.message) << "</li>\n";
    } else {
      b << "<li><a" << Attr("href", "#" + item.target_id) << ">" << Escape(item.message)
        << "</a></li>\n";
    }
  }
  b << "</ul>\n</div>\n</div>\n</div>\n";
  return b.Build();
}

std::vector<ErrorItem> ErrorItemsFor(const FieldErrors& errors, std::span<const FieldRef> fields) {
  std::vector<ErrorItem> items;
  if (auto form = ErrorFor(errors, ""); !form.empty()) {
    items.push_back({fields.empty() ? std::string() : fields.front().id, std::string(form)});
  }
  for (const FieldRef& f : fields) {
    if (auto msg = ErrorFor(errors, f.name); !msg.empty() && !f.name.empty()) {
      items.push_back({f.id, std::string(msg)});
    }
  }
  for (const auto& [name, message] : errors) {
    if (name.empty()) continue;
    bool known = false;
    for (const FieldRef& f : fields) known = known || f.name == name;
    if (!known) items.push_back({std::string(), message});
  }
  return items;
}

Html ErrorMessage(std::string_view id, std::string_view message) {
  Builder b;
  b << "<p" << Attr("id", std::string(id) + "-error")
    << " class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> "
    << Escape(message) << "</p>\n";
  return b.Build();
}

Html TextInput(const InputParams& p) {
  const bool has_error = !p.error.empty();
  Builder b;
  b << FormGroupOpen(has_error) << Label(p.id, p.label, p.label_bold) << HintBlock(p.id, p.hint);
  if (has_error) b << ErrorMessage(p.id, p.error);
  b << "<input" << Attr("class", InputClass(p, "govuk-input")) << Attr("id", p.id)
    << Attr("name", NameOr(p.name, p.id)) << Attr("type", p.type) << Attr("value", p.value)
    << OptionalAttr("autocomplete", p.autocomplete) << OptionalAttr("inputmode", p.inputmode)
    << OptionalAttr("aria-describedby", DescribedBy(p.id, !p.hint.empty(), has_error));
  if (!p.spellcheck) b << " spellcheck=\"false\" autocapitalize=\"none\"";
  b << ">\n</div>\n";
  return b.Build();
}

Html PasswordInput(const InputParams& p) {
  const bool has_error = !p.error.empty();
  Builder b;
  b << FormGroupOpen(has_error, "govuk-password-input",
                     Markup(" data-module=\"govuk-password-input\""))
    << Label(p.id, p.label, p.label_bold) << HintBlock(p.id, p.hint);
  if (has_error) b << ErrorMessage(p.id, p.error);
  b << "<div class=\"govuk-input__wrapper govuk-password-input__wrapper\">\n<input"
    << Attr("class", InputClass(p,
                                "govuk-input govuk-password-input__input "
                                "govuk-js-password-input-input"))
    << Attr("id", p.id) << Attr("name", NameOr(p.name, p.id)) << " type=\"password\""
    << Attr("autocomplete", p.autocomplete.empty() ? "current-password" : p.autocomplete)
    << OptionalAttr("aria-describedby", DescribedBy(p.id, !p.hint.empty(), has_error))
    << " spellcheck=\"false\" autocapitalize=\"none\">\n"
    << "<button type=\"button\" class=\"govuk-button govuk-button--secondary "
       "govuk-password-input__toggle govuk-js-password-input-toggle\" data-module=\"govuk-button\""
    << Attr("aria-controls", p.id) << " aria-label=\"Show password\" hidden>Show</button>\n"
    << "</div>\n</div>\n";
  return b.Build();
}

Html Textarea(const InputParams& p, int rows) {
  const bool has_error = !p.error.empty();
  Builder b;
  b << FormGroupOpen(has_error) << Label(p.id, p.label, p.label_bold) << HintBlock(p.id, p.hint);
  if (has_error) b << ErrorMessage(p.id, p.error);
  b << "<textarea class=\"govuk-textarea" << (has_error ? " govuk-textarea--error" : "") << "\""
    << Attr("id", p.id) << Attr("name", NameOr(p.name, p.id)) << Attr("rows", std::to_string(rows))
    << OptionalAttr("autocomplete", p.autocomplete)
    << OptionalAttr("aria-describedby", DescribedBy(p.id, !p.hint.empty(), has_error));
  if (!p.spellcheck) b << " spellcheck=\"false\" autocapitalize=\"none\"";
  b << ">" << Escape(p.value) << "</textarea>\n</div>\n";
  return b.Build();
}

Html Checkboxes(const ChoicesParams& p) { return Choices(p, "checkboxes", "checkbox"); }
Html Radios(const ChoicesParams& p) { return Choices(p, "radios", "radio"); }

Html Select(const SelectParams& p) {
  const bool has_error = !p.error.empty();
  Builder b;
  b << FormGroupOpen(has_error) << Label(p.id, p.label, p.label_bold) << HintBlock(p.id, p.hint);
  if (has_error) b << ErrorMessage(p.id, p.error);
  b << "<select class=\"govuk-select" << (has_error ? " govuk-select--error" : "") << "\""
    << Attr("id", p.id) << Attr("name", NameOr(p.name, p.id))
    << OptionalAttr("aria-describedby", DescribedBy(p.id, !p.hint.empty(), has_error)) << ">\n";
  for (const SelectOption& o : p.options) {
    b << "<option" << Attr("value", o.value) << BoolAttr("selected", o.selected) << ">"
      << Escape(o.text) << "</option>\n";
  }
  b << "</select>\n</div>\n";
  return b.Build();
}

Html DateInput(const DateInputParams& p) {
  const bool has_error = !p.error.empty();
  const std::string& name = NameOr(p.name, p.id);
  struct Part {
    std::string_view suffix;
    std::string_view label;
    const std::string& value;
    std::string_view width;
  };
  const Part parts[] = {{"day", "Day", p.value.day, "govuk-input--width-2"},
                        {"month", "Month", p.value.month, "govuk-input--width-2"},
                        {"year", "Year", p.value.year, "govuk-input--width-4"}};
  Builder b;
  b << FormGroupOpen(has_error) << "<fieldset class=\"govuk-fieldset\" role=\"group\""
    << OptionalAttr("aria-describedby", DescribedBy(p.id, !p.hint.empty(), has_error)) << ">\n"
    << Legend(p.legend, p.legend_bold) << HintBlock(p.id, p.hint);
  if (has_error) b << ErrorMessage(p.id, p.error);
  b << "<div class=\"govuk-date-input\"" << Attr("id", p.id) << ">\n";
  for (const Part& part : parts) {
    const std::string part_id = p.id + "-" + std::string(part.suffix);
    std::string cls = "govuk-input govuk-date-input__input " + std::string(part.width);
    if (has_error) cls += " govuk-input--error";
    b << "<div class=\"govuk-date-input__item\">\n<div class=\"govuk-form-group\">\n"
      << Label(part_id, part.label, false, "govuk-date-input__label") << "<input"
      << Attr("class", cls) << Attr("id", part_id)
      << Attr("name", name + "-" + std::string(part.suffix))
      << " type=\"text\" inputmode=\"numeric\"" << Attr("value", part.value)
      << ">\n</div>\n</div>\n";
  }
  b << "</div>\n</fieldset>\n</div>\n";
  return b.Build();
}

Html SummaryList(std::span<const SummaryRow> rows) {
  Builder b;
  b << "<dl class=\"govuk-summary-list\">\n";
  for (const SummaryRow& row : rows) {
    b << "<div class=\"govuk-summary-list__row\">\n<dt class=\"govuk-summary-list__key\">"
      << Escape(row.key) << "</dt>\n<dd class=\"govuk-summary-list__value\">" << row.value
      << "</dd>\n";
    if (!row.action_href.empty()) {
      b << "<dd class=\"govuk-summary-list__actions\"><a class=\"govuk-link\""
        << Attr("href", row.action_href) << ">" << Escape(row.action_text)
        << "<span class=\"govuk-visually-hidden\"> " << Escape(row.key) << "</span></a></dd>\n";
    }
    b << "</div>\n";
  }
  b << "</dl>\n";
  return b.Build();
}

Html Table(const TableParams& p) {
  Builder b;
  b << "<table class=\"govuk-table\">\n";
  if (!p.caption.empty()) {
    b << "<caption class=\"govuk-table__caption govuk-table__caption--m\">" << Escape(p.caption)
      << "</caption>\n";
  }
  b << "<thead class=\"govuk-table__head\">\n<tr class=\"govuk-table__row\">\n";
  for (const std::string& h : p.head) {
    b << "<th scope=\"col\" class=\"govuk-table__header\">" << Escape(h) << "</th>\n";
  }
  b << "</tr>\n</thead>\n<tbody class=\"govuk-table__body\">\n";
  for (const auto& row : p.rows) {
    b << "<tr class=\"govuk-table__row\">\n";
    for (const Html& cell : row) b << "<td class=\"govuk-table__cell\">" << cell << "</td>\n";
    b << "</tr>\n";
  }
  b << "</tbody>\n</table>\n";
  return b.Build();
}

Html Button(std::string_view text, ButtonStyle style) {
  Builder b;
  b << "<button type=\"submit\" class=\"govuk-button" << ButtonModifier(style)
    << "\" data-module=\"govuk-button\">" << Escape(text) << "</button>\n";
  return b.Build();
}

Html ButtonLink(std::string_view text, std::string_view href, ButtonStyle style) {
  Builder b;
  b << "<a" << Attr("href", href) << " role=\"button\" draggable=\"false\" class=\"govuk-button"
    << ButtonModifier(style) << "\" data-module=\"govuk-button\">" << Escape(text) << "</a>\n";
  return b.Build();
}

Html NotificationBanner(std::string_view text, bool success) {
  Builder b;
  b << "<div class=\"govuk-notification-banner"
    << (success ? " govuk-notification-banner--success" : "") << "\" role=\""
    << (success ? "alert" : "region")
    << "\" aria-labelledby=\"govuk-notification-banner-title\" "
       "data-module=\"govuk-notification-banner\">\n"
       "<div class=\"govuk-notification-banner__header\">\n"
       "<h2 class=\"govuk-notification-banner__title\" id=\"govuk-notification-banner-title\">"
    << (success ? "Success" : "Important")
    << "</h2>\n</div>\n<div class=\"govuk-notification-banner__content\">\n"
       "<p class=\"govuk-notification-banner__heading\">"
    << Escape(text) << "</p>\n</div>\n</div>\n";
  return b.Build();
}

Html WarningText(std::string_view text) {
  Builder b;
  b << "<div class=\"govuk-warning-text\">\n"
       "<span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!</span>\n"
       "<strong class=\"govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">"
       "Warning</span> "
    << Escape(text) << "</strong>\n</div>\n";
  return b.Build();
}

Html InsetText(const Html& content) {
  return Markup("<div class=\"govuk-inset-text\">\n") + content + Markup("</div>\n");
}

Html Tag(std::string_view text, TagColour colour) {
  Builder b;
  b << "<strong class=\"govuk-tag" << TagModifier(colour) << "\">" << Escape(text) << "</strong>";
  return b.Build();
}

Html BackLink(std::string_view href, std::string_view text) {
  Builder b;
  b << "<a" << Attr("href", href) << " class=\"govuk-back-link\">" << Escape(text) << "</a>\n";
  return b.Build();
}

Html Panel(std::string_view title, const Html& body) {
  Builder b;
  b << "<div class=\"govuk-panel govuk-panel--confirmation\">\n<h1 class=\"govuk-panel__title\">"
    << Escape(title) << "</h1>\n<div class=\"govuk-panel__body\">" << body << "</div>\n</div>\n";
  return b.Build();
}

Html CsrfField(std::string_view token) {
  Builder b;
  b << "<input type=\"hidden\"" << Attr("name", kCsrfFieldName) << Attr("value", token) << ">\n";
  return b.Build();
}

Html PostForm(std::string_view action, std::string_view csrf_token, const Html& body) {
  Builder b;
  b << "<form method=\"post\"" << Attr("action", action) << " novalidate>\n"
    << CsrfField(csrf_token) << body << "</form>\n";
  return b.Build();
}

Html Paragraph(std::string_view text) {
  return Markup("<p class=\"govuk-body\">") + Escape(text) + Markup("</p>\n");
}

Html Heading(int level, std::string_view size, std::string_view text) {
  if (level < 1 || level > 3) std::abort();
  const std::string tag = "h" + std::to_string(level);
  Builder b;
  b << "<" << tag << Attr("class", "govuk-heading-" + std::string(size)) << ">" << Escape(text)
    << "</" << tag << ">\n";
  return b.Build();
}

}  // namespace cp::web
