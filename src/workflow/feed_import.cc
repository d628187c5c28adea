#include "workflow/feed_import.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstring>
#include <span>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/parallel_for.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "domain/child_record.h"
#include "domain/child_validation.h"
#include "domain/service_types.h"
#include "store/child_store.h"
#include "store/feed_store.h"
#include "workflow/shielding_service.h"
#include "workflow/source_items.h"

namespace cp::workflow {

using domain::ChildRecord;

// ---------------------------------------------------------------------------------------------
// Columns.
// ---------------------------------------------------------------------------------------------

namespace {

using RowMember = std::string FeedRow::*;
using InvolvementMember = std::string InvolvementRow::*;

const std::vector<std::pair<std::string, RowMember>>& RowMembers() {
  static const auto* members = new std::vector<std::pair<std::string, RowMember>>{
      {"source_ref", &FeedRow::source_ref},
      {"given_names", &FeedRow::given_names},
      {"family_name", &FeedRow::family_name},
      {"other_names", &FeedRow::other_names},
      {"gender", &FeedRow::gender},
      {"date_of_birth", &FeedRow::date_of_birth},
      {"address_line_1", &FeedRow::address_line_1},
      {"address_line_2", &FeedRow::address_line_2},
      {"town", &FeedRow::town},
      {"postcode", &FeedRow::postcode},
      {"school", &FeedRow::school},
      {"school_start_date", &FeedRow::school_start_date},
      {"gp_practice", &FeedRow::gp_practice},
      {"carer_1_name", &FeedRow::carer_1_name},
      {"carer_1_relationship", &FeedRow::carer_1_relationship},
      {"carer_1_phone", &FeedRow::carer_1_phone},
      {"carer_2_name", &FeedRow::carer_2_name},
      {"carer_2_relationship", &FeedRow::carer_2_relationship},
      {"carer_2_phone", &FeedRow::carer_2_phone},
  };
  return *members;
}

const std::vector<std::pair<std::string, InvolvementMember>>& InvolvementMembers() {
  static const auto* members = new std::vector<std::pair<std::string, InvolvementMember>>{
      {"source_ref", &InvolvementRow::source_ref},
      {"uin", &InvolvementRow::uin},
      {"service_type", &InvolvementRow::service_type},
      {"practitioner", &InvolvementRow::practitioner},
      {"organisation", &InvolvementRow::organisation},
      {"phone", &InvolvementRow::phone},
      {"email", &InvolvementRow::email},
      {"start_date", &InvolvementRow::start_date},
      {"end_date", &InvolvementRow::end_date},
      {"lead_professional", &InvolvementRow::lead_professional},
      {"caf_complete", &InvolvementRow::caf_complete},
      {"sensitive_basis", &InvolvementRow::sensitive_basis},
  };
  return *members;
}

template <typename Members>
std::vector<std::string> NamesOf(const Members& members) {
  std::vector<std::string> names;
  for (const auto& [name, member] : members) names.push_back(name);
  return names;
}

}  // namespace

const std::vector<std::string>& FeedColumns() {
  static const auto* columns = new std::vector<std::string>(NamesOf(RowMembers()));
  return *columns;
}

std::string* FeedField(FeedRow& row, std::string_view column) {
  for (const auto& [name, member] : RowMembers()) {
    if (name == column) return &(row.*member);
  }
  return nullptr;
}

const std::string& FeedField(const FeedRow& row, size_t column_index) {
  return row.*(RowMembers().at(column_index).second);
}

const std::vector<std::string>& InvolvementColumns() {
  static const auto* columns = new std::vector<std::string>(NamesOf(InvolvementMembers()));
  return *columns;
}

std::string* InvolvementField(InvolvementRow& row, std::string_view column) {
  for (const auto& [name, member] : InvolvementMembers()) {
    if (name == column) return &(row.*member);
  }
  return nullptr;
}

std::string_view RowOutcomeName(RowOutcome outcome) {
  switch (outcome) {
    case RowOutcome::kCreated:
      return "created";
    case RowOutcome::kUpdated:
      return "updated";
    case RowOutcome::kMatched:
      return "matched";
    case RowOutcome::kPossibleDuplicate:
      return "possible_duplicate";
    case RowOutcome::kRejected:
      return "rejected";
  }
  return "rejected";
}

void ImportCounts::Add(const RowResult& r) {
  switch (r.outcome) {
    case RowOutcome::kCreated:
      ++created;
      break;
    case RowOutcome::kUpdated:
      ++updated;
      break;
    case RowOutcome::kMatched:
      ++matched;
      break;
    case RowOutcome::kPossibleDuplicate:
      ++possible_duplicate;
      break;
    case RowOutcome::kRejected:
      ++rejected;
      break;
  }
  if (r.reason == "unchanged") ++unchanged;
}

void ImportCounts::Add(const ImportCounts& o) {
  created += o.created;
  updated += o.updated;
  matched += o.matched;
  possible_duplicate += o.possible_duplicate;
  rejected += o.rejected;
  unchanged += o.unchanged;
  shielded_on_create += o.shielded_on_create;
}

// ---------------------------------------------------------------------------------------------
// Rows to records.
// ---------------------------------------------------------------------------------------------

namespace {

constexpr std::string_view kUnchanged = "unchanged";
constexpr size_t kMaxRefLength = 100;

// The validator names nested fields ("address.postcode", "carers[1].name"); a feed's sender
// knows its columns.
std::string ColumnOf(std::string_view field) {
  static const std::vector<std::pair<std::string_view, std::string_view>> kMap = {
      {"address.line_1", "address_line_1"},
      {"address.line_2", "address_line_2"},
      {"address.town", "town"},
      {"address.postcode", "postcode"},
      {"education.name", "school"},
      {"education.start_date", "school_start_date"},
      {"gp.name", "gp_practice"},
      {"gp.phone", "gp_practice"},
  };
  for (const auto& [from, to] : kMap) {
    if (field == from) return std::string(to);
  }
  if (field.rfind("carers[", 0) == 0 && field.size() > 10) {
    const char n = field[7];
    const auto dot = field.find("].");
    if (dot != std::string_view::npos && n >= '0' && n <= '1') {
      return "carer_" + std::string(1, static_cast<char>(n + 1)) + "_" +
             std::string(field.substr(dot + 2));
    }
  }
  if (field.rfind("known_as", 0) == 0 || field.rfind("former_names", 0) == 0) {
    return "other_names";
  }
  return std::string(field);
}

std::string Reason(const Status& status) {
  std::string column = ColumnOf(status.field());
  if (column.empty()) return status.message();
  return column + ": " + status.message();
}

Status Invalid(std::string_view field, std::string message) {
  return Status::InvalidArgument(std::move(message), std::string(field));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

Result<std::optional<Date>> OptionalDate(const std::string& text, std::string_view field) {
  if (text.empty()) return std::optional<Date>();
  auto d = Date::Parse(text, field);
  if (!d.ok()) return Invalid(field, "must be a date YYYY-MM-DD");
  return std::optional<Date>(*d);
}

// The record a row describes, every item with the source's provenance, validated.
Result<ChildRecord> RecordFromRow(const FeedRow& row, const FeedSource& source, TimePoint now,
                                  Date today) {
  if (row.source_ref.empty()) return Invalid("source_ref", "is required");
  if (row.source_ref.size() > kMaxRefLength) {
    return Invalid("source_ref", "must be at most 100 characters");
  }
  for (char c : row.source_ref) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return Invalid("source_ref", "must not hold control characters");
    }
  }
  const domain::Provenance prov{source.code, now};
  ChildRecord r;
  r.name = {row.given_names, row.family_name, prov};
  if (row.gender.empty()) {
    r.gender = domain::Gender::kNotKnown;
  } else {
    auto g = domain::ParseGender(row.gender);
    if (!g) return Invalid("gender", "must be male, female, not_known or not_specified");
    r.gender = *g;
  }
  if (row.date_of_birth.empty()) return Invalid("date_of_birth", "is required");
  CP_ASSIGN_OR_RETURN(auto dob, OptionalDate(row.date_of_birth, "date_of_birth"));
  r.date_of_birth = *dob;
  r.core_provenance = prov;
  if (!row.other_names.empty()) {
    std::string_view rest = row.other_names;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      std::string_view one = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      if (one.empty()) continue;
      const size_t space = one.rfind(' ');
      domain::PersonName name;
      name.family_name = std::string(space == std::string_view::npos ? one : one.substr(space + 1));
      if (space != std::string_view::npos)
        name.given_names = std::string(Trim(one.substr(0, space)));
      name.provenance = prov;
      r.known_as.push_back(std::move(name));
    }
  }
  if (!row.address_line_1.empty() || !row.address_line_2.empty() || !row.town.empty() ||
      !row.postcode.empty()) {
    r.address.status = domain::AddressStatus::kCurrent;
    r.address.line_1 = row.address_line_1;
    r.address.line_2 = row.address_line_2;
    r.address.town = row.town;
    r.address.postcode = row.postcode;
    r.address.provenance = prov;
  }
  CP_ASSIGN_OR_RETURN(auto school_start, OptionalDate(row.school_start_date, "school_start_date"));
  if (!row.school.empty()) {
    r.education = domain::EducationSetting{row.school, school_start, prov};
  } else if (school_start) {
    return Invalid("school_start_date", "needs the school");
  }
  if (!row.gp_practice.empty()) r.gp = domain::GpPractice{row.gp_practice, "", prov};
  const std::string* carers[2][3] = {
      {&row.carer_1_name, &row.carer_1_relationship, &row.carer_1_phone},
      {&row.carer_2_name, &row.carer_2_relationship, &row.carer_2_phone}};
  for (const auto& c : carers) {
    if (c[0]->empty() && c[1]->empty() && c[2]->empty()) continue;
    r.carers.push_back(domain::Carer{*c[0], *c[1], *c[2], "", prov});
  }
  r.responsible_authority = source.authority;
  CP_RETURN_IF_ERROR(domain::ValidateChildRecord(r, today));
  return r;
}

