// Per-source singular items (docs/feeds.md, "Per-source items and history").
//
// A record shows ONE current name, gender and date of birth, address, school and GP practice,
// but several sources may send them. Each source's own singular items are kept per source
// reference (store::SourceRef::items, sealed at rest), each with its last-updated time, and the
// record's current value is chosen from them by one rule (ChooseCurrentItems):
//
//  - Address, school, GP practice: the most recently updated item wins, whichever source sent
//    it (ties: the value the record already shows, then the smaller source code). The view
//    shows the winner's source and time (its provenance).
//  - Current name, gender and date of birth (identity: they drive matching and search): the
//    source whose item the record shows keeps it; its own newer item replaces it. Another
//    source's different value is kept (per source) but not shown; a record without a name
//    takes the most recently updated.
//  - An item the record shows whose source holds no item of that kind (written before the
//    items were kept, or by hand, "manual:<user>") counts as that source's item.
//
// A source's items change only when that source sends them: a changed item gets the time of
// the row, an unchanged one keeps its time, and an empty field (unknown) keeps the item. So
// when source B changes its address only B's item changes, and when A re-sends only A's does.
// Since the items belong to the (source, reference), they follow it through a merge (the
// survivor holds both sources' items) and back through an unmerge.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "domain/child_record.h"

namespace cp::workflow {

struct CoreItems {
  domain::Gender gender = domain::Gender::kNotKnown;
  Date date_of_birth;
  domain::Provenance provenance;
  bool operator==(const CoreItems&) const = default;
};

// One source reference's singular items; absent: the source has not sent one.
struct SourceItems {
  std::string source;
  std::optional<domain::PersonName> name;
  std::optional<CoreItems> core;
  std::optional<domain::Address> address;
  std::optional<domain::EducationSetting> education;
  std::optional<domain::GpPractice> gp;
  bool operator==(const SourceItems&) const = default;
};

// The singular items of a record built from one feed row (every item carries the source).
SourceItems SingularItemsOf(const domain::ChildRecord& incoming, const std::string& source);

// The singular items `record` shows from `source` (what that source holds while its reference
// has no items stored).
SourceItems ItemsShownFrom(const domain::ChildRecord& record, const std::string& source);

// `before` with `incoming` applied: a changed item takes `incoming`'s time, an unchanged one
// keeps its own, an absent one (unknown) keeps `before`'s.
SourceItems UpdateOwnItems(const SourceItems& before, const SourceItems& incoming);

// JSON (the stored form) and back. Decode: InvalidArgument on a malformed text.
std::string EncodeSourceItems(const SourceItems& items);
Result<SourceItems> DecodeSourceItems(std::string_view json, const std::string& source);

// Sets `record`'s singular items from the items every source holds on it (see the rule above).
void ChooseCurrentItems(domain::ChildRecord& record, const std::vector<SourceItems>& held);

// For an unmerge: every singular item of `record` whose source is in `sources` (sources whose
// references went back to the other record) becomes `fallback`'s (the record before the
// merge), so that ChooseCurrentItems does not count it as the record's own.
void ForgetItemsOfSources(domain::ChildRecord& record, const domain::ChildRecord& fallback,
                          const std::vector<std::string>& sources);

}  // namespace cp::workflow
