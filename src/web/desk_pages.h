// The management desk: one page per authority, for its ContactPoint management team
// (kManageShielding). Route: GET /management[?section=<id>&status=<status>].
//
// Sections, in order (ids for ?section=): requests (shield requests awaiting a decision, with
// approve and reject), telephone (telephone requests awaiting their form, with the
// working-day deadline), reviews (reviews due and overdue: ordinary, co-resident and
// duplicate shields), investigations (Break Glass), brokering, appeals. Each shows a count,
// due dates (UTC dates) and can be filtered: ?section= shows one section, ?status= keeps the
// items with that status ("overdue" keeps the overdue ones). Then the notifications.
//
// Contract: rows show references, UINs, states and dates only, never a child's hidden details.
// All text is escaped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "web/components.h"
#include "web/html.h"
#include "web/layout.h"

namespace cp::web {

struct DeskItem {
  std::string reference;  // Shown as text.
  std::string uin;
  std::string detail;    // e.g. "Co-resident of ..." or the requester.
  std::string received;  // ISO 8601 time, or empty.
  std::string due;       // YYYY-MM-DD, or empty.
  bool overdue = false;
  std::string status;       // Machine value for the filter ("pending", "open", ...).
  std::string status_text;  // Shown.
  std::string href;         // Where to act; empty: none.
  std::string link_text;    // e.g. "Record a review".
  Html action;              // Extra controls (approve/reject forms), trusted markup.
};

struct DeskSection {
  std::string id;  // requests, telephone, reviews, investigations, brokering, appeals.
  std::string title;
  std::string empty_text;
  std::string more_href;  // A page with every item of the section; empty: none.
  std::string more_text;
  size_t total = 0;  // Before the status filter.
  std::vector<DeskItem> items;
};

struct DeskNotice {
  std::string text;
  std::string created;  // ISO 8601.
};

struct DeskView {
  std::string authority;              // Its name (or code).
  std::string section;                // Filter: "" for all.
  std::string status;                 // Filter: "" for all.
  std::vector<DeskSection> sections;  // Already filtered by section.
  std::vector<DeskNotice> notifications;
};

// The section ids and titles, in page order.
const std::vector<std::pair<std::string, std::string>>& DeskSectionNames();

// Keeps the items whose status is `status` ("overdue": overdue items); "" keeps all.
void FilterDeskItems(DeskSection& section, std::string_view status);

Html RenderDeskPage(const PageContext& ctx, const DeskView& view);

}  // namespace cp::web
