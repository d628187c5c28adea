// ChildRecord: everything ContactPoint may hold about one child — the closed list of the
// Children Act 2004 Information Database Regulations, and nothing else (no case notes).
//
// THIS IS THE RAW RECORD. It carries fields that a shielded record hides (address, carers,
// school, GP, involvements, former and known-as names). It must never reach the presentation
// layers: `http`, `api` and `web` are compiled with CP_PRESENTATION_LAYER defined, and this
// header refuses to compile there. They see only the views made by the policy layer
// (policy/child_view.h).
#pragma once

#ifdef CP_PRESENTATION_LAYER
#error "domain/child_record.h is not reachable from http/api/web: use policy/child_view.h"
#endif

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "domain/gender.h"
#include "domain/retention.h"
#include "domain/uin.h"

namespace cp::domain {

// Where a data item came from and when it last changed. Every item carries one.
struct Provenance {
  std::string source;  // The data source's organisation code (or "manual:<username>").
  TimePoint updated_at;
  bool operator==(const Provenance&) const = default;
};

struct PersonName {
  std::string given_names;
  std::string family_name;
  Provenance provenance;
  bool operator==(const PersonName&) const = default;
};

enum class AddressStatus : uint8_t {
  kCurrent = 0,    // Current address.
  kLastKnown = 1,  // Last known address (the child may have moved).
  kNoKnownAddress = 2,
  kLeftEngland = 3,  // With an intent-to-return date, if known.
};

struct Address {
  AddressStatus status = AddressStatus::kNoKnownAddress;
  std::string line_1;
  std::string line_2;
  std::string town;
  std::string postcode;                  // Normalised "AB1 2CD".
  std::optional<Date> intent_to_return;  // Only with kLeftEngland.
  Provenance provenance;
  bool operator==(const Address&) const = default;
};

struct Carer {
  std::string name;
  std::string relationship;  // e.g. "mother", "foster carer", "grandparent".
  std::string phone;
  std::string email;
  Provenance provenance;
  bool operator==(const Carer&) const = default;
};

struct EducationSetting {
  std::string name;
  std::optional<Date> start_date;
  Provenance provenance;
  bool operator==(const EducationSetting&) const = default;
};

struct GpPractice {
  std::string name;
  std::string phone;
  Provenance provenance;
  bool operator==(const GpPractice&) const = default;
};

// The recorded basis for holding a sensitive service (sexual health, mental health, substance
// misuse). Without one the involvement is refused.
enum class SensitiveBasis : uint8_t { kNone = 0, kConsent = 1, kSuspectedSignificantHarm = 2 };

struct Involvement {
  int64_t id = 0;            // Assigned by the store.
  std::string service_type;  // A code from service_types.h.
  std::string practitioner;  // Name of the practitioner (or the team).
  std::string organisation;  // Name of the organisation providing the service.
  std::string phone;
  std::string email;
  std::optional<Date> start_date;
  std::optional<Date> end_date;
  bool lead_professional = false;
  bool caf_complete = false;  // A common assessment has been completed.
  SensitiveBasis sensitive_basis = SensitiveBasis::kNone;
  Provenance provenance;
  bool operator==(const Involvement&) const = default;
};

struct ChildRecord {
  int64_t id = 0;  // Store-internal key; never shown.
  Uin uin;
  PersonName name;  // Current given and family names.
  std::vector<PersonName> former_names;
  std::vector<PersonName> known_as;  // Known-as names (aliases in use).
  Gender gender = Gender::kNotKnown;
  Date date_of_birth;
  Provenance core_provenance;  // Of gender and date of birth.
  Address address;
  std::vector<Carer> carers;
  std::optional<EducationSetting> education;
  std::optional<GpPractice> gp;
  std::vector<Involvement> involvements;
  std::string responsible_authority;  // The local authority's organisation code.
  // Kept past 18 (to 25 at most) only with the young person's consent.
  bool extended_with_consent = false;
  // Shielded while any shield request is active or management has not yet decided (issue 4).
  bool shielded = false;
  // Live, archived or purged, with the dates (domain/retention.h). Changed only through
  // store::RetentionStore, never by ChildStore::Update.
  Retention retention;
  int64_t version = 0;
};

// The items of a record that every viewer with access may see (those of a shielded view),
// plus the flags a search result needs. Cheap to read: nothing in it is encrypted at rest.
struct ChildSummary {
  int64_t id = 0;
  Uin uin;
  std::string given_names;
  std::string family_name;
  Gender gender = Gender::kNotKnown;
  Date date_of_birth;
  bool shielded = false;
  std::string responsible_authority;
};

}  // namespace cp::domain
