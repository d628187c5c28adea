// The management team's possible-duplicate pages (docs/duplicates.md): the queue and the
// side-by-side page with confirm (merge), reject (do-not-match) and undo. Pure renderers of
// the view models below; the handlers are in duplicate_ui.h. The records arrive only as
// policy views (a shielded view shows nothing beyond the UIN, names, gender and birth date).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/child_view.h"
#include "web/components.h"
#include "web/html.h"
#include "web/layout.h"

namespace cp::web {

// One row of the queue.
struct DuplicateRow {
  int64_t id = 0;
  std::string record_uin;
  std::string other_uin;
  std::string status;  // "open", "confirmed", "rejected".
  std::string source;
  std::string weight;  // Formatted, e.g. "12.5".
  std::string created_at;
  bool shielded = false;
};

struct DuplicateListView {
  std::string filter;  // "open", "confirmed", "rejected" or "all".
  std::vector<DuplicateRow> rows;
};
Html RenderDuplicateListPage(const PageContext& ctx, const DuplicateListView& view);

struct DuplicateDetailView {
  DuplicateRow pair;
  std::optional<policy::ChildView> record;  // Absent: merged away.
  std::optional<policy::ChildView> other;
  int64_t merge_id = 0;  // The live merge of a confirmed pair (undo offered), else 0.
  std::string error;     // A refusal to show above the actions (e.g. already decided).
};
Html RenderDuplicateDetailPage(const PageContext& ctx, const DuplicateDetailView& view);

}  // namespace cp::web
