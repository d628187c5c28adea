// Disclosure views: what a subject access disclosure (UK GDPR Art. 15; policy §12) shows of a
// child record. Made here, beside the other views, so the choke point stays one place: the
// workflow and presentation layers receive a DisclosureView, never the raw record.
//
//  - Only the data protection officer of the record's responsible authority may produce one
//    (Permission::kRunDisclosure and the same authority): MayDisclose.
//  - kInternal: everything held, each item with its source and date (for the DPO's review;
//    rendered with the watermark kInternalWatermark).
//  - kRequester: the copy that goes to the requester. For a shielded record every field a
//    shielded view hides (former and known-as names, address, carers, education setting, GP,
//    services) is left out: one item per hidden field, marked kWithheld, with no value,
//    source or date (so not even how many there are shows), and the exemption is stated.
//    For a record that is not shielded it equals the internal copy's items.
// The types here reach the presentation layers; the functions that make them from the raw
// record are in disclosure_policy.h (not reachable there). Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cp::policy {

enum class DisclosureCopy { kRequester, kInternal };

std::string_view DisclosureCopyName(DisclosureCopy copy);  // "requester", "internal"
std::optional<DisclosureCopy> ParseDisclosureCopy(std::string_view name);

inline constexpr std::string_view kWithheld = "withheld";
inline constexpr std::string_view kSeriousHarmExemption =
    "Some information has been withheld under the Data Protection Act 2018, Schedule 3 "
    "(health, social work and education data: the serious harm exemption), because disclosing "
    "it would be likely to cause serious harm to the physical or mental health of the child or "
    "another person.";
inline constexpr std::string_view kInternalWatermark = "INTERNAL – NOT FOR DISCLOSURE";

struct DisclosureItem {
  std::string section;  // "Identity", "Names", "Address", "Carers", "Education", "GP", "Services"
  std::string label;    // e.g. "Address line 1"
  std::string value;    // Empty when withheld.
  std::string source;   // The data source's organisation code; empty when withheld.
  std::string updated_at;  // ISO 8601 UTC; empty when withheld.
  bool withheld = false;
};

struct DisclosureView {
  std::string uin;
  DisclosureCopy copy = DisclosureCopy::kRequester;
  bool shielded = false;
  std::string responsible_authority;
  std::vector<DisclosureItem> items;
  std::string exemption;  // kSeriousHarmExemption when an item is withheld, else empty.
};

}  // namespace cp::policy