linkage::MatchInput InputOf(const ChildRecord& r) {
  linkage::MatchInput in;
  in.given_names = r.name.given_names;
  in.family_name = r.name.family_name;
  for (const auto* list : {&r.former_names, &r.known_as}) {
    for (const auto& n : *list) {
      in.other_names.push_back(n.given_names.empty() ? n.family_name
                                                     : n.given_names + " " + n.family_name);
    }
  }
  in.gender = r.gender;
  in.date_of_birth = r.date_of_birth;
  if (r.address.status == domain::AddressStatus::kCurrent ||
      r.address.status == domain::AddressStatus::kLastKnown) {
    in.postcode = r.address.postcode;
    in.address =
        r.address.line_2.empty() ? r.address.line_1 : r.address.line_1 + ", " + r.address.line_2;
    in.town = r.address.town;
  }
  for (const auto& c : r.carers) in.carer_names.push_back(c.name);
  return in;
}

// Equal but for when the item was last written.
template <typename T>
bool SameItem(const T& a, const T& b) {
  T copy = b;
  copy.provenance.updated_at = a.provenance.updated_at;
  return a == copy;
}

template <typename T>
bool SameItems(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!SameItem(a[i], b[i])) return false;
  }
  return true;
}

// Replaces `source`'s items in `list` by `incoming` (all of the source), keeping the others'
// and the times of unchanged items.
template <typename T>
void ReplaceOwn(std::vector<T>& list, const std::vector<T>& incoming, const std::string& source) {
  std::vector<T> own;
  std::vector<T> kept;
  for (const T& item : list) (item.provenance.source == source ? own : kept).push_back(item);
  if (SameItems(own, incoming)) return;
  kept.insert(kept.end(), incoming.begin(), incoming.end());
  list = std::move(kept);
}

