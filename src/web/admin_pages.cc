#include "web/admin_pages.h"

#include <algorithm>
#include <array>

namespace cp::web {
namespace {

Html Tags(const std::vector<std::string>& roles) {
  std::vector<Html> tags;
  for (const std::string& r : roles) tags.push_back(Tag(RoleLabel(r), TagColour::kBlue));
  return Join(tags, Markup(" "));
}

Html VettingTag(VettingStatus s) {
  switch (s) {
    case VettingStatus::kComplete:
      return Tag("Complete", TagColour::kGreen);
    case VettingStatus::kIncomplete:
      return Tag("Incomplete", TagColour::kOrange);
    case VettingStatus::kExpired:
      return Tag("Expired", TagColour::kRed);
  }
  return Html();
}

Html AccountTag(AccountStatus s) {
  switch (s) {
    case AccountStatus::kActive:
      return Tag("Active", TagColour::kGreen);
    case AccountStatus::kAwaitingEnrolment:
      return Tag("Awaiting set-up", TagColour::kBlue);
    case AccountStatus::kLocked:
      return Tag("Locked", TagColour::kRed);
    case AccountStatus::kDisabled:
      return Tag("Disabled", TagColour::kGrey);
  }
  return Html();
}

Html Link(std::string_view href, const Html& text) {
  return Markup("<a class=\"govuk-link\"") + Attr("href", href) + Markup(">") + text +
         Markup("</a>");
}

std::vector<SelectOption> ToSelect(const std::vector<Option>& options, std::string_view selected,
                                   std::string_view placeholder) {
  std::vector<SelectOption> out;
  out.push_back({"", std::string(placeholder), selected.empty()});
  for (const Option& o : options) out.push_back({o.value, o.text, o.value == selected});
  return out;
}

Html TwoThirds(const Html& content) {
  return Markup("<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n") +
         content + Markup("</div>\n</div>\n");
}

DateInputParams Date(std::string_view name, std::string_view legend, const DateParts& value,
                     const FieldErrors& errors) {
  DateInputParams p;
  p.id = std::string(name);
  p.name = std::string(name);
  p.legend = std::string(legend);
  p.hint = "For example, 27 3 2024";
  p.value = value;
  p.error = std::string(ErrorFor(errors, name));
  p.legend_bold = true;
  return p;
}

InputParams Field(std::string_view id, std::string_view label, std::string_view value,
                  const FieldErrors& errors) {
  InputParams p;
  p.id = std::string(id);
  p.label = std::string(label);
  p.value = std::string(value);
  p.error = std::string(ErrorFor(errors, id));
  p.label_bold = true;
  return p;
}

}  // namespace

const std::vector<std::string>& AllRoles() {
  static const std::vector<std::string> kRoles = {
      std::string(kRolePractitioner), std::string(kRoleManagement),
      std::string(kRoleShielder),     std::string(kRoleBreakGlass),
      std::string(kRoleDpo),          std::string(kRoleAdministrator)};
  return kRoles;
}

Html RenderUsersPage(const PageContext& ctx, const UsersListView& view) {
  Html main = Heading(1, "l", "Users") + ButtonLink("Add a user", "/admin/users/new");
  if (view.users.empty()) {
    main += Paragraph("There are no users yet.");
  } else {
    TableParams t;
    t.caption = "All users";
    t.head = {"Username", "Name", "Organisation", "Roles", "Vetting", "Account"};
    for (const UserRow& u : view.users) {
      t.rows.push_back({Link("/admin/users/" + EncodePathSegment(u.id), Escape(u.username)),
                        Escape(u.display_name), Escape(u.organisation_name), Tags(u.roles),
                        VettingTag(u.vetting), AccountTag(u.status)});
    }
    main += Table(t);
  }
  return RenderPage(ctx, "Users", main);
}

Html RenderUserFormPage(const PageContext& ctx, const UserFormView& view) {
  const FieldErrors& e = view.errors;
  std::vector<FieldRef> fields;
  if (view.is_new) fields.push_back({"username", "username"});
  for (std::string_view f : {"display_name", "email", "phone", "organisation_id", "roles"}) {
    fields.push_back({std::string(f), std::string(f)});
  }
  fields.push_back({"crb_check_date", "crb_check_date-day"});
  fields.push_back({"isa_registered", "isa_registered"});
  fields.push_back({"training_date", "training_date-day"});
  fields.push_back({"agreement_date", "agreement_date-day"});
  const auto items = ErrorItemsFor(e, fields);

  Html form;
  if (view.is_new) {
    InputParams username = Field("username", "Username", view.username, e);
    username.hint = "Lower-case letters, digits, dots and hyphens, for example j.smith";
    username.autocomplete = "off";
    username.spellcheck = false;
    username.width_class = "govuk-input--width-20";
    form += TextInput(username);
  }
  InputParams name = Field("display_name", "Full name", view.display_name, e);
  name.autocomplete = "off";
  name.spellcheck = false;
  form += TextInput(name);
  InputParams email = Field("email", "Email address", view.email, e);
  email.type = "email";
  email.autocomplete = "off";
  email.spellcheck = false;
  form += TextInput(email);
  InputParams phone = Field("phone", "Phone number", view.phone, e);
  phone.type = "tel";
  phone.autocomplete = "off";
  phone.width_class = "govuk-input--width-20";
  form += TextInput(phone);

  SelectParams org;
  org.id = "organisation_id";
  org.label = "Organisation";
  org.label_bold = true;
  org.error = std::string(ErrorFor(e, "organisation_id"));
  org.options = ToSelect(view.organisations, view.organisation_id, "Choose an organisation");
  form += Select(org);

  ChoicesParams roles;
  roles.id = "roles";
  roles.legend = "Roles";
  roles.legend_bold = true;
  roles.hint = "Select all that apply";
  roles.error = std::string(ErrorFor(e, "roles"));
  for (const std::string& r : AllRoles()) {
    const bool on = std::find(view.roles.begin(), view.roles.end(), r) != view.roles.end();
    roles.items.push_back({r, RoleLabel(r), "", on});
  }
  form += Checkboxes(roles);

  form += Heading(2, "m", "Vetting and training");
  form += DateInput(Date("crb_check_date", "Date of CRB check", view.crb_check_date, e));
  ChoicesParams isa;
  isa.id = "isa_registered";
  isa.legend = "Independent Safeguarding Authority";
  isa.legend_bold = true;
  isa.error = std::string(ErrorFor(e, "isa_registered"));
  isa.small = true;
  isa.items.push_back({"yes", "Registered with the ISA", "", view.isa_registered});
  form += Checkboxes(isa);
  form += DateInput(
      Date("training_date", "Date ContactPoint training was completed", view.training_date, e));
  form += DateInput(
      Date("agreement_date", "Date the user agreement was signed", view.agreement_date, e));
  if (!view.is_new) {
    ChoicesParams status;
    status.id = "status";
    status.legend = "Account";
    status.legend_bold = true;
    status.error = std::string(ErrorFor(e, "status"));
    status.small = true;
    status.items.push_back({"active", "Active", "", view.active});
    status.items.push_back(
        {"disabled", "Disabled", "The user cannot sign in and is signed out now", !view.active});
    form += Radios(status);
    form += Markup("<input type=\"hidden\" name=\"version\"") + Attr("value", view.version) +
            Markup(">\n");
  }
  form += Markup("<div class=\"govuk-button-group\">\n") +
          Button(view.is_new ? "Add user" : "Save changes") +
          Markup("<a class=\"govuk-link\" href=\"/admin/users\">Cancel</a>\n</div>\n");

  const std::string title =
      view.is_new ? "Add a user"
                  : "Edit " + (view.display_name.empty() ? view.username : view.display_name);
  Html main = ErrorSummary(items) + Heading(1, "l", title);
  if (!view.initial_password.empty()) {
    main += InsetText(
        Heading(2, "m", "One-time password") +
        Paragraph("Give this password to the user in person or by phone. It will not be shown "
                  "again. They must choose a new password and set up their authenticator app "
                  "when they first sign in.") +
        Markup("<p class=\"govuk-body cp-one-time-password\" id=\"initial-password\">") +
        Escape(view.initial_password) + Markup("</p>\n"));
  }
  const std::string action =
      view.is_new ? "/admin/users" : "/admin/users/" + EncodePathSegment(view.user_id);
  main += PostForm(action, ctx.csrf_token, form);
  if (!view.is_new) {
    // Separate forms: HTML forms cannot nest.
    main += Heading(2, "m", "Sign-in problems");
    if (view.locked) {
      main += Paragraph("This account is locked after too many failed sign-in attempts.") +
              PostForm(action + "/unlock", ctx.csrf_token,
                       Button("Unlock account", ButtonStyle::kSecondary));
    }
    main += Paragraph(
                "If the user has lost the phone with their authenticator app, reset it. "
                "They will set up the app again when they next sign in.") +
            PostForm(action + "/reset-token", ctx.csrf_token,
                     Button("Reset authenticator app", ButtonStyle::kWarning));
  }
  return RenderPage(ctx, PageTitle(title, !items.empty()), TwoThirds(main),
                    BackLink("/admin/users"));
}

const std::vector<Option>& OrganisationTypes() {
  static const std::vector<Option> kTypes = {{"local_authority", "Local authority"},
                                             {"school", "School"},
                                             {"health", "Health"},
                                             {"police", "Police"},
                                             {"probation", "Probation"},
                                             {"voluntary", "Voluntary sector"},
                                             {"national_partner", "National partner"}};
  return kTypes;
}

std::string OrganisationTypeLabel(std::string_view type) {
  for (const Option& o : OrganisationTypes()) {
    if (o.value == type) return o.text;
  }
  return std::string(type);
}

Html RenderOrganisationsPage(const PageContext& ctx, const OrganisationsListView& view) {
  Html main = Heading(1, "l", "Organisations") +
              ButtonLink("Add an organisation", "/admin/organisations/new");
  if (view.organisations.empty()) {
    main += Paragraph("There are no organisations yet.");
  } else {
    TableParams t;
    t.caption = "All organisations";
    t.head = {"Code", "Name", "Type", "Local authority area"};
    for (const OrganisationRow& o : view.organisations) {
      t.rows.push_back({Link("/admin/organisations/" + EncodePathSegment(o.id), Escape(o.code)),
                        Escape(o.name), Escape(OrganisationTypeLabel(o.type)),
                        Escape(o.area_name)});
    }
    main += Table(t);
  }
  return RenderPage(ctx, "Organisations", main);
}

Html RenderOrganisationFormPage(const PageContext& ctx, const OrganisationFormView& view) {
  const FieldErrors& e = view.errors;
  std::vector<FieldRef> fields;
  if (view.is_new) fields.push_back({"code", "code"});
  for (std::string_view f : {"name", "type", "area", "allowed_networks"}) {
    fields.push_back({std::string(f), std::string(f)});
  }
  const auto items = ErrorItemsFor(e, fields);

  InputParams code = Field("code", "Code", view.code, e);
  code.hint = "A short unique reference, for example LA-812";
  code.width_class = "govuk-input--width-10";
  code.spellcheck = false;
  InputParams name = Field("name", "Name", view.name, e);

  SelectParams type;
  type.id = "type";
  type.label = "Type";
  type.label_bold = true;
  type.error = std::string(ErrorFor(e, "type"));
  type.options = ToSelect(OrganisationTypes(), view.type, "Choose a type");

  SelectParams area;
  area.id = "area";
  area.label = "Local authority area";
  area.label_bold = true;
  area.hint = "The area whose children this organisation works with";
  area.error = std::string(ErrorFor(e, "area"));
  area.options = ToSelect(view.areas, view.area, "Choose an area");

  InputParams networks = Field("allowed_networks", "Allowed networks", view.allowed_networks, e);
  networks.hint =
      "The networks staff may sign in from, one per line in CIDR notation, for "
      "example 192.0.2.0/24 or 2001:db8::/48";
  networks.spellcheck = false;

  Html form = view.is_new ? TextInput(code)
                          : Markup("<p class=\"govuk-body\"><strong>Code:</strong> ") +
                                Escape(view.code) + Markup("</p>\n");
  form += TextInput(name) + Select(type) + Select(area) + Textarea(networks, 5) +
          Markup("<div class=\"govuk-button-group\">\n") +
          Button(view.is_new ? "Add organisation" : "Save changes") +
          Markup("<a class=\"govuk-link\" href=\"/admin/organisations\">Cancel</a>\n</div>\n");
  const std::string title =
      view.is_new ? "Add an organisation" : "Edit " + (view.name.empty() ? view.code : view.name);
  const std::string action =
      view.is_new ? "/admin/organisations"
                  : "/admin/organisations/" + EncodePathSegment(view.organisation_id);
  Html main = ErrorSummary(items) + Heading(1, "l", title) + PostForm(action, ctx.csrf_token, form);
  return RenderPage(ctx, PageTitle(title, !items.empty()), TwoThirds(main),
                    BackLink("/admin/organisations"));
}

}  // namespace cp::web
