#include "web/desk_pages.h"

#include <algorithm>
#include <set>

#include "web/break_glass_pages.h"
#include "web/directory_pages.h"

namespace cp::web {
namespace {

// The statuses the filter offers, in this order (values as in DeskItem::status).
const std::vector<std::pair<std::string, std::string>>& StatusNames() {
  static const std::vector<std::pair<std::string, std::string>> kNames = {
      {"overdue", "Past their due date"},
      {"pending", "Awaiting a decision"},
      {"awaiting_form", "Awaiting the form"},
      {"due", "Due"},
      {"open", "Open"},
      {"in_review", "In review"},
      {"concluded", "Concluded"},
      {"requested", "Requested"},
      {"contacted", "Practitioner contacted"},
      {"shared", "Shared"},
      {"declined", "Declined"},
      {"acknowledged", "Declined, reasons recorded"},
      {"decided", "Decided"},
  };
  return kNames;
}

Html Filter(const DeskView& v) {
  SelectParams section;
  section.id = "section";
  section.name = "section";
  section.label = "Section";
  section.options.push_back({"", "All sections", v.section.empty()});
  for (const auto& [id, title] : DeskSectionNames()) {
    section.options.push_back({id, title, id == v.section});
  }
  SelectParams status;
  status.id = "status";
  status.name = "status";
  status.label = "Status";
  status.options.push_back({"", "Any status", v.status.empty()});
  for (const auto& [value, text] : StatusNames()) {
    status.options.push_back({value, text, value == v.status});
  }
  return Markup(
             "<form method=\"get\" action=\"/management\" class=\"cp-filter\">\n"
             "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-one-third\">\n") +
         Select(section) + Markup("</div>\n<div class=\"govuk-grid-column-one-third\">\n") +
         Select(status) + Markup("</div>\n</div>\n") + Button("Filter", ButtonStyle::kSecondary) +
         Markup("</form>\n");
}

Html ItemLink(const DeskItem& item) {
  if (item.href.empty()) return Html();
  return Markup("<a class=\"govuk-link\"") + Attr("href", item.href) + Markup(">") +
         Escape(item.link_text) + Markup("<span class=\"govuk-visually-hidden\"> ") +
         Escape(item.reference.empty() ? item.uin : item.reference) + Markup("</span></a>");
}

Html Section(const DeskSection& s, bool filtered) {
  const std::string heading_id = "desk-" + s.id;
  Html out = Markup("<section class=\"govuk-!-margin-bottom-8\"") + Attr("id", "section-" + s.id) +
             Attr("aria-labelledby", heading_id) + Markup(">\n<h2 class=\"govuk-heading-m\"") +
             Attr("id", heading_id) + Markup(">") + Escape(s.title) +
             Markup(" <span class=\"govuk-tag govuk-tag--grey cp-count\">") +
             Escape(std::to_string(s.total)) + Markup("</span></h2>\n");
  if (filtered && s.items.size() != s.total) {
    out += Paragraph("Showing " + std::to_string(s.items.size()) + " of " +
                     std::to_string(s.total) + ".");
  }
  if (s.items.empty()) {
    out += Paragraph(s.total == 0 ? s.empty_text : "None match the filter.");
  } else {
    TableParams t;
    t.caption = s.title;
    t.head = {"Reference", "UIN", "Details", "Received", "Due", "Status", "Action"};
    for (const DeskItem& item : s.items) {
      Html due = Escape(item.due.empty() ? "" : FormatDate(item.due));
      if (item.overdue) due += Markup(" ") + Tag("Overdue", TagColour::kRed);
      Html action = item.action + ItemLink(item);
      t.rows.push_back({Escape(item.reference), Escape(item.uin), Escape(item.detail),
                        Escape(item.received.empty() ? "" : FormatWhenUtc(item.received)), due,
                        Escape(item.status_text), action});
    }
    out += Table(t);
  }
  if (!s.more_href.empty()) {
    out += Markup("<p class=\"govuk-body\"><a class=\"govuk-link\"") + Attr("href", s.more_href) +
           Markup(">") + Escape(s.more_text) + Markup("</a></p>\n");
  }
  return out + Markup("</section>\n");
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& DeskSectionNames() {
  static const std::vector<std::pair<std::string, std::string>> kNames = {
      {"requests", "Shield requests awaiting a decision"},
      {"telephone", "Telephone requests awaiting their form"},
      {"reviews", "Reviews due and overdue"},
      {"investigations", "Break Glass investigations"},
      {"brokering", "Brokering requests"},
      {"appeals", "Appeals and complaints"},
  };
  return kNames;
}

void FilterDeskItems(DeskSection& section, std::string_view status) {
  section.total = std::max(section.total, section.items.size());
  if (status.empty()) return;
  std::erase_if(section.items, [&](const DeskItem& item) {
    return status == "overdue" ? !item.overdue : item.status != status;
  });
}

Html RenderDeskPage(const PageContext& ctx, const DeskView& v) {
  Html main = Markup("<span class=\"govuk-caption-l\">") +
              Escape("Management desk" + (v.authority.empty() ? "" : ", " + v.authority)) +
              Markup("</span>\n") + Heading(1, "l", "Shielding management");
  main += Markup(
      "<ul class=\"govuk-list\">\n<li><a class=\"govuk-link\" "
      "href=\"/management/telephone-requests/new\">Record a telephone request</a></li>\n"
      "<li><a class=\"govuk-link\" href=\"/management/shielding-log\">View the "
      "shielding log</a></li>\n<li><a class=\"govuk-link\" "
      "href=\"/management/investigations\">All Break Glass investigations</a></li>\n"
      "</ul>\n");
  main += Filter(v);
  const bool filtered = !v.status.empty();
  for (const DeskSection& s : v.sections) main += Section(s, filtered);
  if (v.section.empty()) {
    main += Heading(2, "m", "Notifications");
    if (v.notifications.empty()) {
      main += Paragraph("No notifications.");
    } else {
      main += Markup("<ul class=\"govuk-list govuk-list--bullet\">\n");
      for (const DeskNotice& n : v.notifications) {
        main +=
            Markup("<li>") + Escape(FormatWhenUtc(n.created) + ": " + n.text) + Markup("</li>\n");
      }
      main += Markup("</ul>\n");
    }
  }
  return RenderPage(ctx, "Shielding management", main);
}

}  // namespace cp::web
