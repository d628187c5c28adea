#include "app/synthetic_children.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "domain/child_validation.h"
#include "domain/service_types.h"
#include "search/synthetic.h"

namespace cp::app {

using domain::ChildRecord;
using domain::Provenance;

namespace {

template <size_t N>
std::string_view PickOf(const std::string_view (&options)[N], RandomSource& rng) {
  return options[rng.Uniform(N)];
}

bool Chance(RandomSource& rng, double p) { return rng.NextDouble() < p; }

// Fictional places and organisations (no real school, surgery or street is meant).
constexpr std::string_view kTownStems[] = {
    "Ash",  "Brack",  "Carl",   "Dun",  "Elm",   "Fern",   "Glen",  "Hawk", "Ivy",   "Kings",
    "Lark", "Marsh",  "Nether", "Oak",  "Pen",   "Quarry", "Raven", "Sand", "Thorn", "Upper",
    "Wick", "Yarrow", "Bright", "Cold", "Stone", "Willow", "Heron", "Merry"};
constexpr std::string_view kTownEnds[] = {"ford",    "bury",   "ton",   "field", "wick", "ley",
                                          "minster", "bridge", "worth", "dale",  "by",   "ham"};
constexpr std::string_view kStreetStems[] = {
    "Church",    "Station", "Victoria", "Mill",     "Park",     "Queen's", "King's",
    "Manor",     "Green",   "Orchard",  "Meadow",   "Chestnut", "Beech",   "Rowan",
    "Albert",    "Windsor", "Grange",   "Holly",    "Cedar",    "Spring",  "School",
    "Castle",    "Brook",   "Hawthorn", "Elm",      "Poplar",   "Linden",  "Riverside",
    "Highfield", "Clifton", "Newlands", "Primrose", "Bluebell", "Foxglove"};
constexpr std::string_view kStreetKinds[] = {"Road",  "Street", "Lane",     "Avenue",  "Close",
                                             "Drive", "Way",    "Crescent", "Gardens", "Terrace",
                                             "Grove", "Court",  "Place",    "Mews",    "Rise"};
constexpr std::string_view kSchoolStems[] = {
    "St Mary's",     "St John's",   "Holy Trinity", "Oakfield",  "Riverside",
    "Meadowbank",    "Greenacres",  "Hillside",     "Brookside", "Westfield",
    "Northgate",     "Springfield", "Ashgrove",     "Beechwood", "St Aidan's",
    "Christ Church", "Fairfield",   "Longmeadow",   "Parkside",  "Windmill"};
constexpr std::string_view kAreaLetters[] = {
    "B",  "BS", "CR", "E",  "L",  "LS", "M",  "N",  "NE", "NG", "S",  "SE", "SW", "W",
    "OX", "CB", "BD", "BN", "CV", "DE", "EX", "GL", "HU", "LE", "NR", "PE", "PL", "PO",
    "RG", "SO", "ST", "TS", "WF", "WV", "YO", "DN", "HD", "HX", "LN", "SK"};
// Letters used in the inward code of real postcodes (never C I K M O V).
constexpr std::string_view kInwardLetters = "ABDEFGHJLNPQRSTUWXYZ";

struct Organisation {
  std::string code;
  std::string name;
  std::string phone;
};

std::string Phone(RandomSource& rng, std::string_view prefix) {
  // Ofcom's ranges for drama: 01632 960xxx (landline) and 07700 900xxx (mobile).
  std::string n(prefix);
  const uint64_t tail = rng.Uniform(1000);
  n += static_cast<char>('0' + tail / 100);
  n += static_cast<char>('0' + tail / 10 % 10);
  n += static_cast<char>('0' + tail % 10);
  return n;
}

uint64_t UinKey(const domain::Uin& uin) {
  uint64_t k = 0;
  for (size_t i = 0; i < 10; ++i) k = k * 10 + static_cast<uint64_t>(uin.str()[i] - '0');
  return k;
}

domain::Gender ToDomain(search::Gender g) {
  switch (g) {
    case search::Gender::kMale:
      return domain::Gender::kMale;
    case search::Gender::kFemale:
      return domain::Gender::kFemale;
    case search::Gender::kNotSpecified:
      return domain::Gender::kNotSpecified;
    case search::Gender::kNotKnown:
      return domain::Gender::kNotKnown;
  }
  return domain::Gender::kNotKnown;
}

// The school year a child of `dob` starts reception in England (the September after they turn
// four; born 1 Sep - 31 Aug).
int ReceptionYear(Date dob) { return dob.year() + (dob.month() >= 9 ? 5 : 4); }

}  // namespace

// Per-authority places: towns, a postcode area, schools, early-years settings, GP practices
// and services.
struct SyntheticChildren::Authority {
  std::string code;
  std::vector<std::string> towns;
  std::string postcode_area;
  std::vector<Organisation> primaries;
  std::vector<Organisation> secondaries;
  std::vector<Organisation> nurseries;
  std::vector<Organisation> gps;
  std::string council;  // The council's name for its own services.
};

SyntheticChildren::SyntheticChildren(SyntheticOptions options)
    : options_(std::move(options)), rng_(options_.seed) {
  if (options_.authority_codes.empty()) options_.authority_codes.push_back("LA-SYNTHETIC");
  authorities_.resize(options_.authority_codes.size());
}

SyntheticChildren::~SyntheticChildren() = default;

const SyntheticChildren::Authority& SyntheticChildren::AuthorityFor(size_t index) {
  Authority& a = authorities_[index];
  if (!a.code.empty()) return a;
  // Built on first use from its own generator, so an authority's places depend only on the
  // seed and its position.
  SeededRandom rng(options_.seed * 0x9e3779b97f4a7c15ULL + index + 1);
  a.code = options_.authority_codes[index];
  for (int i = 0; i < 3; ++i) {
    a.towns.push_back(std::string(PickOf(kTownStems, rng)) + std::string(PickOf(kTownEnds, rng)));
  }
  a.council = a.towns[0] + " Council";
  a.postcode_area = std::string(kAreaLetters[index % std::size(kAreaLetters)]);
  auto org = [&](std::string_view kind, int n, std::string name) {
    Organisation o;
    o.code = std::string(kind) + "-" + a.code + "-" + std::to_string(n);
    o.name = std::move(name);
    o.phone = Phone(rng, "01632 960");
    return o;
  };
  for (int i = 0; i < 24; ++i) {
    a.primaries.push_back(org("SCH", i + 1,
                              std::string(PickOf(kSchoolStems, rng)) + " Primary School, " +
                                  a.towns[rng.Uniform(a.towns.size())]));
  }
  for (int i = 0; i < 6; ++i) {
    const std::string& town = a.towns[rng.Uniform(a.towns.size())];
    a.secondaries.push_back(
        org("SCH", 100 + i,
            i % 2 == 0 ? town + " Academy"
                       : std::string(PickOf(kSchoolStems, rng)) + " High School, " + town));
  }
  for (int i = 0; i < 8; ++i) {
    a.nurseries.push_back(org("EYS", i + 1,
                              std::string(PickOf(kStreetStems, rng)) + " Day Nursery, " +
                                  a.towns[rng.Uniform(a.towns.size())]));
  }
  for (int i = 0; i < 10; ++i) {
    const std::string& town = a.towns[rng.Uniform(a.towns.size())];
    a.gps.push_back(org("GP", i + 1,
                        i % 2 == 0 ? town + " Medical Centre"
                                   : std::string(PickOf(kStreetStems, rng)) + " Surgery, " + town));
  }
  return a;
}

domain::Uin SyntheticChildren::NextUin() {
  while (true) {
    domain::Uin uin = domain::Uin::Generate(rng_);
    if (uins_.insert(UinKey(uin)).second) return uin;
  }
}

std::vector<ChildRecord> SyntheticChildren::NextBatch(size_t n) {
  std::vector<ChildRecord> out;
  out.reserve(n);
  while (out.size() < n) {
    if (pending_.empty()) MakeHousehold();
    out.push_back(std::move(pending_.front()));
    pending_.pop_front();
  }
  return out;
}

void SyntheticChildren::MakeHousehold() {
  const Date today = options_.today;
  const TimePoint end_of_today = today.AddDays(1).StartOfDay();
  // A time in the last `days` days, not before `not_before`.
  auto recent = [&](int64_t days, Date not_before) {
    const TimePoint from = std::max(today.AddDays(-days).StartOfDay(), not_before.StartOfDay());
    const auto span = static_cast<uint64_t>((end_of_today - from).count());
    return from + Duration(static_cast<int64_t>(rng_.Uniform(std::max<uint64_t>(span, 1))));
  };
  auto names = [&] { return search::synthetic::MakeChild(options_.seed, name_key_++); };

  const Authority& la = AuthorityFor(rng_.Uniform(authorities_.size()));

  // Children in the household: 1 (45%), 2 (35%), 3 (14%), 4 (5%), 5 (1%).
  const uint64_t roll = rng_.Uniform(100);
  const int children = roll < 45 ? 1 : roll < 80 ? 2 : roll < 94 ? 3 : roll < 99 ? 4 : 5;
  const bool shielded = Chance(rng_, options_.shielded_fraction);

  // The address.
  domain::Address address;
  address.status =
      Chance(rng_, 0.97) ? domain::AddressStatus::kCurrent : domain::AddressStatus::kLastKnown;
  const std::string street =
      std::string(PickOf(kStreetStems, rng_)) + " " + std::string(PickOf(kStreetKinds, rng_));
  if (Chance(rng_, 0.2)) {
    address.line_1 = "Flat " + std::to_string(1 + rng_.Uniform(24)) + ", " +
                     std::to_string(1 + rng_.Uniform(120)) + " " + street;
  } else {
    address.line_1 = std::to_string(1 + rng_.Uniform(240)) + " " + street;
  }
  const std::string& town = la.towns[rng_.Uniform(la.towns.size())];
  if (Chance(rng_, 0.3)) address.line_2 = std::string(PickOf(kTownStems, rng_)) + " Estate";
  address.town = town;
  address.postcode = la.postcode_area + std::to_string(1 + rng_.Uniform(28)) + " " +
                     static_cast<char>('0' + rng_.Uniform(10)) +
                     kInwardLetters[rng_.Uniform(kInwardLetters.size())] +
                     kInwardLetters[rng_.Uniform(kInwardLetters.size())];
  const Organisation& gp = la.gps[rng_.Uniform(la.gps.size())];
  const bool has_gp = Chance(rng_, 0.96);
  address.provenance = {has_gp ? gp.code : la.code, recent(730, today.AddYears(-2))};

  // The carers.
  const search::IndexedChild first = names();
  const std::string family = first.family_name;
  std::vector<domain::Carer> carers;
  auto carer = [&](std::string relationship, bool same_family) {
    search::IndexedChild person = names();
    domain::Carer c;
    const std::string given = person.given_names.substr(0, person.given_names.find(' '));
    c.name = given + " " + (same_family ? family : person.family_name);
    c.relationship = std::move(relationship);
    if (Chance(rng_, 0.85)) c.phone = Phone(rng_, "07700 900");
    const bool ascii = std::all_of(c.name.begin(), c.name.end(), [](char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == ' ';
    });
    if (ascii && Chance(rng_, 0.4)) {
      std::string local;
      for (char ch : c.name) {
        local.push_back(ch == ' ' ? '.' : static_cast<char>(ch | 0x20));
      }
      c.email = local + "@example.com";
    }
    c.provenance = {la.code, recent(730, today.AddYears(-2))};
    carers.push_back(std::move(c));
  };
  const uint64_t kind = rng_.Uniform(100);
  bool fostered = false;
  if (kind < 58) {
    carer("mother", true);
    carer("father", Chance(rng_, 0.8));
  } else if (kind < 84) {
    carer("mother", true);
  } else if (kind < 90) {
    carer("father", true);
  } else if (kind < 95) {
    carer("grandmother", true);
    if (Chance(rng_, 0.5)) carer("grandfather", true);
  } else {
    carer("foster carer", true);
    if (Chance(rng_, 0.5)) carer("foster carer", true);
    fostered = true;
  }

  for (int k = 0; k < children; ++k) {
    const search::IndexedChild person = k == 0 ? first : names();
    ChildRecord r;
    r.uin = NextUin();
    r.responsible_authority = la.code;
    r.shielded = shielded;
    r.gender = ToDomain(person.gender);
    if (Chance(rng_, 0.004)) r.gender = domain::Gender::kNotSpecified;
    // Fostered children keep their own family names; siblings mostly share one.
    const bool own_family = fostered || Chance(rng_, 0.12);
    r.name.given_names = person.given_names;
    r.name.family_name = own_family ? person.family_name : family;
    // Ages 0-17: born after today - 18 years, not after today.
    const Date oldest = today.AddYears(-18).AddDays(1);
    r.date_of_birth = oldest.AddDays(static_cast<int64_t>(
        rng_.Uniform(static_cast<uint64_t>(today.days() - oldest.days() + 1))));
    const TimePoint registered = recent(365 * 18, r.date_of_birth);
    r.name.provenance = {la.code, registered};
    r.core_provenance = {la.code, registered};

    for (const search::AlternativeName& a : person.former_names) {
      r.former_names.push_back({a.given_names,
                                a.family_name.empty() ? r.name.family_name : a.family_name,
                                {la.code, recent(3650, r.date_of_birth)}});
    }
    for (const search::AlternativeName& a : person.known_as_names) {
      r.known_as.push_back({a.given_names,
                            a.family_name.empty() ? r.name.family_name : a.family_name,
                            {la.code, recent(730, r.date_of_birth)}});
    }

    r.address = address;
    r.carers = carers;
    if (has_gp)
      r.gp = domain::GpPractice{gp.name, gp.phone, {gp.code, recent(1825, r.date_of_birth)}};

    // Education: reception from the September after turning four; nursery for some younger.
    const int reception = ReceptionYear(r.date_of_birth);
    const int school_year = today.year() - reception - (today.month() >= 9 ? 0 : 1);
    if (school_year >= 0 && Chance(rng_, 0.97)) {
      const bool secondary = school_year >= 7;
      const auto& list = secondary ? la.secondaries : la.primaries;
      const Organisation& school = list[rng_.Uniform(list.size())];
      const int start_year = secondary ? reception + 7 : reception;
      auto start = Date::FromYmd(start_year, 9, 1 + static_cast<int>(rng_.Uniform(7)));
      domain::EducationSetting e{school.name, std::nullopt, {}};
      if (start.ok() && *start <= today) e.start_date = *start;
      e.provenance = {school.code, recent(365, r.date_of_birth)};
      r.education = std::move(e);
    } else if (r.date_of_birth.YearsUntil(today) >= 2 && Chance(rng_, 0.4)) {
      const Organisation& nursery = la.nurseries[rng_.Uniform(la.nurseries.size())];
      r.education =
          domain::EducationSetting{nursery.name,
                                   today.AddDays(-static_cast<int64_t>(rng_.Uniform(600))),
                                   {nursery.code, recent(365, r.date_of_birth)}};
      if (*r.education->start_date < r.date_of_birth) r.education->start_date = r.date_of_birth;
    }

    // Involvements: most children have none.
    const int age = r.date_of_birth.YearsUntil(today);
    const uint64_t inv = rng_.Uniform(100);
    const int involvements = fostered   ? 1 + static_cast<int>(rng_.Uniform(2))
                             : inv < 84 ? 0
                             : inv < 96 ? 1
                                        : 2;
    const auto types = domain::AllServiceTypes();
    for (int i = 0; i < involvements; ++i) {
      domain::ServiceType type = types[rng_.Uniform(types.size())];
      if (fostered && i == 0) type = *domain::FindServiceType("social_care");
      if (type.sensitive && age < 12) type = *domain::FindServiceType("family_support");
      domain::Involvement v;
      v.service_type = std::string(type.code);
      if (type.sensitive) {
        v.sensitive_basis = Chance(rng_, 0.85) ? domain::SensitiveBasis::kConsent
                                               : domain::SensitiveBasis::kSuspectedSignificantHarm;
      }
      const search::IndexedChild worker = names();
      v.practitioner =
          worker.given_names.substr(0, worker.given_names.find(' ')) + " " + worker.family_name;
      v.organisation = la.council + " " + std::string(type.label);
      if (Chance(rng_, 0.8)) v.phone = Phone(rng_, "01632 960");
      Date start = today.AddDays(-static_cast<int64_t>(rng_.Uniform(1000)));
      if (start < r.date_of_birth) start = r.date_of_birth;
      v.start_date = start;
      if (Chance(rng_, 0.3)) {
        v.end_date = start.AddDays(static_cast<int64_t>(
            rng_.Uniform(static_cast<uint64_t>(today.days() - start.days() + 1))));
      }
      v.lead_professional = i == 0 && Chance(rng_, 0.3);
      v.caf_complete = Chance(rng_, 0.25);
      v.provenance = {"SVC-" + la.code + "-" + std::string(type.code),
                      recent(365, r.date_of_birth)};
      r.involvements.push_back(std::move(v));
    }
    pending_.push_back(std::move(r));
  }
}

Status LoadSyntheticChildren(store::ChildStore& store, size_t n, SyntheticOptions options,
                             size_t batch) {
  if (batch == 0) batch = 1;
  const Date today = options.today;
  SyntheticChildren generator(std::move(options));
  size_t done = 0;
  while (done < n) {
    std::vector<ChildRecord> records = generator.NextBatch(std::min(batch, n - done));
    for (ChildRecord& r : records) {
      Status valid = domain::ValidateChildRecord(r, today);
      if (!valid.ok()) {
        return Status::Internal("synthetic child failed validation: " + valid.ToString());
      }
    }
    Status st = store.CreateBatch(records);
    // A UIN already stored by an earlier load: draw fresh ones for the clashing records.
    for (int attempt = 0;
         attempt < 5 && st.code() == StatusCode::kAlreadyExists && st.field() == "uin"; ++attempt) {
      for (ChildRecord& r : records) {
        auto existing = store.GetByUin(r.uin);
        if (existing.ok()) {
          r.uin = generator.NextUin();
        } else if (existing.status().code() != StatusCode::kNotFound) {
          return existing.status();
        }
      }
      st = store.CreateBatch(records);
    }
    CP_RETURN_IF_ERROR(st);
    done += records.size();
  }
  return Status::Ok();
}

}  // namespace cp::app