template <typename T>
void SetSingular(T& current, const T& incoming, bool current_absent, const std::string& source) {
  if (!current_absent && current.provenance.source != source) return;  // Another source's.
  if (!current_absent && SameItem(current, incoming)) return;
  current = incoming;
}

// `existing` with `source`'s items from `incoming` (see the header: per-source items).
ChildRecord ApplySourceItems(const ChildRecord& existing, const ChildRecord& incoming,
                             const std::string& source) {
  ChildRecord r = existing;
  SetSingular(r.name, incoming.name, r.name.family_name.empty(), source);
  if (r.core_provenance.source == source &&
      (r.gender != incoming.gender || r.date_of_birth != incoming.date_of_birth)) {
    r.gender = incoming.gender;
    r.date_of_birth = incoming.date_of_birth;
    r.core_provenance = incoming.core_provenance;
  }
  if (incoming.address.status != domain::AddressStatus::kNoKnownAddress) {
    SetSingular(r.address, incoming.address,
                r.address.status == domain::AddressStatus::kNoKnownAddress, source);
  }
  if (incoming.education) {
    if (!r.education) {
      r.education = incoming.education;
    } else {
      SetSingular(*r.education, *incoming.education, false, source);
    }
  }
  if (incoming.gp) {
    if (!r.gp) {
      r.gp = incoming.gp;
    } else {
      SetSingular(*r.gp, *incoming.gp, false, source);
    }
  }
  if (!incoming.known_as.empty()) ReplaceOwn(r.known_as, incoming.known_as, source);
  if (!incoming.carers.empty()) ReplaceOwn(r.carers, incoming.carers, source);
  return r;
}

// True if the items a records feed may change are equal (ApplySourceItems changes nothing
// else).
bool SameFeedItems(const ChildRecord& a, const ChildRecord& b) {
  return a.name == b.name && a.gender == b.gender && a.date_of_birth == b.date_of_birth &&
         a.core_provenance == b.core_provenance && a.address == b.address &&
         a.known_as == b.known_as && a.carers == b.carers && a.education == b.education &&
         a.gp == b.gp;
}

// The items `source` held on `r`, as JSON (the history of superseded items).
std::string SourceItemsJson(const ChildRecord& r, const std::string& source) {
  boost::json::object o;
  if (r.name.provenance.source == source) {
    o["given_names"] = r.name.given_names;
    o["family_name"] = r.name.family_name;
  }
  if (r.core_provenance.source == source) {
    o["gender"] = std::string(domain::GenderName(r.gender));
    o["date_of_birth"] = r.date_of_birth.ToString();
  }
  if (r.address.status != domain::AddressStatus::kNoKnownAddress &&
      r.address.provenance.source == source) {
    o["address_line_1"] = r.address.line_1;
    o["address_line_2"] = r.address.line_2;
    o["town"] = r.address.town;
    o["postcode"] = r.address.postcode;
  }
  if (r.education && r.education->provenance.source == source) {
    o["school"] = r.education->name;
    o["school_start_date"] =
        r.education->start_date ? r.education->start_date->ToString() : std::string();
  }
  if (r.gp && r.gp->provenance.source == source) o["gp_practice"] = r.gp->name;
  boost::json::array names;
  for (const auto& n : r.known_as) {
    if (n.provenance.source == source)
      names.push_back({{"given_names", n.given_names}, {"family_name", n.family_name}});
  }
  if (!names.empty()) o["other_names"] = std::move(names);
  boost::json::array carers;
  for (const auto& c : r.carers) {
    if (c.provenance.source == source) {
      carers.push_back({{"name", c.name}, {"relationship", c.relationship}, {"phone", c.phone}});
    }
  }
  if (!carers.empty()) o["carers"] = std::move(carers);
  boost::json::array involvements;
  for (const auto& v : r.involvements) {
    if (v.provenance.source == source) {
      involvements.push_back({{"service_type", v.service_type},
                              {"practitioner", v.practitioner},
                              {"organisation", v.organisation}});
    }
  }
  if (!involvements.empty()) o["involvements"] = std::move(involvements);
  return boost::json::serialize(o);
}

