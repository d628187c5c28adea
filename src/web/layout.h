// The page template every ContactPoint HTML page is rendered into.
//
// The template follows the GOV.UK Frontend page template, with two deliberate differences
// because ContactPoint is not a GOV.UK-domain service: the header is the generic header with
// the service name (no crown, no GOV.UK logotype) and the footer carries no Crown copyright.
//
// Content Security Policy: pages contain no inline script, no inline style and no event-handler
// attributes; they load only /assets/app.css, /assets/govuk-frontend.min.css and the module
// /assets/app.js, so the server can send
//   default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none';
//   base-uri 'none'; form-action 'self'; frame-ancestors 'none'
// (img-src may need `data:` only if a page embeds a data-URL image; the QR code is inline SVG).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "web/html.h"

namespace cp::web {

// URL prefix under which the server serves the asset directory (see src/web/README.md).
inline constexpr std::string_view kAssetPrefix = "/assets/";
// The service name shown in the header and page titles.
inline constexpr std::string_view kServiceName = "ContactPoint";

// Role names as the app stores them.
inline constexpr std::string_view kRoleAdministrator = "administrator";
inline constexpr std::string_view kRoleManagement = "management";
inline constexpr std::string_view kRolePractitioner = "practitioner";
inline constexpr std::string_view kRoleShielder = "shielder";
inline constexpr std::string_view kRoleBreakGlass = "break_glass";
inline constexpr std::string_view kRoleDpo = "dpo";

// What the template needs to know about the request and the signed-in user. Filled by the app
// for every page; the defaults describe a signed-out visitor.
struct PageContext {
  bool signed_in = false;
  std::string display_name;
  std::vector<std::string> roles;
  // The session's CSRF token (signed in only): the sign-out form and the idle-timeout script
  // use it. Pre-sign-in forms take their token from their own view model.
  std::string csrf_token;
  // Session idle timeout and how long before it the warning dialog opens, in seconds.
  // Rendered as <meta> tags for app.js when signed in and idle_seconds > 0.
  int64_t idle_seconds = 0;
  int64_t warn_seconds = 0;
  // A one-time success message (e.g. "User created"), shown in a success notification banner
  // at the top of the main content. Empty: none.
  std::string flash;
  // The request path, to mark the current navigation item.
  std::string current_path;
};

bool HasRole(const PageContext& ctx, std::string_view role);
// True for the roles that may search for and view children: practitioner, management,
// shielder and break_glass.
bool HasChildDataRole(const PageContext& ctx);
// A role's display name ("break_glass" -> "Break glass"); unknown names are shown as given.
std::string RoleLabel(std::string_view role);

// "<title>" or "Error: <title>" when `has_errors` (GOV.UK pattern for a form with errors).
std::string PageTitle(std::string_view title, bool has_errors);

// The countdown sentence of the idle-timeout dialog, e.g. "You will be signed out in
// 2 minutes." / "... in 1 minute and 5 seconds." / "... in 45 seconds." (app.js mirrors this).
std::string SignOutCountdownText(int64_t seconds);

// A complete HTML document: doctype, head (title "<title> – ContactPoint", CSS, app.js,
// session meta tags), skip link, header with navigation for the user's roles, phase banner,
// `before_main` (e.g. a back link), <main id="main-content"> holding the flash banner and
// `main_content`, footer and, when signed in, the idle-timeout dialog.
// `main_content` must contain exactly one h1.
Html RenderPage(const PageContext& ctx, std::string_view title, const Html& main_content,
                const Html& before_main = Html());

}  // namespace cp::web
