#include "workflow/source_items.h"

#include <algorithm>
#include <boost/json.hpp>
#include <tuple>
#include <utility>

namespace cp::workflow {
namespace {

namespace json = boost::json;
using domain::Provenance;

int64_t Micros(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint FromMicros(int64_t v) { return TimePoint(Duration(v)); }

bool HasAddress(const domain::Address& a) {
  return a.status != domain::AddressStatus::kNoKnownAddress || !a.line_1.empty() ||
         !a.postcode.empty();
}

// Equal but for the provenance.
template <typename T>
bool SameValue(const T& a, const T& b) {
  T copy = b;
  copy.provenance = a.provenance;
  return a == copy;
}

template <typename T>
void UpdateOne(std::optional<T>& own, const std::optional<T>& incoming) {
  if (!incoming) return;  // Unknown: the item stays.
  if (own && SameValue(*own, *incoming)) return;
  own = incoming;
}

const Provenance& ProvOf(const domain::PersonName& n) { return n.provenance; }
const Provenance& ProvOf(const CoreItems& c) { return c.provenance; }
const Provenance& ProvOf(const domain::Address& a) { return a.provenance; }
const Provenance& ProvOf(const domain::EducationSetting& e) { return e.provenance; }
const Provenance& ProvOf(const domain::GpPractice& g) { return g.provenance; }

// The candidates for one kind of item: every source's held item, and the record's current one
// when its source holds none of this kind.
template <typename T>
std::vector<T> Candidates(const std::optional<T>& current, const std::vector<SourceItems>& held,
                          std::optional<T> SourceItems::*member) {
  std::vector<T> out;
  bool current_source_holds = false;
  for (const SourceItems& s : held) {
    const std::optional<T>& item = s.*member;
    if (!item) continue;
    out.push_back(*item);
    if (current && s.source == ProvOf(*current).source) current_source_holds = true;
  }
  if (current && !current_source_holds) out.push_back(*current);
  return out;
}

// The most recently updated candidate; ties go to `current`'s value, then to the smaller
// source code.
template <typename T>
std::optional<T> Newest(const std::vector<T>& candidates, const std::optional<T>& current) {
  std::optional<T> best;
  auto rank = [&](const T& c) {
    const bool is_current =
        current && SameValue(c, *current) && ProvOf(c).source == ProvOf(*current).source;
    return std::make_tuple(ProvOf(c).updated_at, is_current);
  };
  for (const T& c : candidates) {
    if (!best || rank(c) > rank(*best) ||
        (rank(c) == rank(*best) && ProvOf(c).source < ProvOf(*best).source)) {
      best = c;
    }
  }
  return best;
}

// Identity items: the shown item's source keeps it (its newest item); otherwise as Newest.
template <typename T>
std::optional<T> Owned(const std::vector<T>& candidates, const std::optional<T>& current) {
  if (!current) return Newest(candidates, current);
  std::vector<T> owners;
  for (const T& c : candidates) {
    if (ProvOf(c).source == ProvOf(*current).source) owners.push_back(c);
  }
  if (owners.empty()) return current;
  return Newest(owners, current);
}

json::object ProvJson(const Provenance& p) {
  return {{"source", p.source}, {"at", Micros(p.updated_at)}};
}

std::string Text(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return "";
  return std::string(v->as_string());
}

Result<Provenance> ProvFrom(const json::object& o, const std::string& source) {
  auto* at = o.if_contains("at");
  if (at == nullptr || !at->is_int64()) return Status::InvalidArgument("source items: no time");
  std::string from = Text(o, "source");
  return Provenance{from.empty() ? source : from, FromMicros(at->as_int64())};
}

Result<std::optional<Date>> OptionalDate(const json::object& o, std::string_view key) {
  std::string text = Text(o, key);
  if (text.empty()) return std::optional<Date>();
  CP_ASSIGN_OR_RETURN(Date d, Date::Parse(text));
  return std::optional<Date>(d);
}

}  // namespace

SourceItems SingularItemsOf(const domain::ChildRecord& r, const std::string& source) {
  SourceItems s;
  s.source = source;
  if (!r.name.family_name.empty() || !r.name.given_names.empty()) s.name = r.name;
  s.core = CoreItems{r.gender, r.date_of_birth, r.core_provenance};
  if (HasAddress(r.address)) s.address = r.address;
  s.education = r.education;
  s.gp = r.gp;
  return s;
}

SourceItems ItemsShownFrom(const domain::ChildRecord& r, const std::string& source) {
  SourceItems s;
  s.source = source;
  if (r.name.provenance.source == source) s.name = r.name;
  if (r.core_provenance.source == source) {
    s.core = CoreItems{r.gender, r.date_of_birth, r.core_provenance};
  }
  if (HasAddress(r.address) && r.address.provenance.source == source) s.address = r.address;
  if (r.education && r.education->provenance.source == source) s.education = r.education;
  if (r.gp && r.gp->provenance.source == source) s.gp = r.gp;
  return s;
}

SourceItems UpdateOwnItems(const SourceItems& before, const SourceItems& incoming) {
  SourceItems out = before;
  out.source = incoming.source;
  UpdateOne(out.name, incoming.name);
  UpdateOne(out.core, incoming.core);
  UpdateOne(out.address, incoming.address);
  UpdateOne(out.education, incoming.education);
  UpdateOne(out.gp, incoming.gp);
  return out;
}

std::string EncodeSourceItems(const SourceItems& s) {
  json::object o;
  o["v"] = 1;
  if (s.name) {
    o["name"] = {{"given_names", s.name->given_names},
                 {"family_name", s.name->family_name},
                 {"p", ProvJson(s.name->provenance)}};
  }
  if (s.core) {
    o["core"] = {{"gender", std::string(domain::GenderName(s.core->gender))},
                 {"date_of_birth", s.core->date_of_birth.ToString()},
                 {"p", ProvJson(s.core->provenance)}};
  }
  if (s.address) {
    o["address"] = {
        {"status", static_cast<int>(s.address->status)},
        {"line_1", s.address->line_1},
        {"line_2", s.address->line_2},
        {"town", s.address->town},
        {"postcode", s.address->postcode},
        {"intent_to_return",
         s.address->intent_to_return ? s.address->intent_to_return->ToString() : std::string()},
        {"p", ProvJson(s.address->provenance)}};
  }
  if (s.education) {
    o["education"] = {{"name", s.education->name},
                      {"start_date", s.education->start_date ? s.education->start_date->ToString()
                                                             : std::string()},
                      {"p", ProvJson(s.education->provenance)}};
  }
  if (s.gp) {
    o["gp"] = {{"name", s.gp->name}, {"phone", s.gp->phone}, {"p", ProvJson(s.gp->provenance)}};
  }
  return json::serialize(o);
}

Result<SourceItems> DecodeSourceItems(std::string_view text, const std::string& source) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Status::InvalidArgument("source items: not a JSON object");
  const json::object& o = v.as_object();
  SourceItems s;
  s.source = source;
  auto part = [&](std::string_view key) -> const json::object* {
    auto* p = o.if_contains(key);
    return p != nullptr && p->is_object() ? &p->as_object() : nullptr;
  };
  auto prov = [&](const json::object& item) -> Result<Provenance> {
    auto* p = item.if_contains("p");
    if (p == nullptr || !p->is_object()) return Status::InvalidArgument("source items: no time");
    return ProvFrom(p->as_object(), source);
  };
  if (const auto* n = part("name")) {
    CP_ASSIGN_OR_RETURN(Provenance p, prov(*n));
    s.name = domain::PersonName{Text(*n, "given_names"), Text(*n, "family_name"), p};
  }
  if (const auto* c = part("core")) {
    CP_ASSIGN_OR_RETURN(Provenance p, prov(*c));
    auto gender = domain::ParseGender(Text(*c, "gender"));
    CP_ASSIGN_OR_RETURN(Date dob, Date::Parse(Text(*c, "date_of_birth")));
    if (!gender) return Status::InvalidArgument("source items: bad gender");
    s.core = CoreItems{*gender, dob, p};
  }
  if (const auto* a = part("address")) {
    CP_ASSIGN_OR_RETURN(Provenance p, prov(*a));
    domain::Address address;
    auto* status = a->if_contains("status");
    if (status == nullptr || !status->is_int64() || status->as_int64() < 0 ||
        status->as_int64() > 3) {
      return Status::InvalidArgument("source items: bad address status");
    }
    address.status = static_cast<domain::AddressStatus>(status->as_int64());
    address.line_1 = Text(*a, "line_1");
    address.line_2 = Text(*a, "line_2");
    address.town = Text(*a, "town");
    address.postcode = Text(*a, "postcode");
    CP_ASSIGN_OR_RETURN(address.intent_to_return, OptionalDate(*a, "intent_to_return"));
    address.provenance = p;
    s.address = std::move(address);
  }
  if (const auto* e = part("education")) {
    CP_ASSIGN_OR_RETURN(Provenance p, prov(*e));
    CP_ASSIGN_OR_RETURN(std::optional<Date> start, OptionalDate(*e, "start_date"));
    s.education = domain::EducationSetting{Text(*e, "name"), start, p};
  }
  if (const auto* g = part("gp")) {
    CP_ASSIGN_OR_RETURN(Provenance p, prov(*g));
    s.gp = domain::GpPractice{Text(*g, "name"), Text(*g, "phone"), p};
  }
  return s;
}

void ChooseCurrentItems(domain::ChildRecord& r, const std::vector<SourceItems>& held) {
  // Identity items.
  std::optional<domain::PersonName> name;
  if (!r.name.family_name.empty() || !r.name.given_names.empty()) name = r.name;
  if (auto chosen = Owned(Candidates(name, held, &SourceItems::name), name)) r.name = *chosen;
  const std::optional<CoreItems> core = CoreItems{r.gender, r.date_of_birth, r.core_provenance};
  if (auto chosen = Owned(Candidates(core, held, &SourceItems::core), core)) {
    r.gender = chosen->gender;
    r.date_of_birth = chosen->date_of_birth;
    r.core_provenance = chosen->provenance;
  }
  // Contact items: the most recently updated.
  std::optional<domain::Address> address;
  if (HasAddress(r.address)) address = r.address;
  if (auto chosen = Newest(Candidates(address, held, &SourceItems::address), address)) {
    r.address = *chosen;
  }
  r.education = Newest(Candidates(r.education, held, &SourceItems::education), r.education);
  r.gp = Newest(Candidates(r.gp, held, &SourceItems::gp), r.gp);
}

void ForgetItemsOfSources(domain::ChildRecord& r, const domain::ChildRecord& fallback,
                          const std::vector<std::string>& sources) {
  auto gone = [&](const Provenance& p) {
    return std::find(sources.begin(), sources.end(), p.source) != sources.end();
  };
  if (gone(r.name.provenance)) r.name = fallback.name;
  if (gone(r.core_provenance)) {
    r.gender = fallback.gender;
    r.date_of_birth = fallback.date_of_birth;
    r.core_provenance = fallback.core_provenance;
  }
  if (HasAddress(r.address) && gone(r.address.provenance)) r.address = fallback.address;
  if (r.education && gone(r.education->provenance)) r.education = fallback.education;
  if (r.gp && gone(r.gp->provenance)) r.gp = fallback.gp;
}

}  // namespace cp::workflow
