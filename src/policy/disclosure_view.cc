#include "core/time_format.h"
#include "domain/service_types.h"
#include "policy/disclosure_policy.h"
#include "policy/rbac.h"

namespace cp::policy {
namespace {

std::string Date(const std::optional<cp::Date>& d) { return d ? d->ToString() : ""; }

class Builder {
 public:
  explicit Builder(DisclosureView& view) : view_(view) {}
  void Add(std::string section, std::string label, std::string value, const domain::Provenance& p) {
    view_.items.push_back({std::move(section), std::move(label), std::move(value), p.source,
                           FormatUtc(p.updated_at), false});
  }
  void Withhold(std::string section, std::string label) {
    view_.items.push_back({std::move(section), std::move(label), "", "", "", /*withheld=*/true});
  }

 private:
  DisclosureView& view_;
};

std::string AddressStatus(domain::AddressStatus s) {
  switch (s) {
    case domain::AddressStatus::kCurrent:
      return "Current address";
    case domain::AddressStatus::kLastKnown:
      return "Last known address";
    case domain::AddressStatus::kNoKnownAddress:
      return "No known address";
    case domain::AddressStatus::kLeftEngland:
      return "Left England";
  }
  return "No known address";
}

std::string Joined(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += ", ";
    out += p;
  }
  return out;
}

// Every field a shielded view hides, in the order the disclosure lists them.
void AddHiddenFields(const domain::ChildRecord& r, Builder& b) {
  for (const auto& n : r.former_names) {
    b.Add("Names", "Former name", n.given_names + " " + n.family_name, n.provenance);
  }
  for (const auto& n : r.known_as) {
    b.Add("Names", "Known as", n.given_names + " " + n.family_name, n.provenance);
  }
  const auto& a = r.address;
  b.Add("Address", "Address status", AddressStatus(a.status), a.provenance);
  if (!a.line_1.empty() || !a.town.empty() || !a.postcode.empty()) {
    b.Add("Address", "Address", Joined({a.line_1, a.line_2, a.town, a.postcode}), a.provenance);
  }
  if (a.intent_to_return) {
    b.Add("Address", "Intends to return on", a.intent_to_return->ToString(), a.provenance);
  }
  for (const auto& c : r.carers) {
    b.Add("Carers", "Parent or carer", Joined({c.name, c.relationship, c.phone, c.email}),
          c.provenance);
  }
  if (r.education) {
    std::string started = r.education->start_date ? "started " + Date(r.education->start_date) : "";
    b.Add("Education", "Education setting", Joined({r.education->name, started}),
          r.education->provenance);
  }
  if (r.gp) b.Add("GP", "GP practice", Joined({r.gp->name, r.gp->phone}), r.gp->provenance);
  for (const auto& i : r.involvements) {
    auto type = domain::FindServiceType(i.service_type);
    std::string label = type ? std::string(type->label) : i.service_type;
    std::string dates = "from " + (i.start_date ? i.start_date->ToString() : "unknown") +
                        (i.end_date ? " to " + i.end_date->ToString() : "");
    b.Add("Services", label,
          Joined({i.practitioner, i.organisation, i.phone, i.email, dates,
                  i.lead_professional ? "lead professional" : "",
                  i.caf_complete ? "common assessment completed" : ""}),
          i.provenance);
  }
}

}  // namespace

std::string_view DisclosureCopyName(DisclosureCopy copy) {
  return copy == DisclosureCopy::kInternal ? "internal" : "requester";
}

std::optional<DisclosureCopy> ParseDisclosureCopy(std::string_view name) {
  if (name == "requester") return DisclosureCopy::kRequester;
  if (name == "internal") return DisclosureCopy::kInternal;
  return std::nullopt;
}

bool MayDisclose(const Viewer& viewer, const RecordFacts& record) {
  return IsGranted(viewer.roles, Permission::kRunDisclosure) &&
         viewer.roles.Has(domain::Role::kDpo) && !viewer.authority.empty() &&
         viewer.authority == record.responsible_authority;
}

DisclosureView MakeDisclosureView(const domain::ChildRecord& r, DisclosureCopy copy) {
  DisclosureView v;
  v.uin = r.uin.str();
  v.copy = copy;
  v.shielded = r.shielded;
  v.responsible_authority = r.responsible_authority;
  Builder b(v);
  b.Add("Identity", "Unique identification number", r.uin.str(), r.core_provenance);
  b.Add("Identity", "Name", r.name.given_names + " " + r.name.family_name, r.name.provenance);
  b.Add("Identity", "Gender", std::string(domain::GenderName(r.gender)), r.core_provenance);
  b.Add("Identity", "Date of birth", r.date_of_birth.ToString(), r.core_provenance);
  if (r.extended_with_consent) {
    b.Add("Identity", "Record kept past 18", "with the young person's consent", r.core_provenance);
  }
  if (r.shielded && copy == DisclosureCopy::kRequester) {
    // Fixed gaps, whatever the record holds: the copy must not show how many there are.
    for (auto [section, label] :
         {std::pair{"Names", "Former names"}, std::pair{"Names", "Known-as names"},
          std::pair{"Address", "Address"}, std::pair{"Carers", "Parents and carers"},
          std::pair{"Education", "Education setting"}, std::pair{"GP", "GP practice"},
          std::pair{"Services", "Services working with the child"}}) {
      b.Withhold(section, label);
    }
    v.exemption = std::string(kSeriousHarmExemption);
    return v;
  }
  AddHiddenFields(r, b);
  return v;
}

}  // namespace cp::policy
