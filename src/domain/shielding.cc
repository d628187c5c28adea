#include "domain/shielding.h"

#include <algorithm>

#include "domain/working_days.h"

namespace cp::domain {

const std::vector<CriterionInfo>& AllShieldCriteria() {
  // Appendix 2: "If this record is not shielded will it ..." The flowchart walks these in order.
  static const std::vector<CriterionInfo> kCriteria = {
      {ShieldCriterion::kChildAtRisk, "child_at_risk",
       "Place the child or young person at increased risk of significant harm?"},
      {ShieldCriterion::kPlacementAtRisk, "placement_at_risk",
       "Put the child's placement at risk (looked-after or adopted children)?"},
      {ShieldCriterion::kAdultAtRisk, "adult_at_risk",
       "Place an adult at risk of significant harm?"},
      {ShieldCriterion::kSeriousCrime, "serious_crime",
       "Prejudice the prevention or detection of a serious crime?"},
      {ShieldCriterion::kCohabitantAtRisk, "cohabitant_at_risk",
       "Place someone the child lives with at risk of significant harm?"},
  };
  return kCriteria;
}

std::string_view ShieldCriterionName(ShieldCriterion c) {
  for (const auto& info : AllShieldCriteria()) {
    if (info.criterion == c) return info.code;
  }
  return "unknown";
}

std::optional<ShieldCriterion> ParseShieldCriterion(std::string_view code) {
  for (const auto& info : AllShieldCriteria()) {
    if (info.code == code) return info.criterion;
  }
  return std::nullopt;
}

Result<std::vector<ShieldCriterion>> ParseShieldCriteria(const std::vector<std::string>& codes) {
  std::vector<ShieldCriterion> out;
  for (const std::string& code : codes) {
    auto c = ParseShieldCriterion(code);
    if (!c)
      return Status::InvalidArgument("Unknown shielding criterion '" + code.substr(0, 40) + "'",
                                     "criteria");
    if (std::find(out.begin(), out.end(), *c) != out.end()) {
      return Status::InvalidArgument("A shielding criterion is repeated", "criteria");
    }
    out.push_back(*c);
  }
  return out;
}

const std::vector<ShieldCategory>& AllShieldCategories() {
  // The leaflet's list of the kind of cases where shielding may be appropriate.
  static const std::vector<ShieldCategory> kCategories = {
      {"domestic_violence", "Domestic violence, including the family domestic violence court"},
      {"adoption_fostering", "Adoption and fostering"},
      {"witness_protection", "Witness protection or new identity"},
      {"forced_marriage", "Forced marriage or honour-based violence"},
      {"trafficking", "Trafficking or prostitution"},
      {"refuge", "Refuge or safe house"},
      {"lac_emergency_placement", "Looked-after children: emergency placements"},
      {"serious_sexual_assault", "Serious sexual assault (victim or alleged perpetrator)"},
      {"murder_suspect", "Murder or manslaughter suspects under 18"},
      {"abduction_risk", "Risk of abduction"},
      {"child_protection_lado", "Child protection or LADO cases"},
      {"vulnerable_professional", "Children of vulnerable practitioners or professionals"},
      {"marac", "MARAC (multi-agency risk assessment conference)"},
      {"cafcass", "CAFCASS (Children and Family Court Advisory and Support Service)"},
      {"serious_case_review", "Serious case review"},
      {"political_asylum", "Political or asylum cases where children may be at risk"},
      {"public_profile", "A parent's high public profile places the child at risk"},
      {"military", "Children of military personnel"},
      {"sibling_family", "Siblings or family members of the above"},
      {"other", "Any other circumstance that places a child or family at risk of significant harm"},
  };
  return kCategories;
}

bool IsShieldCategory(std::string_view code) {
  for (const auto& c : AllShieldCategories()) {
    if (c.code == code) return true;
  }
  return false;
}

std::string_view LogActionName(LogAction a) {
  switch (a) {
    case LogAction::kShieldApplied:
      return "shield_applied";
    case LogAction::kPossibleMatchShielded:
      return "possible_match_shielded";
    case LogAction::kNewRecordShielded:
      return "new_record_shielded";
    case LogAction::kAdditionalRequest:
      return "additional_request";
    case LogAction::kRejected:
      return "rejected";
  }
  return "unknown";
}

std::optional<LogAction> LogActionFromInt(int64_t v) {
  if (v < 1 || v > 5) return std::nullopt;
  return static_cast<LogAction>(v);
}

namespace {
constexpr std::string_view kSourceNames[] = {"user",        "practitioner",       "telephone",
                                             "co_resident", "possible_duplicate", "import"};
constexpr std::string_view kStatusNames[] = {"pending",  "active", "withdrawn",
                                             "rejected", "lapsed", "closed"};
}  // namespace

std::string_view ShieldSourceName(ShieldSource s) { return kSourceNames[static_cast<size_t>(s)]; }
std::optional<ShieldSource> ParseShieldSource(std::string_view name) {
  for (size_t i = 0; i < std::size(kSourceNames); ++i) {
    if (kSourceNames[i] == name) return static_cast<ShieldSource>(i);
  }
  return std::nullopt;
}

std::string_view RequestStatusName(RequestStatus s) { return kStatusNames[static_cast<size_t>(s)]; }
std::optional<RequestStatus> ParseRequestStatus(std::string_view name) {
  for (size_t i = 0; i < std::size(kStatusNames); ++i) {
    if (kStatusNames[i] == name) return static_cast<RequestStatus>(i);
  }
  return std::nullopt;
}

std::string_view ReviewOutcomeName(ReviewOutcome o) {
  return o == ReviewOutcome::kContinue ? "continue" : "unshield_recommended";
}
std::optional<ReviewOutcome> ParseReviewOutcome(std::string_view name) {
  if (name == "continue") return ReviewOutcome::kContinue;
  if (name == "unshield_recommended") return ReviewOutcome::kUnshieldRecommended;
  return std::nullopt;
}

Date FirstReviewDue(Date requested, bool pre_go_live) {
  return pre_go_live ? requested.AddMonths(6) : requested.AddDays(7);
}

Date NextReviewDue(Date completed) { return completed.AddMonths(6); }

Date TelephoneFormDue(Date called) { return AddWorkingDays(called, 7); }

bool TelephoneFormLate(const ShieldRequest& request, Date today) {
  return request.telephone && request.status == RequestStatus::kActive &&
         !request.form_received.has_value() && request.form_due.has_value() &&
         today > *request.form_due;
}

bool IsAppealOutcome(std::string_view outcome) {
  return outcome == "upheld" || outcome == "not_upheld" || outcome == "withdrawn";
}

Status ValidateDocument(std::string_view content_type, std::string_view bytes) {
  std::string_view magic;
  if (content_type == "application/pdf") {
    magic = "%PDF-";
  } else if (content_type == "image/png") {
    magic = std::string_view("\x89PNG\r\n\x1a\n", 8);
  } else if (content_type == "image/jpeg") {
    magic = "\xFF\xD8\xFF";
  } else {
    return Status::InvalidArgument("A supporting document must be a PDF, PNG or JPEG file",
                                   "content_type");
  }
  if (bytes.empty()) return Status::InvalidArgument("The document is empty", "document");
  if (bytes.size() > kMaxDocumentBytes) {
    return Status::InvalidArgument("A supporting document may be at most 5 MB", "document");
  }
  if (bytes.substr(0, magic.size()) != magic) {
    return Status::InvalidArgument("The file's content is not of the type it claims to be",
                                   "document");
  }
  return Status::Ok();
}

std::string CsvField(std::string_view text) {
  std::string value;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r')) {
    value = "'";
  }
  value.append(text);
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string ShieldingLogCsv(const std::vector<LogEntry>& entries) {
  std::string out =
      "uin,action,category,date,requester_contact,relationship,confirmation_sent,comments\r\n";
  for (const LogEntry& e : entries) {
    out += CsvField(e.uin) + ",";
    out += std::to_string(static_cast<int>(e.action)) + ",";
    out += CsvField(e.category) + ",";
    out += e.date.ToString() + ",";
    out += CsvField(e.requester_contact) + ",";
    out += CsvField(e.relationship) + ",";
    out += (e.confirmation_sent ? e.confirmation_sent->ToString() : std::string()) + ",";
    out += CsvField(e.comments) + "\r\n";
  }
  return out;
}

}  // namespace cp::domain
