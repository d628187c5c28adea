// Administrators' pages: users and organisations.
//
// Routes and field names (the app's handlers read exactly these; every form also posts
// csrf_token, taken from ctx.csrf_token):
//   GET  /admin/users                 users list
//   GET  /admin/users/new             user form (create) -> POST /admin/users
//   GET  /admin/users/<id>            user form (edit)   -> POST /admin/users/<id>
//        fields: username (create only), display_name, email, phone, organisation_id,
//                roles (repeated), crb_check_date-day/-month/-year, isa_registered ("yes"),
//                training_date-*, agreement_date-*; edit only: version (hidden, the
//                optimistic-concurrency version of the record shown), status ("active" or
//                "disabled")
//   POST /admin/users/<id>/unlock       (edit page, when locked) clears a lockout
//   POST /admin/users/<id>/reset-token  (edit page) makes the user set up a new token
//   GET  /admin/organisations         organisations list
//   GET  /admin/organisations/new     organisation form (create) -> POST /admin/organisations
//   GET  /admin/organisations/<id>    organisation form (edit) -> POST /admin/organisations/<id>
//        fields: code (create only), name, type, area, allowed_networks
// Error keys in FieldErrors are these field names; a date's key is its base name
// ("crb_check_date"), and its summary link goes to the day field.
// <id> is percent-encoded by the renderer.
#pragma once

#include <string>
#include <vector>

#include "web/components.h"
#include "web/html.h"
#include "web/layout.h"

namespace cp::web {

// A choice in a select list.
struct Option {
  std::string value;
  std::string text;
};

enum class VettingStatus { kComplete, kIncomplete, kExpired };
enum class AccountStatus { kActive, kAwaitingEnrolment, kLocked, kDisabled };

struct UserRow {
  std::string id;
  std::string username;
  std::string display_name;
  std::string organisation_name;
  std::vector<std::string> roles;  // Role names, e.g. "practitioner".
  VettingStatus vetting = VettingStatus::kIncomplete;
  AccountStatus status = AccountStatus::kActive;
};
struct UsersListView {
  std::vector<UserRow> users;
};
Html RenderUsersPage(const PageContext& ctx, const UsersListView& view);

// Every role an administrator can grant, in display order.
const std::vector<std::string>& AllRoles();

struct UserFormView {
  bool is_new = true;
  std::string user_id;  // Edit only.
  std::string username;
  std::string display_name;
  std::string email;
  std::string phone;
  std::string organisation_id;
  std::vector<Option> organisations;
  std::vector<std::string> roles;  // The ticked roles.
  DateParts crb_check_date;
  bool isa_registered = false;
  DateParts training_date;
  DateParts agreement_date;
  // Edit only: the record's version (posted back as the hidden field "version"), whether the
  // account is active (the "status" radios) and whether it is locked (offers "Unlock").
  std::string version;
  bool active = true;
  bool locked = false;
  // Set only in the response to a successful create: the one-time password the
  // administrator hands to the new user. Shown once, above the form.
  std::string initial_password;
  FieldErrors errors;
};
Html RenderUserFormPage(const PageContext& ctx, const UserFormView& view);

struct OrganisationRow {
  std::string id;
  std::string code;
  std::string name;
  std::string type;  // One of OrganisationTypes() values.
  std::string area_name;
};
struct OrganisationsListView {
  std::vector<OrganisationRow> organisations;
};
Html RenderOrganisationsPage(const PageContext& ctx, const OrganisationsListView& view);

// The organisation types: value ("local_authority") and label ("Local authority").
const std::vector<Option>& OrganisationTypes();
// The label of an organisation type; unknown values are shown as given.
std::string OrganisationTypeLabel(std::string_view type);

struct OrganisationFormView {
  bool is_new = true;
  std::string organisation_id;  // Edit only.
  std::string code;             // Editable only when creating; shown as text when editing.
  std::string name;
  std::string type;
  std::string area;  // Selected local authority area value.
  std::vector<Option> areas;
  std::string allowed_networks;  // As typed: one CIDR block per line.
  FieldErrors errors;
};
Html RenderOrganisationFormPage(const PageContext& ctx, const OrganisationFormView& view);

}  // namespace cp::web
