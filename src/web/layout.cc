#include "web/layout.h"

#include <algorithm>

#include "web/components.h"

namespace cp::web {
namespace {

struct NavItem {
  std::string_view text;
  std::string_view href;
};

bool IsCurrent(std::string_view current, std::string_view href) {
  if (href == "/") return current == "/";
  return current == href ||
         (current.size() > href.size() && current.starts_with(href) && current[href.size()] == '/');
}

std::vector<NavItem> NavItemsFor(const PageContext& ctx) {
  std::vector<NavItem> items = {{"Home", "/"}};
  if (HasChildDataRole(ctx)) items.push_back({"Search", "/search"});
  if (HasRole(ctx, kRoleManagement)) items.push_back({"Management desk", "/management"});
  if (HasRole(ctx, kRoleAdministrator)) {
    items.push_back({"Users", "/admin/users"});
    items.push_back({"Organisations", "/admin/organisations"});
  }
  return items;
}

Html SignOutForm(std::string_view csrf_token, std::string_view button_class) {
  return Markup("<form method=\"post\" action=\"/sign-out\" class=\"cp-sign-out-form\">\n") +
         CsrfField(csrf_token) + Markup("<button type=\"submit\"") + Attr("class", button_class) +
         Markup(">Sign out</button>\n</form>\n");
}

Html Header(const PageContext& ctx) {
  Html out = Markup(
                 "<header class=\"govuk-template__header\">\n"
                 "<div class=\"govuk-generic-header\">\n"
                 "<div class=\"govuk-generic-header__container govuk-width-container\">\n"
                 "<div class=\"govuk-generic-header__logo\">\n"
                 "<a href=\"/\" class=\"govuk-generic-header__homepage-link\">") +
             Escape(kServiceName) + Markup("</a>\n</div>\n</div>\n</div>\n");
  if (ctx.signed_in) {
    const std::vector<NavItem> items = NavItemsFor(ctx);
    out += Markup(
        "<div class=\"govuk-service-navigation\" data-module=\"govuk-service-navigation\">\n"
        "<div class=\"govuk-width-container\">\n"
        "<div class=\"govuk-service-navigation__container\">\n"
        "<nav aria-label=\"Menu\" class=\"govuk-service-navigation__wrapper\">\n"
        "<button type=\"button\" class=\"govuk-service-navigation__toggle "
        "govuk-js-service-navigation-toggle\" aria-controls=\"navigation\" hidden "
        "aria-hidden=\"true\">Menu</button>\n"
        "<ul class=\"govuk-service-navigation__list\" id=\"navigation\">\n");
    for (const NavItem& item : items) {
      const bool current = IsCurrent(ctx.current_path, item.href);
      out += Markup(current ? "<li class=\"govuk-service-navigation__item "
                              "govuk-service-navigation__item--active\">"
                            : "<li class=\"govuk-service-navigation__item\">") +
             Markup("<a class=\"govuk-service-navigation__link\"") + Attr("href", item.href) +
             Markup(current ? " aria-current=\"page\"><strong "
                              "class=\"govuk-service-navigation__active-fallback\">"
                            : ">") +
             Escape(item.text) + Markup(current ? "</strong></a></li>\n" : "</a></li>\n");
    }
    out += Markup("<li class=\"govuk-service-navigation__item cp-sign-out\">") +
           SignOutForm(ctx.csrf_token, "govuk-service-navigation__link cp-link-button") +
           Markup("</li>\n</ul>\n</nav>\n</div>\n</div>\n</div>\n");
  }
  out += Markup(
      "<div class=\"govuk-phase-banner govuk-width-container\">\n"
      "<p class=\"govuk-phase-banner__content\"><strong class=\"govuk-tag "
      "govuk-phase-banner__content__tag\">Beta</strong> <span "
      "class=\"govuk-phase-banner__text\">This is a new service. Report any problem to your "
      "ContactPoint administrator.</span></p>\n</div>\n</header>\n");
  return out;
}

Html Footer() {
  return Markup(
      "<footer class=\"govuk-template__footer\">\n<div class=\"govuk-footer\">\n"
      "<div class=\"govuk-width-container\">\n<div class=\"govuk-footer__meta\">\n"
      "<div class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\">\n"
      "<h2 class=\"govuk-visually-hidden\">Support links</h2>\n"
      "<ul class=\"govuk-footer__inline-list\">\n"
      "<li class=\"govuk-footer__inline-list-item\"><a class=\"govuk-footer__link\" "
      "href=\"/accessibility\">Accessibility statement</a></li>\n"
      "<li class=\"govuk-footer__inline-list-item\"><a class=\"govuk-footer__link\" "
      "href=\"/privacy\">Privacy notice</a></li>\n"
      "<li class=\"govuk-footer__inline-list-item\"><a class=\"govuk-footer__link\" "
      "href=\"/help\">Help</a></li>\n</ul>\n"
      "<div class=\"govuk-footer__meta-custom\">ContactPoint is for authorised staff only. "
      "Every search and record you view is logged and may be audited.</div>\n"
      "</div>\n</div>\n</div>\n</div>\n</footer>\n");
}

Html TimeoutDialog(const PageContext& ctx) {
  return Markup(
             "<dialog id=\"cp-timeout-dialog\" class=\"cp-timeout-dialog\" "
             "aria-labelledby=\"cp-timeout-heading\" aria-describedby=\"cp-timeout-countdown\">\n"
             "<h2 class=\"govuk-heading-m\" id=\"cp-timeout-heading\">You are about to be "
             "signed out</h2>\n"
             "<p class=\"govuk-body\" id=\"cp-timeout-countdown\">") +
         Escape(SignOutCountdownText(ctx.warn_seconds)) +
         Markup(
             "</p>\n"
             "<p class=\"govuk-visually-hidden\" id=\"cp-timeout-live\" aria-live=\"polite\" "
             "aria-atomic=\"true\"></p>\n"
             "<p class=\"govuk-body\">For your security, we sign you out when you have not done "
             "anything for a while. Anything you have not saved will be lost.</p>\n"
             "<div class=\"govuk-button-group\">\n"
             "<button type=\"button\" class=\"govuk-button\" data-module=\"govuk-button\" "
             "id=\"cp-timeout-stay\">Stay signed in</button>\n") +
         SignOutForm(ctx.csrf_token, "govuk-link cp-link-button") + Markup("</div>\n</dialog>\n");
}

}  // namespace

bool HasRole(const PageContext& ctx, std::string_view role) {
  return std::find(ctx.roles.begin(), ctx.roles.end(), role) != ctx.roles.end();
}

bool HasChildDataRole(const PageContext& ctx) {
  return HasRole(ctx, kRolePractitioner) || HasRole(ctx, kRoleManagement) ||
         HasRole(ctx, kRoleShielder) || HasRole(ctx, kRoleBreakGlass);
}

std::string RoleLabel(std::string_view role) {
  if (role == kRoleAdministrator) return "Administrator";
  if (role == kRoleManagement) return "Management";
  if (role == kRolePractitioner) return "Practitioner";
  if (role == kRoleShielder) return "Shielder";
  if (role == kRoleBreakGlass) return "Break glass";
  if (role == kRoleDpo) return "Data protection officer";
  if (role == "archive_reader") return "Archive reader";
  return std::string(role);
}

std::string PageTitle(std::string_view title, bool has_errors) {
  return (has_errors ? "Error: " : "") + std::string(title);
}

std::string SignOutCountdownText(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const int64_t minutes = seconds / 60;
  const int64_t rest = seconds % 60;
  auto unit = [](int64_t n, std::string_view word) {
    return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
  };
  std::string when;
  if (minutes > 0) {
    when = unit(minutes, "minute");
    if (rest > 0) when += " and " + unit(rest, "second");
  } else {
    when = unit(rest, "second");
  }
  return "You will be signed out in " + when + ".";
}

Html RenderPage(const PageContext& ctx, std::string_view title, const Html& main_content,
                const Html& before_main) {
  Html out = Markup(
                 "<!DOCTYPE html>\n<html lang=\"en-GB\" class=\"govuk-template\">\n<head>\n"
                 "<meta charset=\"utf-8\">\n<title>") +
             Escape(title) + Markup(" – ") + Escape(kServiceName) +
             Markup(
                 "</title>\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, "
                 "viewport-fit=cover\">\n"
                 "<meta name=\"theme-color\" content=\"#1d70b8\">\n"
                 "<meta name=\"robots\" content=\"noindex, nofollow\">\n");
  const bool timed = ctx.signed_in && ctx.idle_seconds > 0;
  if (timed) {
    out += Markup("<meta name=\"cp-session-idle-seconds\"") +
           Attr("content", std::to_string(ctx.idle_seconds)) + Markup(">\n") +
           Markup("<meta name=\"cp-session-warn-seconds\"") +
           Attr("content", std::to_string(ctx.warn_seconds)) + Markup(">\n");
  }
  if (ctx.signed_in) {
    out += Markup("<meta name=\"cp-csrf-token\"") + Attr("content", ctx.csrf_token) + Markup(">\n");
  }
  out += Markup(
      "<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">\n"
      "<link rel=\"stylesheet\" href=\"/assets/govuk-frontend.min.css\">\n"
      "<link rel=\"stylesheet\" href=\"/assets/app.css\">\n"
      "<script type=\"module\" src=\"/assets/app.js\"></script>\n"
      "</head>\n<body class=\"govuk-template__body\">\n"
      "<a href=\"#main-content\" class=\"govuk-skip-link\" data-module=\"govuk-skip-link\">"
      "Skip to main content</a>\n");
  out += Header(ctx);
  out += Markup("<div class=\"govuk-width-container\">\n") + before_main +
         Markup("<main class=\"govuk-main-wrapper\" id=\"main-content\">\n");
  if (!ctx.flash.empty()) out += NotificationBanner(ctx.flash, /*success=*/true);
  out += main_content;
  out += Markup("</main>\n</div>\n") + Footer();
  if (timed) out += TimeoutDialog(ctx);
  out += Markup("</body>\n</html>\n");
  return out;
}

}  // namespace cp::web
