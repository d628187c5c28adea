// Views of a child record: the only form in which child data leaves the policy layer.
//
// Handlers, templates, serialisers, exports and logs receive a ChildView, never the raw
// record (domain/child_record.h does not compile in the presentation layers). A view holds
// exactly what its level allows: a shielded view has no member that could carry an address,
// a carer, a school, a GP, an involvement, or a former or known-as name.
// Plain value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cp::policy {

enum class ViewLevel {
  kNone = 0,      // May not see the record at all.
  kShielded = 1,  // UIN, current names, gender, date of birth, and the shielding notice.
  kFull = 2,      // Everything held.
};

std::string_view ViewLevelName(ViewLevel level);  // "none", "shielded", "full"

// What a shielded record shows (policy §1: the UIN, names, gender and date of birth).
struct ShieldedChildView {
  std::string uin;
  std::string given_names;
  std::string family_name;
  std::string gender;         // "male", "female", "not_known", "not_specified"
  std::string date_of_birth;  // YYYY-MM-DD
  std::string notice;         // That the record is shielded, and how to request brokering.
};

struct SourcedText {
  std::string source;      // Data source (organisation code).
  std::string updated_at;  // ISO 8601 UTC.
};

struct NameView {
  std::string given_names;
  std::string family_name;
  SourcedText provenance;
};

struct AddressView {
  std::string status;  // "current", "last_known", "no_known_address", "left_england"
  std::string line_1;
  std::string line_2;
  std::string town;
  std::string postcode;
  std::string intent_to_return;  // YYYY-MM-DD or empty.
  SourcedText provenance;
};

struct CarerView {
  std::string name;
  std::string relationship;
  std::string phone;
  std::string email;
  SourcedText provenance;
};

struct SettingView {
  std::string name;
  std::string phone;       // GP only.
  std::string start_date;  // Education only; YYYY-MM-DD or empty.
  SourcedText provenance;
};

struct InvolvementView {
  std::string service_type;   // Code.
  std::string service_label;  // For people.
  std::string practitioner;
  std::string organisation;
  std::string phone;
  std::string email;
  std::string start_date;
  std::string end_date;
  bool lead_professional = false;
  bool caf_complete = false;
  bool sensitive = false;
  SourcedText provenance;
};

struct FullChildView {
  std::string uin;
  NameView name;
  std::vector<NameView> former_names;
  std::vector<NameView> known_as;
  std::string gender;
  std::string date_of_birth;
  SourcedText core_provenance;
  AddressView address;
  std::vector<CarerView> carers;
  std::optional<SettingView> education;
  std::optional<SettingView> gp;
  std::vector<InvolvementView> involvements;
  std::string responsible_authority;
  bool shielded = false;  // True when a management user of the authority sees a shielded record.
  bool extended_with_consent = false;
  // True when the view is shown only because of a live Break Glass grant (set by
  // DirectoryService, never by MakeView).
  bool break_glass = false;
};

using ChildView = std::variant<ShieldedChildView, FullChildView>;

// The notice a shielded view carries.
inline constexpr std::string_view kShieldedNotice =
    "This record is shielded: its other details are hidden to protect the child. If you have a "
    "legitimate professional reason to contact the practitioners working with this child, ask "
    "the responsible local authority's ContactPoint management team to broker your request.";

}  // namespace cp::policy
