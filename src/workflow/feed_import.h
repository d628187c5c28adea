// FeedImporter: loads data sources' records and involvements into the directory (issue 7,
// docs/feeds.md). The CLI (`contactpoint import`) and the feed API both call it.
//
// Contract:
//  - Each row is validated first (the closed list of items, domain::ValidateChildRecord); a bad
//    row is `rejected` with a reason naming the field ("date_of_birth: ...").
//  - A known (source, source_ref) pair is an update of THAT source's items on its record only.
//    Otherwise the row is classified by the linkage::Matcher against the directory (and the
//    rows before it): kMatch attaches the source's items to the matched record (`matched`);
//    kPossible creates a new record and queues the pair for management (`possible_duplicate`);
//    kNew creates one (`created`). A possible match to a SHIELDED record is created shielded,
//    with its shield request, log entry and 7-day reviews of both, in the same transaction as
//    the record: it never exists unshielded (§11).
//  - Per-source items: a source's other names and carers replace only that source's earlier
//    ones. Its singular items (current name, gender and date of birth, address, school, GP
//    practice) are kept per (source, reference), each with its time (SourceRef::items), and
//    the record shows the one workflow/source_items.h chooses: the most recently updated
//    address, school and GP practice; the name, gender and date of birth of the source the
//    record already shows them from. No source's row changes another source's items. Empty
//    means unknown: it changes nothing. No feed clears a shield or touches involvements other
//    than its own. Superseded items are kept (FeedStore::History).
//  - Idempotent: a row equal to the one the source last sent for that reference changes
//    nothing (`updated`, reason "unchanged"); so does a row whose items are already held.
//  - Atomic per call: one ImportRecords call is one transaction (more only when a row depends
//    on an earlier row of the same call, which is committed first), covering records, the
//    change feed, source references, history, possible duplicates and shields. A killed import
//    re-run therefore finds every committed row by its reference and creates no duplicate.
//  - Audited first, fail closed: one "feed.import_batch" event per transaction with counts
//    (no personal data), plus the shielding service's events for shields.
// Thread-safe (one import at a time; calls are serialised). Dependencies are not owned.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "audit/audit_sink.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/result.h"
#include "linkage/matcher.h"
#include "workflow/actor.h"

namespace cp::store {
class ChildStore;
class FeedStore;
}  // namespace cp::store

