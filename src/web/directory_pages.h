// The directory's pages: the search form and its results, the "Why are you opening this
// record?" page, and a child's record (full or shielded view).
//
// Routes and field names (the handlers in web_ui.cc read exactly these; every form also posts
// csrf_token, taken from ctx.csrf_token):
//   GET  /search            the search form
//   POST /search            the same form, filled in, with the results (or errors) below it.
//        fields: given_name, family_name, date_of_birth-day/-month/-year, gender ("" for any,
//                "male", "female", "not_known", "not_specified"), postcode
//   GET  /children/<uin>    the reason form
//   POST /children/<uin>    the record, or the reason form again with its error.
//        fields: reason (a code from policy::AllAccessReasons()), reason_text
// Error keys in FieldErrors are these field names ("date_of_birth" for the date; its summary
// link goes to the day field), and "" for a message about the whole form.
//
// Contract: search criteria are only ever posted, never put in a URL; results link to
// /children/<uin> only. The record pages render exactly the view given: a shielded view has
// nothing else to show, and the renderer adds nothing from elsewhere. All text is escaped.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/child_view.h"
#include "web/components.h"
#include "web/html.h"
#include "web/layout.h"
#include "workflow/directory_service.h"

namespace cp::web {

// "2015-04-03" -> "3 April 2015"; an ISO 8601 time ("2026-05-01T10:00:00Z") gives its date.
// Text that is not a date is returned unchanged.
std::string FormatDate(std::string_view iso);
// "not_known" -> "Not known"; unknown codes are shown as given.
std::string GenderLabel(std::string_view gender);

// What the search page shows. `hits` is set after a successful search (possibly empty).
struct SearchView {
  std::string given_name;
  std::string family_name;
  DateParts date_of_birth;
  std::string gender;
  std::string postcode;
  FieldErrors errors;
  std::optional<std::vector<workflow::SearchHit>> hits;
};
Html RenderSearchPage(const PageContext& ctx, const SearchView& view);

// The reason form for opening the record with `uin` (already checked to be a valid UIN).
struct ReasonView {
  std::string uin;
  std::string reason;
  std::string reason_text;
  FieldErrors errors;
};
Html RenderReasonPage(const PageContext& ctx, const ReasonView& view);

// A child's record. `organisation_names` maps organisation codes (data sources, the
// responsible authority) to names; codes not in it are shown as codes.
struct RecordView {
  policy::ChildView child;
  std::map<std::string, std::string, std::less<>> organisation_names;
  // Shielding actions on the full view: a link to /children/<uin>/shield ("Shield this record"
  // when `applies_shield`, else "Request a shield"), and for management a POST form to
  // /management/children/<uin>/unshield with a link to the review page.
  bool can_shield = false;
  bool applies_shield = false;
  bool can_unshield = false;
  // On a shielded view: "Request brokering" (kRequestBrokering) and, only for a user who holds
  // a live Break Glass right, "Break Glass" (break_glass_pages.h, ShieldedRecordActions).
  bool can_request_brokering = false;
  bool can_break_glass = false;
  // A full view shown under a Break Glass grant (child.break_glass): when the grant ends at the
  // latest (ISO 8601 UTC), for the banner with the "Leave record" form.
  std::string break_glass_expires = "";
};
Html RenderRecordPage(const PageContext& ctx, const RecordView& view);
// The body of a full record (its sections, no page template or actions), for pages that show
// the record inside another page (management's brokering page). Empty for a shielded view.
Html RenderRecordDetails(const RecordView& view);

// The 400 page for a UIN that cannot be one, saying why (`message` is the validation text).
Html RenderBadUinPage(const PageContext& ctx, std::string_view message);

}  // namespace cp::web
