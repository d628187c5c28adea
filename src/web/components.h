// GOV.UK Frontend components, rendered as Html.
//
// Each function renders one component with the markup and class names of the GOV.UK Design
// System (govuk-frontend 6.x) so that its CSS and JavaScript apply. All text parameters are
// plain text and are escaped here; parameters of type Html are trusted markup (see html.h).
//
// Ids: every function that renders a field uses the given `id` for the element the error
// summary should link to (for checkboxes and radios the first item; for date inputs the day
// field, "<id>-day"). Ids must be code-authored (letters, digits, '-', '_'), never user data.
//
// Field errors follow the GOV.UK pattern: the form group gets govuk-form-group--error, the
// message is a govuk-error-message paragraph with id "<id>-error" and a visually hidden
// "Error:" prefix, and the field's aria-describedby names its hint and error.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "web/html.h"

namespace cp::web {

// Validation messages for a submitted form: field name -> message. The empty name "" holds
// a message about the form as a whole (e.g. "Enter a correct username and password").
using FieldErrors = std::map<std::string, std::string, std::less<>>;

// The message for `field`, or an empty view.
std::string_view ErrorFor(const FieldErrors& errors, std::string_view field);

// One entry of an error summary. `target_id` empty: rendered without a link.
struct ErrorItem {
  std::string target_id;
  std::string message;
};

// The error summary box ("There is a problem"), each item linking to "#<target_id>". Renders
// nothing for no items. Place it first in the main content, above the h1.
Html ErrorSummary(std::span<const ErrorItem> items);

// How a form's field names map to the ids their errors should link to, in page order.
struct FieldRef {
  std::string name;
  std::string id;
};
// Error summary items for `errors`, ordered as `fields`; the form-level message ("" key)
// comes first and links to the first field; names not in `fields` come last, unlinked.
std::vector<ErrorItem> ErrorItemsFor(const FieldErrors& errors, std::span<const FieldRef> fields);

// <p class="govuk-error-message" id="<id>-error"> with the visually hidden "Error:" prefix.
Html ErrorMessage(std::string_view id, std::string_view message);

// Text input and friends. `name` defaults to `id` when empty.
struct InputParams {
  std::string id;
  std::string name;
  std::string label;
  std::string hint;
  std::string error;  // Empty: no error.
  std::string value;
  std::string type = "text";  // text, email, tel, password.
  std::string autocomplete;   // Empty: attribute omitted.
  std::string inputmode;      // e.g. "numeric"; empty: omitted.
  std::string width_class;    // e.g. "govuk-input--width-10"; empty: full width.
  bool spellcheck = true;     // false adds spellcheck="false" and autocapitalize="none".
  bool extra_letter_spacing = false;
  bool label_bold = false;  // govuk-label--s.
};
Html TextInput(const InputParams& p);

// GOV.UK password input with its show/hide button (the button stays hidden without JS).
// `p.value` is ignored: a password is never sent back to the browser. `p.type` is ignored.
// Pasting is never blocked.
Html PasswordInput(const InputParams& p);

// <textarea>. `p.type`, `p.inputmode` and `p.width_class` are ignored.
Html Textarea(const InputParams& p, int rows = 5);

// Checkboxes and radios. The first item's id is `id`; later ones "<id>-2", "<id>-3", ...
struct ChoiceItem {
  std::string value;
  std::string text;
  std::string hint;  // Empty: none.
  bool checked = false;
};
struct ChoicesParams {
  std::string id;
  std::string name;
  std::string legend;
  std::string hint;
  std::string error;
  std::vector<ChoiceItem> items;
  bool small = false;
  bool legend_bold = false;  // govuk-fieldset__legend--s (a question within a longer form).
};
Html Checkboxes(const ChoicesParams& p);
Html Radios(const ChoicesParams& p);

// <select>. Exactly the options given; mark one `selected`.
struct SelectOption {
  std::string value;
  std::string text;
  bool selected = false;
};
struct SelectParams {
  std::string id;
  std::string name;
  std::string label;
  std::string hint;
  std::string error;
  std::vector<SelectOption> options;
  bool label_bold = false;
};
Html Select(const SelectParams& p);

// The three text fields of a date as typed (kept as strings so a bad entry re-renders as is).
struct DateParts {
  std::string day;
  std::string month;
  std::string year;
};
// GOV.UK date input. Fields are named "<name>-day", "<name>-month", "<name>-year" and have
// ids "<id>-day" etc.; the error summary should link to "<id>-day".
struct DateInputParams {
  std::string id;
  std::string name;
  std::string legend;
  std::string hint;
  std::string error;
  DateParts value;
  bool legend_bold = false;
};
Html DateInput(const DateInputParams& p);

// Summary list. `action_href` empty: no action link. `action_text` is followed by the row
// key, visually hidden, so the link makes sense out of context ("Change<hidden> name</hidden>").
struct SummaryRow {
  std::string key;
  Html value;
  std::string action_href;
  std::string action_text = "Change";
};
Html SummaryList(std::span<const SummaryRow> rows);

// Table with a header row. Every row should have head.size() cells.
struct TableParams {
  std::string caption;  // Empty: no caption.
  std::vector<std::string> head;
  std::vector<std::vector<Html>> rows;
};
Html Table(const TableParams& p);

enum class ButtonStyle { kPrimary, kSecondary, kWarning };
// <button type="submit">.
Html Button(std::string_view text, ButtonStyle style = ButtonStyle::kPrimary);
// A link styled as a button (for navigation, e.g. "Add a user").
Html ButtonLink(std::string_view text, std::string_view href,
                ButtonStyle style = ButtonStyle::kPrimary);

// Notification banner. `success`: green, role="alert", title "Success"; otherwise blue,
// role="region", title "Important". `text` is the banner heading.
Html NotificationBanner(std::string_view text, bool success);

// Warning text with the "!" icon and visually hidden "Warning".
Html WarningText(std::string_view text);

// Inset text (a quoted aside).
Html InsetText(const Html& content);

enum class TagColour { kBlue, kGrey, kGreen, kRed, kOrange, kYellow, kPurple, kTurquoise };
Html Tag(std::string_view text, TagColour colour = TagColour::kBlue);

// "Back" link; place before the main element (RenderPage's `before_main`).
Html BackLink(std::string_view href, std::string_view text = "Back");

// Confirmation panel. Its title is an h1: use it only as the page's heading.
Html Panel(std::string_view title, const Html& body);

// The name of the hidden form field that carries the CSRF token on every POST form.
inline constexpr std::string_view kCsrfFieldName = "csrf_token";
// <input type="hidden" name="csrf_token" value="...">.
Html CsrfField(std::string_view token);

// <form method="post" action="..." novalidate> with the CSRF field, then `body`.
// `novalidate`: the server validates and shows GOV.UK error messages, not the browser's.
Html PostForm(std::string_view action, std::string_view csrf_token, const Html& body);

// A paragraph of body text.
Html Paragraph(std::string_view text);
// A heading at `level` (1..3) with the GOV.UK class for `size` ("xl", "l", "m", "s").
Html Heading(int level, std::string_view size, std::string_view text);

}  // namespace cp::web