// Serves `source`'s random bytes from a buffer refilled 4 KiB at a time, so that drawing a UIN
// for every new row (ten Uniform calls) costs no system call each. Consumed bytes are wiped.
// Not thread-safe; lives for one import call.
class BufferedRandom final : public RandomSource {
 public:
  explicit BufferedRandom(RandomSource& source) : source_(source) {}
  ~BufferedRandom() override { std::fill(buffer_.begin(), buffer_.end(), uint8_t{0}); }
  BufferedRandom(const BufferedRandom&) = delete;
  BufferedRandom& operator=(const BufferedRandom&) = delete;

  void Fill(std::span<uint8_t> out) override {
    size_t done = 0;
    while (done < out.size()) {
      if (used_ == buffer_.size()) {
        source_.Fill(buffer_);
        used_ = 0;
      }
      const size_t n = std::min(out.size() - done, buffer_.size() - used_);
      std::memcpy(out.data() + done, buffer_.data() + used_, n);
      std::memset(buffer_.data() + used_, 0, n);
      used_ += n;
      done += n;
    }
  }

 private:
  RandomSource& source_;
  std::array<uint8_t, 4096> buffer_{};
  size_t used_ = 4096;
};

std::string RowDigest(const std::string& key, const FeedRow& row) {
  std::string text = "feed-row-v1";
  for (size_t i = 0; i < FeedColumns().size(); ++i) {
    text.push_back('\x1f');
    text += FeedField(row, i);
  }
  return crypto::HexEncode(crypto::HmacSha256(key, text)).substr(0, 32);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The importer.
// ---------------------------------------------------------------------------------------------

// A row after validation (and, for an unknown reference, classification).
struct FeedImporter::Prepared {
  Status status;
  ChildRecord record;
  linkage::MatchInput input;
  std::string digest;
  bool classified = false;
  linkage::MatchResult match;
};

// The transaction being built, and what each of its entries means for the report.
struct FeedImporter::Plan {
  store::FeedBatch batch;
  std::vector<size_t> created_rows;  // Row index of each batch.created entry.
  std::vector<size_t> update_rows;   // Row index of each batch.updates entry.
  std::vector<linkage::MatchInput> created_inputs;
  std::unordered_set<int64_t> touched;      // Records updated in this batch.
  std::unordered_set<std::string> refs;     // References written in this batch.
  std::unordered_set<std::string> uins;     // UINs drawn in this batch.
  std::unique_ptr<linkage::Matcher> local;  // This batch's new rows (ids -1, -2, ...).
  std::vector<RowResult> pending;           // Results of planned rows, by batch entry.
  ImportCounts counts;                      // Of the rows planned since the last flush.
  int generation = 0;                       // Bumped by every flush.
  bool empty() const { return batch.created.empty() && batch.updates.empty(); }
};

FeedImporter::FeedImporter(store::ChildStore& children, store::FeedStore& feeds,
                           ShieldingService& shielding, MatcherFactory make_matcher,
                           audit::AuditSink& audit, const Clock& clock, RandomSource& random,
                           std::string digest_key)
    : children_(children),
      feeds_(feeds),
      shielding_(shielding),
      make_matcher_(std::move(make_matcher)),
      matcher_(make_matcher_()),
      audit_(audit),
      clock_(clock),
      random_(random),
      digest_key_(std::move(digest_key)) {}

FeedImporter::~FeedImporter() = default;

size_t FeedImporter::PopulationSize() const { return matcher_->Size(); }

Result<size_t> FeedImporter::LoadPopulation() {
  std::lock_guard<std::mutex> lock(mu_);
  return LoadLocked();
}

Result<size_t> FeedImporter::LoadLocked() {
  CP_ASSIGN_OR_RETURN(change_seq_, children_.LatestChangeSequence());
  CP_RETURN_IF_ERROR(children_.ScanAll([&](const ChildRecord& r) -> Status {
    matcher_->Add(r.id, InputOf(r));
    return Status::Ok();
  }));
  loaded_ = true;
  CP_RETURN_IF_ERROR(CatchUp());
  return matcher_->Size();
}

Status FeedImporter::CatchUp(const std::unordered_set<int64_t>* skip) {
  constexpr size_t kPage = 8192;
  while (true) {
    CP_ASSIGN_OR_RETURN(store::ChildStore::Changes changes,
                        children_.ChangesSince(change_seq_, kPage));
    std::unordered_set<int64_t> seen;
    for (int64_t id : changes.child_ids) {
      if (!seen.insert(id).second || (skip != nullptr && skip->contains(id))) continue;
      auto r = children_.Get(id);
      if (r.ok()) {
        matcher_->Add(id, InputOf(*r));
      } else if (r.status().code() == StatusCode::kNotFound) {
        matcher_->Remove(id);  // Merged away, purged.
      } else {
        return r.status();
      }
    }
    if (changes.child_ids.empty()) return Status::Ok();
    change_seq_ = changes.last_sequence;
    if (changes.child_ids.size() < kPage) return Status::Ok();
  }
}

Status FeedImporter::AuditBatch(const Actor& actor, const FeedSource& source,
                                std::string_view action, const ImportCounts& c) {
  audit::AuditEvent event;
  event.actor = actor.system ? "system" : actor.username;
  event.organisation = actor.organisation_code;
  event.action = std::string(action);
  event.target = "source:" + source.code;
  event.outcome = "success";
  event.request_id = actor.request_id;
  event.client_address = actor.client_address;
  boost::json::object details{{"created", c.created},
                              {"updated", c.updated},
                              {"matched", c.matched},
                              {"possible_duplicate", c.possible_duplicate},
                              {"rejected", c.rejected},
                              {"unchanged", c.unchanged},
                              {"shielded_on_create", c.shielded_on_create}};
  event.details_json = boost::json::serialize(details);
  if (!audit_.Record(event).ok()) return Status::Unavailable("The audit trail cannot be written");
  return Status::Ok();
}

Status FeedImporter::Flush(const Actor& actor, const FeedSource& source, Plan& plan,
                           std::vector<RowResult>& results) {
  if (plan.empty()) {
    plan.counts = {};
    return Status::Ok();
  }
  CP_RETURN_IF_ERROR(AuditBatch(actor, source, "feed.import_batch", plan.counts));
  auto committed = feeds_.Commit(plan.batch);
  if (!committed.ok()) return committed.status();
  // The matcher learns the batch; the change feed entries it made are skipped by CatchUp
  // (re-adding them would be harmless but slow).
  for (size_t i = 0; i < plan.batch.created.size(); ++i) {
    const int64_t id = committed->created_ids[i];
    matcher_->Add(id, plan.created_inputs[i]);
  }
  for (const auto& u : plan.batch.updates) {
    if (u.record_changed) matcher_->Add(u.record.id, InputOf(u.record));
  }
  for (size_t i = 0; i < plan.created_rows.size(); ++i) {
    results[plan.created_rows[i]].uin = plan.batch.created[i].record.uin.str();
  }
  std::unordered_set<int64_t> ours(committed->created_ids.begin(), committed->created_ids.end());
  for (const auto& u : plan.batch.updates) ours.insert(u.record.id);
  CP_RETURN_IF_ERROR(CatchUp(&ours));
  plan.batch = {};
  plan.created_rows.clear();
  plan.update_rows.clear();
  plan.created_inputs.clear();
  plan.touched.clear();
  plan.refs.clear();
  plan.uins.clear();
  plan.local = make_matcher_();
  plan.counts = {};
  ++plan.generation;
  return Status::Ok();
}

Result<ImportCounts> FeedImporter::ImportRecords(const Actor& actor, const FeedSource& source,
                                                 const std::vector<FeedRow>& rows,
                                                 std::vector<RowResult>& results) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!loaded_) {
    CP_RETURN_IF_ERROR(LoadLocked().status());
  } else {
    CP_RETURN_IF_ERROR(CatchUp());
  }
  const TimePoint now = clock_.Now();
  const Date today = Date::FromTime(now);
  results.assign(rows.size(), RowResult{});

  // 1. Validate every row (in parallel: each row on its own) and find the known references.
  std::vector<Prepared> prepared(rows.size());
  ParallelFor(rows.size(), [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      auto record = RecordFromRow(rows[i], source, now, today);
      if (!record.ok()) {
        prepared[i].status = record.status();
        continue;
      }
      prepared[i].record = std::move(*record);
      prepared[i].input = InputOf(prepared[i].record);
      prepared[i].digest = RowDigest(digest_key_, rows[i]);
    }
  });
  std::vector<std::string> refs;
  refs.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    results[i].source_ref = rows[i].source_ref;
    if (prepared[i].status.ok()) refs.push_back(rows[i].source_ref);
  }
  CP_ASSIGN_OR_RETURN(auto known, feeds_.FindRefs(source.code, refs));

  // 2. Classify the rows with an unknown reference against the directory (in parallel: the
  // matcher is not changed until step 3).
  std::vector<size_t> to_classify;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (prepared[i].status.ok() && !known.contains(rows[i].source_ref)) to_classify.push_back(i);
  }
  ParallelFor(to_classify.size(), [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) {
      Prepared& p = prepared[to_classify[k]];
      // Normalised once here (in parallel) for this Classify, the batch's own matcher and the
      // directory's matcher once the row is stored.
      matcher_->PrepareInput(p.input);
      p.match = matcher_->Classify(p.input);
      p.classified = true;
    }
  });

  // 3. Plan the batch row by row.
  Plan plan;
  plan.local = make_matcher_();
  const int classified_generation = plan.generation;
  ImportCounts total;

  auto finish = [&](size_t i, RowOutcome outcome, std::string uin, std::string reason) {
    results[i].outcome = outcome;
    results[i].uin = std::move(uin);
    results[i].reason = std::move(reason);
  };
  auto flush = [&]() -> Status { return Flush(actor, source, plan, results); };
  BufferedRandom uin_random(random_);
  auto draw_uin = [&]() -> Result<domain::Uin> {
    while (true) {
      domain::Uin uin = domain::Uin::Generate(uin_random);
      if (plan.uins.contains(uin.str())) continue;
      auto existing = children_.GetByUin(uin);
      if (existing.ok()) continue;
      if (existing.status().code() != StatusCode::kNotFound) return existing.status();
      plan.uins.insert(uin.str());
      return uin;
    }
  };
  auto plan_update = [&](size_t i, const ChildRecord& existing, RowOutcome outcome) -> Status {
    Prepared& p = prepared[i];
    // Every source's singular items on the record; this reference's own are updated with the
    // row and the record shows the value the rule chooses (workflow/source_items.h).
    CP_ASSIGN_OR_RETURN(std::vector<store::SourceRef> held_refs, feeds_.RefsOfChild(existing.id));
    SourceItems own_before;
    std::vector<SourceItems> held;
    // A reference with no items stored (it only created the record, or predates migration 9)
    // holds what the record shows from its source: kept now, before this row may change what
    // the record shows.
    std::vector<store::SourceRef> kept;
    for (const store::SourceRef& r : held_refs) {
      const bool own = r.source == source.code && r.ref == rows[i].source_ref;
      if (r.items.empty()) {
        SourceItems shown = ItemsShownFrom(existing, r.source);
        if (own) {
          own_before = std::move(shown);
        } else {
          kept.push_back({r.source, r.ref, existing.id, r.row_digest, EncodeSourceItems(shown)});
          held.push_back(std::move(shown));
        }
        continue;
      }
      auto items = DecodeSourceItems(r.items, r.source);
      if (!items.ok()) return Status::Internal("corrupt source items");
      if (own) {
        own_before = std::move(*items);
      } else {
        held.push_back(std::move(*items));
      }
    }
    SourceItems own = UpdateOwnItems(own_before, SingularItemsOf(p.record, source.code));
    held.push_back(own);
    ChildRecord merged = ApplySourceItems(existing, p.record, source.code);
    ChooseCurrentItems(merged, held);
    store::FeedBatch::Update u;
    u.ref = store::SourceRef{source.code, rows[i].source_ref, existing.id, p.digest,
                             EncodeSourceItems(own)};
    u.kept_items = std::move(kept);
    if (SameFeedItems(merged, existing)) {
      u.record = existing;
      u.record_changed = false;
      finish(i, outcome, existing.uin.str(), std::string(kUnchanged));
    } else {
      Status valid = domain::ValidateChildRecord(merged, today);
      if (!valid.ok()) {
        finish(i, RowOutcome::kRejected, "", Reason(valid));
        plan.counts.Add(results[i]);
        return Status::Ok();
      }
      merged.shielded = existing.shielded;  // A feed never clears a shield.
      u.record = std::move(merged);
      u.superseded = store::SupersededItems{source.code, rows[i].source_ref, existing.id, now,
                                            SourceItemsJson(existing, source.code)};
      finish(i, outcome, existing.uin.str(), "");
    }
    plan.touched.insert(existing.id);
    plan.refs.insert(rows[i].source_ref);
    plan.update_rows.push_back(i);
    plan.batch.updates.push_back(std::move(u));
    plan.counts.Add(results[i]);
    return Status::Ok();
  };

  for (size_t i = 0; i < rows.size(); ++i) {
    Prepared& p = prepared[i];
    if (!p.status.ok()) {
      finish(i, RowOutcome::kRejected, "", Reason(p.status));
      plan.counts.Add(results[i]);
      continue;
    }
    const std::string& ref = rows[i].source_ref;
    if (plan.refs.contains(ref)) {
      // The same reference twice in one call: the first must be stored before the second.
      CP_RETURN_IF_ERROR(flush());
      CP_ASSIGN_OR_RETURN(auto again, feeds_.FindRefs(source.code, {ref}));
      for (auto& [k, v] : again) known[k] = v;
    }
    auto found = known.find(ref);
    if (found == known.end() && plan.generation != classified_generation) {
      // Rows committed earlier in this call may have mapped this reference.
      CP_ASSIGN_OR_RETURN(auto again, feeds_.FindRefs(source.code, {ref}));
      for (auto& [k, v] : again) known[k] = v;
      found = known.find(ref);
    }
    if (found != known.end()) {
      const store::SourceRef& mapping = found->second;
      if (mapping.row_digest == p.digest && !plan.touched.contains(mapping.child_id)) {
        CP_ASSIGN_OR_RETURN(domain::ChildSummary summary, children_.GetSummary(mapping.child_id));
        finish(i, RowOutcome::kUpdated, summary.uin.str(), std::string(kUnchanged));
        plan.counts.Add(results[i]);
        continue;
      }
      if (plan.touched.contains(mapping.child_id)) CP_RETURN_IF_ERROR(flush());
      CP_ASSIGN_OR_RETURN(ChildRecord existing, children_.Get(mapping.child_id));
      CP_RETURN_IF_ERROR(plan_update(i, existing, RowOutcome::kUpdated));
      continue;
    }
    // A new reference: the directory's verdict, unless an earlier row of this call fits
    // better (then that row is committed first and the row classified again).
    if (!p.classified || plan.generation != classified_generation) {
      p.match = matcher_->Classify(p.input);
    }
    linkage::MatchResult local = plan.local->Classify(p.input);
    if (local.outcome != linkage::MatchOutcome::kNew &&
        (p.match.candidates.empty() ||
         local.candidates[0].weight >= p.match.candidates[0].weight)) {
      CP_RETURN_IF_ERROR(flush());
      p.match = matcher_->Classify(p.input);
    }
    // The best candidate may have been merged away or purged since the matcher learnt it.
    domain::ChildSummary best_summary;
    for (int attempt = 0; p.match.outcome != linkage::MatchOutcome::kNew; ++attempt) {
      auto summary = children_.GetSummary(p.match.candidates[0].child_id);
      if (summary.ok()) {
        best_summary = std::move(*summary);
        break;
      }
      if (summary.status().code() != StatusCode::kNotFound) return summary.status();
      matcher_->Remove(p.match.candidates[0].child_id);
      p.match = attempt < 3 ? matcher_->Classify(p.input) : linkage::MatchResult{};
    }
    if (p.match.outcome == linkage::MatchOutcome::kMatch) {
      const int64_t target = p.match.candidates[0].child_id;
      if (plan.touched.contains(target)) CP_RETURN_IF_ERROR(flush());
      CP_ASSIGN_OR_RETURN(ChildRecord existing, children_.Get(target));
      CP_RETURN_IF_ERROR(plan_update(i, existing, RowOutcome::kMatched));
      continue;
    }
    store::FeedBatch::NewChild n;
    n.record = p.record;
    CP_ASSIGN_OR_RETURN(n.record.uin, draw_uin());
    // No items stored: a new record shows exactly this source's items until another source's
    // row comes (source_items.h), so a first load seals nothing more per row.
    n.ref = store::SourceRef{source.code, ref, 0, p.digest, ""};
    RowOutcome outcome = RowOutcome::kCreated;
    std::string reason;
    if (p.match.outcome == linkage::MatchOutcome::kPossible) {
      const linkage::Candidate best = p.match.candidates[0];
      n.possible_duplicate_of = best.child_id;
      n.weight = best.weight;
      outcome = RowOutcome::kPossibleDuplicate;
      reason = "queued for review as a possible duplicate of an existing record";
      const domain::ChildSummary& other = best_summary;
      if (other.shielded) {
        // §11: created shielded, in the same transaction as its shield request and reviews.
        n.record.shielded = true;
        store::ShieldChange change;
        Actor matcher = actor;  // The duplicate matcher shields as the system (§11).
        matcher.system = true;
        CP_RETURN_IF_ERROR(
            shielding_.PlanPossibleDuplicateOfNew(matcher, n.record, other.uin.str(), change));
        n.shield = std::move(change);
        reason += "; created shielded";
        ++plan.counts.shielded_on_create;
      }
    }
    finish(i, outcome, "", reason);
    plan.counts.Add(results[i]);
    plan.local->Add(-static_cast<int64_t>(plan.batch.created.size()) - 1, p.input);
    plan.refs.insert(ref);
    plan.created_rows.push_back(i);
    plan.created_inputs.push_back(p.input);
    plan.batch.created.push_back(std::move(n));
  }
  CP_RETURN_IF_ERROR(flush());
  for (const RowResult& r : results) total.Add(r);
  // shielded_on_create is counted per flush; recount from the reasons.
  for (const RowResult& r : results) {
    if (r.outcome == RowOutcome::kPossibleDuplicate &&
        r.reason.find("created shielded") != std::string::npos) {
      ++total.shielded_on_create;
    }
  }
  return total;
}