namespace cp::workflow {

class ShieldingService;

// One row of a records feed as the source wrote it: the CSV columns and JSON fields of the
// Contract. Empty means unknown.
struct FeedRow {
  std::string source_ref;
  std::string given_names;
  std::string family_name;
  std::string other_names;  // ";"-separated, each "given family".
  std::string gender;       // male|female|not_known|not_specified
  std::string date_of_birth;
  std::string address_line_1;
  std::string address_line_2;
  std::string town;
  std::string postcode;
  std::string school;
  std::string school_start_date;
  std::string gp_practice;
  std::string carer_1_name;
  std::string carer_1_relationship;
  std::string carer_1_phone;
  std::string carer_2_name;
  std::string carer_2_relationship;
  std::string carer_2_phone;
};

// The column names, in the order of the CSV header.
const std::vector<std::string>& FeedColumns();
// The field of `row` called `column`, or nullptr if `column` is not in the closed list.
std::string* FeedField(FeedRow& row, std::string_view column);
const std::string& FeedField(const FeedRow& row, size_t column_index);

// One row of an involvements feed: the record by the source's reference or by UIN (one of the
// two), and one service involvement. Every involvement the source sends for a record in one
// call replaces that source's earlier involvements on it.
struct InvolvementRow {
  std::string source_ref;
  std::string uin;
  std::string service_type;  // A code of domain/service_types.h.
  std::string practitioner;
  std::string organisation;
  std::string phone;
  std::string email;
  std::string start_date;
  std::string end_date;
  std::string lead_professional;  // "true" / "false" / "".
  std::string caf_complete;       // "true" / "false" / "".
  std::string sensitive_basis;    // "" | "consent" | "suspected_significant_harm".
};
const std::vector<std::string>& InvolvementColumns();
std::string* InvolvementField(InvolvementRow& row, std::string_view column);

enum class RowOutcome : uint8_t { kCreated, kUpdated, kMatched, kPossibleDuplicate, kRejected };
// "created", "updated", "matched", "possible_duplicate", "rejected".
std::string_view RowOutcomeName(RowOutcome outcome);

struct RowResult {
  std::string source_ref;  // Or the UIN the row named (involvements keyed by UIN).
  RowOutcome outcome = RowOutcome::kRejected;
  std::string uin;     // The record the row went to (empty when rejected).
  std::string reason;  // Why rejected; "unchanged"; what a possible duplicate means.
};

struct ImportCounts {
  size_t created = 0, updated = 0, matched = 0, possible_duplicate = 0, rejected = 0;
  size_t unchanged = 0;           // Of `updated` and `matched`: nothing changed.
  size_t shielded_on_create = 0;  // Possible matches to shielded records, created shielded.
  void Add(const RowResult& r);
  void Add(const ImportCounts& other);
  size_t rows() const { return created + updated + matched + possible_duplicate + rejected; }
};

// The organisation a feed comes from.
struct FeedSource {
  std::string code;       // Organisation code: the provenance of every item it sends.
  std::string authority;  // Responsible authority given to the records it creates.
};

class FeedImporter {
 public:
  // Makes an empty matcher of the same kind (holds the rows of one call while it is planned).
  using MatcherFactory = std::function<std::unique_ptr<linkage::Matcher>()>;

  // `digest_key` (32 bytes) keys the row digests that make re-runs cheap.
  FeedImporter(store::ChildStore& children, store::FeedStore& feeds, ShieldingService& shielding,
               MatcherFactory make_matcher, audit::AuditSink& audit, const Clock& clock,
               RandomSource& random, std::string digest_key);
  ~FeedImporter();

  // Loads every stored record into the matcher (the first import does it if not done; later
  // calls catch up with the change feed by themselves). Returns how many were loaded.
  Result<size_t> LoadPopulation();

  // Imports `rows` from `source`; `results` gets one entry per row, in order. Errors (the
  // store or the audit trail unavailable) stop the call: rows of transactions already
  // committed stay committed; the rest are not written, so a re-run completes the import.
  Result<ImportCounts> ImportRecords(const Actor& actor, const FeedSource& source,
                                     const std::vector<FeedRow>& rows,
                                     std::vector<RowResult>& results);

  // Imports involvements (one transaction): `updated` (or `rejected`) per row.
  Result<ImportCounts> ImportInvolvements(const Actor& actor, const FeedSource& source,
                                          const std::vector<InvolvementRow>& rows,
                                          std::vector<RowResult>& results);

  // The matcher's population size (tests, progress).
  size_t PopulationSize() const;

 private:
  struct Plan;
  struct Prepared;
  Result<size_t> LoadLocked();
  // Applies the change feed to the matcher, skipping ids in `skip` (already applied).
  Status CatchUp(const std::unordered_set<int64_t>* skip = nullptr);
  Status Flush(const Actor& actor, const FeedSource& source, Plan& plan,
               std::vector<RowResult>& results);
  Status AuditBatch(const Actor& actor, const FeedSource& source, std::string_view action,
                    const ImportCounts& counts);

  store::ChildStore& children_;
  store::FeedStore& feeds_;
  ShieldingService& shielding_;
  MatcherFactory make_matcher_;
  std::unique_ptr<linkage::Matcher> matcher_;
  audit::AuditSink& audit_;
  const Clock& clock_;
  RandomSource& random_;
  std::string digest_key_;
  std::mutex mu_;
  int64_t change_seq_ = 0;  // The change feed is applied to the matcher up to here.
  bool loaded_ = false;
};

}  // namespace cp::workflow
