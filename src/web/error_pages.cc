#include "web/error_pages.h"

#include "web/components.h"

namespace cp::web {

Html RenderErrorPage(const PageContext& ctx, int status) {
  std::string_view title;
  Html body;
  switch (status) {
    case 403:
      title = "You do not have access";
      body = Paragraph("You do not have permission to see this page.") +
             Paragraph(
                 "If you think you should have access, contact your ContactPoint "
                 "administrator.");
      break;
    case 404:
      title = "Page not found";
      body = Paragraph("If you typed the web address, check it is correct.") +
             Paragraph("If you pasted the web address, check you copied the entire address.") +
             Markup(
                 "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/\">Go to the "
                 "ContactPoint home page</a></p>\n");
      break;
    case 503:
      title = "Sorry, the service is unavailable";
      body = Paragraph("You will be able to use the service later.") +
             Paragraph(
                 "Nothing you did caused this. If you were saving something, check "
                 "whether it was saved before trying again.");
      break;
    default:
      title = "Sorry, there is a problem with the service";
      body = Paragraph("Try again later.") +
             Paragraph(
                 "If you were saving something, check whether it was saved before "
                 "trying again.");
      break;
  }
  Html main =
      Markup("<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n") +
      Heading(1, "l", title) + body + Markup("</div>\n</div>\n");
  return RenderPage(ctx, title, main);
}

}  // namespace cp::web