Result<ImportCounts> FeedImporter::ImportInvolvements(const Actor& actor, const FeedSource& source,
                                                      const std::vector<InvolvementRow>& rows,
                                                      std::vector<RowResult>& results) {
  std::lock_guard<std::mutex> lock(mu_);
  const TimePoint now = clock_.Now();
  const Date today = Date::FromTime(now);
  results.assign(rows.size(), RowResult{});
  const domain::Provenance prov{source.code, now};

  // Resolve each row's record and build its involvement.
  std::vector<std::string> refs;
  for (const auto& row : rows) {
    if (!row.source_ref.empty()) refs.push_back(row.source_ref);
  }
  CP_ASSIGN_OR_RETURN(auto known, feeds_.FindRefs(source.code, refs));
  std::vector<int64_t> child_of(rows.size(), 0);
  std::vector<domain::Involvement> involvement_of(rows.size());
  std::vector<int64_t> order;  // Records in first-seen order.
  std::unordered_map<int64_t, std::vector<size_t>> rows_of;
  auto reject = [&](size_t i, std::string reason) {
    results[i].outcome = RowOutcome::kRejected;
    results[i].reason = std::move(reason);
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    const InvolvementRow& row = rows[i];
    results[i].source_ref = row.source_ref.empty() ? row.uin : row.source_ref;
    if (row.source_ref.empty() == row.uin.empty()) {
      reject(i, "source_ref: give either source_ref or uin");
      continue;
    }
    int64_t child_id = 0;
    if (!row.uin.empty()) {
      auto uin = domain::Uin::Parse(row.uin);
      if (!uin.ok()) {
        reject(i, "uin: " + uin.status().message());
        continue;
      }
      auto summary = children_.GetByUin(*uin);
      if (!summary.ok()) {
        if (summary.status().code() != StatusCode::kNotFound) return summary.status();
        reject(i, "uin: no such record");
        continue;
      }
      child_id = summary->id;
    } else {
      auto it = known.find(row.source_ref);
      if (it == known.end()) {
        reject(i, "source_ref: not a reference this source has sent");
        continue;
      }
      child_id = it->second.child_id;
    }
    domain::Involvement v;
    v.service_type = row.service_type;
    v.practitioner = row.practitioner;
    v.organisation = row.organisation;
    v.phone = row.phone;
    v.email = row.email;
    auto start = OptionalDate(row.start_date, "start_date");
    auto end = OptionalDate(row.end_date, "end_date");
    if (!start.ok() || !end.ok()) {
      reject(i, Reason(!start.ok() ? start.status() : end.status()));
      continue;
    }
    v.start_date = *start;
    v.end_date = *end;
    auto flag = [&](const std::string& text, std::string_view field, bool& out) -> bool {
      if (text.empty() || text == "false") {
        out = false;
      } else if (text == "true") {
        out = true;
      } else {
        reject(i, std::string(field) + ": must be true or false");
        return false;
      }
      return true;
    };
    if (!flag(row.lead_professional, "lead_professional", v.lead_professional)) continue;
    if (!flag(row.caf_complete, "caf_complete", v.caf_complete)) continue;
    if (row.sensitive_basis.empty()) {
      v.sensitive_basis = domain::SensitiveBasis::kNone;
    } else if (row.sensitive_basis == "consent") {
      v.sensitive_basis = domain::SensitiveBasis::kConsent;
    } else if (row.sensitive_basis == "suspected_significant_harm") {
      v.sensitive_basis = domain::SensitiveBasis::kSuspectedSignificantHarm;
    } else {
      reject(i, "sensitive_basis: must be consent or suspected_significant_harm");
      continue;
    }
    v.provenance = prov;
    // Each involvement is checked on its own, so a bad row names itself.
    ChildRecord probe;
    probe.name = {"A", "B", prov};
    probe.date_of_birth = today;
    probe.involvements = {v};
    probe.responsible_authority = source.authority.empty() ? "LA" : source.authority;
    Status valid = domain::ValidateChildRecord(probe, today);
    if (!valid.ok()) {
      std::string field(valid.field());
      const auto dot = field.find("].");
      if (dot != std::string::npos) field = field.substr(dot + 2);
      reject(i, field + ": " + valid.message());
      continue;
    }
    child_of[i] = child_id;
    involvement_of[i] = v;
    if (!rows_of.contains(child_id)) order.push_back(child_id);
    rows_of[child_id].push_back(i);
  }

  store::FeedBatch batch;
  std::vector<std::vector<size_t>> batch_rows;
  for (int64_t child_id : order) {
    CP_ASSIGN_OR_RETURN(ChildRecord existing, children_.Get(child_id));
    std::vector<domain::Involvement> own_before;
    std::vector<domain::Involvement> kept;
    for (const auto& v : existing.involvements) {
      (v.provenance.source == source.code ? own_before : kept).push_back(v);
    }
    std::vector<domain::Involvement> incoming;
    for (size_t i : rows_of[child_id]) incoming.push_back(involvement_of[i]);
    bool same = own_before.size() == incoming.size();
    for (size_t k = 0; same && k < incoming.size(); ++k) {
      domain::Involvement a = own_before[k];
      a.id = 0;
      a.provenance.updated_at = incoming[k].provenance.updated_at;
      same = a == incoming[k];
    }
    for (size_t i : rows_of[child_id]) {
      results[i].outcome = RowOutcome::kUpdated;
      results[i].uin = existing.uin.str();
      results[i].reason = same ? std::string(kUnchanged) : "";
    }
    if (same) continue;
    ChildRecord merged = existing;
    merged.involvements = kept;
    merged.involvements.insert(merged.involvements.end(), incoming.begin(), incoming.end());
    store::FeedBatch::Update u;
    u.record = std::move(merged);
    u.superseded = store::SupersededItems{source.code, "involvements", child_id, now,
                                          SourceItemsJson(existing, source.code)};
    batch.updates.push_back(std::move(u));
  }
  ImportCounts counts;
  for (const RowResult& r : results) counts.Add(r);
  if (!batch.updates.empty()) {
    CP_RETURN_IF_ERROR(AuditBatch(actor, source, "feed.involvements_batch", counts));
    CP_RETURN_IF_ERROR(feeds_.Commit(batch).status());
  }
  return counts;
}

}  // namespace cp::workflow
