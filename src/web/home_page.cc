#include "web/home_page.h"

#include "web/components.h"

namespace cp::web {
namespace {

Html Shortcut(std::string_view text, std::string_view href, std::string_view description) {
  return Markup(
             "<li class=\"cp-shortcut\">\n<h2 class=\"govuk-heading-s govuk-!-margin-bottom-1\">"
             "<a class=\"govuk-link\"") +
         Attr("href", href) + Markup(">") + Escape(text) + Markup("</a></h2>\n") +
         Paragraph(description) + Markup("</li>\n");
}

}  // namespace

Html RenderHomePage(const PageContext& ctx, const HomeView& view) {
  Html shortcuts;
  if (HasChildDataRole(ctx)) {
    shortcuts += Shortcut("Search for a child", "/search",
                          "Find a child’s record and the services working with them.");
    shortcuts += Shortcut("Brokering", "/brokering",
                          "Your brokering requests, and requests waiting for your decision.");
  }
  if (HasRole(ctx, kRoleShielder)) {
    shortcuts += Shortcut("Shield requests", "/shield-requests",
                          "Approve your organisation’s shield requests and follow your own.");
  }
  if (HasRole(ctx, kRoleManagement)) {
    shortcuts +=
        Shortcut("Management desk", "/management", "Review requests and the work waiting for you.");
    shortcuts += Shortcut("Possible duplicates", "/management/duplicates",
                          "Merge or keep apart records that may be the same child.");
    shortcuts += Shortcut("Reports", "/reports",
                          "The shielding log, reviews, Break Glass, brokering, record access "
                          "and the trawling monitor.");
  }
  if (HasRole(ctx, kRoleDpo)) {
    shortcuts += Shortcut("Subject access requests", "/dpo",
                          "Track requests and produce the disclosure of a child’s record.");
  }
  if (HasRole(ctx, kRoleAdministrator)) {
    shortcuts += Shortcut("Manage users", "/admin/users",
                          "Add users, change their roles and record vetting checks.");
    shortcuts += Shortcut("Manage organisations", "/admin/organisations",
                          "Add organisations and set the networks they may connect from.");
  }
  Html main = Heading(1, "l", "Welcome, " + view.display_name);
  if (!view.organisation_name.empty()) {
    main +=
        Markup("<p class=\"govuk-body-l\">") + Escape(view.organisation_name) + Markup("</p>\n");
  }
  if (view.notifications >= 0) {
    main += Markup(
                "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/notifications\" "
                "id=\"notifications-link\">") +
            Escape(view.notifications == 1
                       ? "You have 1 notification"
                       : "You have " + std::to_string(view.notifications) + " notifications") +
            Markup("</a></p>\n");
  }
  if (shortcuts.empty()) {
    main += Paragraph(
        "There is nothing you can do in ContactPoint yet. If you think this is "
        "wrong, contact your ContactPoint administrator.");
  } else {
    main += Markup("<ul class=\"govuk-list cp-shortcuts\">\n") + shortcuts + Markup("</ul>\n");
  }
  return RenderPage(ctx, "Home", main);
}

}  // namespace cp::web
