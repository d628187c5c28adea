// Retention (docs/retention.md): each rule of the daily job at its boundary with a FakeClock,
// idempotence, fail-closed audit; who may read an archived record and when; identity changes
// leave no searchable trace of the former identity and keep the link for management only.
#include "workflow/retention_service.h"

#include <gtest/gtest.h>

#include "audit/testing/fake_audit_sink.h"
#include "domain/child_record.h"
#include "store/testing/memory_child_store.h"
#include "workflow/directory_index.h"
#include "workflow/directory_service.h"
#include "workflow/maintenance_service.h"

namespace cp::workflow {
namespace {

using domain::RecordState;
using domain::Role;

TimePoint At(const char* date) { return Date::Parse(date)->StartOfDay() + std::chrono::hours(3); }
domain::Provenance Src() { return {"SCH-1", FromUnixSeconds(1'700'000'000)}; }

class RetentionTest : public ::testing::Test {
 protected:
  RetentionTest()
      : clock_(At("2026-11-22")),
        random_(5),
        index_(store_),
        directory_(store_, index_, audit_, "k"),
        maintenance_(store_, audit_, clock_),
        retention_(store_, store_, nullptr, audit_, clock_, random_) {}

  domain::ChildRecord Add(const std::string& given, const std::string& family, const char* dob,
                          bool extended = false, const std::string& authority = "LA-NORTH") {
    domain::ChildRecord r;
    r.uin = domain::Uin::Generate(random_);
    r.name = {given, family, Src()};
    r.former_names.push_back({given, "Formerly" + family, Src()});
    r.known_as.push_back({"Known" + given, family, Src()});
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = *Date::Parse(dob);
    r.address = {
        domain::AddressStatus::kCurrent, "1 High Street", "", "Northtown", "NT1 1AA", {}, Src()};
    r.carers.push_back({"Carer Person", "mother", "07700 900000", "", Src()});
    r.responsible_authority = authority;
    r.extended_with_consent = extended;
    r.id = *store_.Create(r);
    EXPECT_TRUE(index_.SyncNow().ok());
    return r;
  }

  domain::ChildRecord Stored(const domain::ChildRecord& r) { return *store_.Get(r.id); }
  RecordState StateOf(const domain::ChildRecord& r) { return Stored(r).retention.state; }

  Actor Practitioner() {
    return {"pat", "SCH-1", "LA-NORTH", {Role::kPractitioner}, "r", "ip", false};
  }
  Actor Manager(const std::string& la = "LA-NORTH") {
    return {"mo", la, la, {Role::kManagement}, "r", "ip", false};
  }
  Actor ArchiveReader() {
    return {"ari", "LA-NORTH", "LA-NORTH", {Role::kArchiveReader}, "r", "ip", false};
  }
  Actor EveryRole() {
    Actor a{"all", "LA-NORTH", "LA-NORTH", {}, "r", "ip", false};
    for (Role role : domain::kAllRoles) a.roles.Add(role);
    return a;
  }

  MaintenanceSummary Run() {
    auto summary = maintenance_.RunDailyRules();
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    EXPECT_TRUE(index_.SyncNow().ok());
    return summary.ok() ? *summary : MaintenanceSummary{};
  }

  size_t Hits(const Actor& actor, const std::string& given, const std::string& family) {
    auto hits = directory_.Search(actor, SearchRequest{given, family, "", "", ""});
    if (!hits.ok()) return 0;
    return hits->size();
  }

  FakeClock clock_;
  SeededRandom random_;
  store::testing::MemoryChildStore store_;
  audit::testing::FakeAuditSink audit_;
  DirectoryIndex index_;
  DirectoryService directory_;
  MaintenanceService maintenance_;
  RetentionService retention_;
};

// --- The daily rules at their boundaries ------------------------------------------------

TEST_F(RetentionTest, ArchivesOnThe18thBirthdayNotTheDayBefore) {
  auto child = Add("Amelia", "Okafor", "2008-11-23");  // 18 tomorrow.
  EXPECT_EQ(Run().changes(), 0u);
  EXPECT_EQ(StateOf(child), RecordState::kLive);
  EXPECT_EQ(Hits(Practitioner(), "Amelia", "Okafor"), 1u);

  clock_.Set(At("2026-11-23"));
  MaintenanceSummary s = Run();
  EXPECT_EQ(s.archived_age_18, 1u);
  const auto stored = Stored(child);
  EXPECT_EQ(stored.retention.state, RecordState::kArchived);
  EXPECT_EQ(stored.retention.archive_reason, domain::ArchiveReason::kAge18);
  EXPECT_EQ(stored.retention.archived_on, Date::Parse("2026-11-23").value());
  // No longer found by practitioners (or anyone).
  EXPECT_EQ(Hits(Practitioner(), "Amelia", "Okafor"), 0u);
  EXPECT_EQ(Hits(Manager(), "Amelia", "Okafor"), 0u);
  auto event = audit_.EventsWithAction("child.archive").back();
  EXPECT_EQ(event.target, "child:" + child.uin.str());
  EXPECT_EQ(event.reason, "age_18");
  EXPECT_EQ(event.details_json.find("Okafor"), std::string::npos);
}

TEST_F(RetentionTest, ExtendedWithConsentArchivesOnThe25thBirthday) {
  auto child = Add("Bea", "Long", "2001-11-23", /*extended=*/true);
  EXPECT_EQ(Run().changes(), 0u);  // 24 and 364 days: still live, though past 18.
  EXPECT_EQ(StateOf(child), RecordState::kLive);
  clock_.Set(At("2026-11-23"));
  MaintenanceSummary s = Run();
  EXPECT_EQ(s.archived_age_25, 1u);
  EXPECT_EQ(Stored(child).retention.archive_reason, domain::ArchiveReason::kAge25);
}

TEST_F(RetentionTest, NotifiedDeathArchivesOneYearLater) {
  auto child = Add("Cara", "Dean", "2016-05-01");
  ASSERT_TRUE(retention_.NotifyDeath(Manager(), child.uin.str(), "2026-11-20").ok());
  EXPECT_EQ(Stored(child).retention.death_notified_on, Date::Parse("2026-11-22").value());
  clock_.Set(At("2027-11-21"));
  EXPECT_EQ(Run().changes(), 0u);
  EXPECT_EQ(StateOf(child), RecordState::kLive);
  clock_.Set(At("2027-11-22"));
  MaintenanceSummary s = Run();
  EXPECT_EQ(s.archived_death, 1u);
  EXPECT_EQ(Stored(child).retention.archive_reason, domain::ArchiveReason::kDeath);
}

TEST_F(RetentionTest, PurgesSixYearsAfterArchivingLeavingOnlyTheUinAndDates) {
  auto child = Add("Dina", "Eve", "2008-11-22");
  EXPECT_EQ(Run().archived_age_18, 1u);  // Archived 2026-11-22.
  clock_.Set(At("2032-11-21"));
  EXPECT_EQ(Run().purged, 0u);
  EXPECT_EQ(StateOf(child), RecordState::kArchived);
  clock_.Set(At("2032-11-22"));
  EXPECT_EQ(Run().purged, 1u);
  const auto purged = Stored(child);
  EXPECT_EQ(purged.retention.state, RecordState::kPurged);
  EXPECT_EQ(purged.uin, child.uin);
  EXPECT_EQ(purged.retention.archived_on, Date::Parse("2026-11-22").value());
  EXPECT_EQ(purged.retention.purged_on, Date::Parse("2032-11-22").value());
  EXPECT_TRUE(purged.name.given_names.empty());
  EXPECT_TRUE(purged.name.family_name.empty());
  EXPECT_TRUE(purged.former_names.empty());
  EXPECT_TRUE(purged.known_as.empty());
  EXPECT_TRUE(purged.carers.empty());
  EXPECT_TRUE(purged.involvements.empty());
  EXPECT_TRUE(purged.address.postcode.empty());
  EXPECT_EQ(audit_.EventsWithAction("child.purge").back().target, "child:" + child.uin.str());
  // Purged is final.
  clock_.Set(At("2040-01-01"));
  EXPECT_EQ(Run().changes(), 0u);
}

TEST_F(RetentionTest, ASecondRunChangesNothing) {
  Add("Ed", "Fox", "2008-01-01");
  Add("Fay", "Gill", "2015-01-01");
  EXPECT_EQ(Run().changes(), 1u);
  const int64_t position = *store_.LatestChangeSequence();
  const size_t audited = audit_.size();
  MaintenanceSummary again = Run();
  EXPECT_EQ(again.changes(), 0u);
  EXPECT_EQ(again.records_checked, 2u);
  EXPECT_EQ(*store_.LatestChangeSequence(), position);
  EXPECT_EQ(audit_.size(), audited);
}

TEST_F(RetentionTest, NoAuditNoChange) {
  auto a = Add("Gus", "Hall", "2008-01-01");
  auto b = Add("Hal", "Ives", "2007-01-01");
  audit_.SetFailing(true);
  auto run = maintenance_.RunDailyRules();
  EXPECT_EQ(run.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(StateOf(a), RecordState::kLive);
  EXPECT_EQ(StateOf(b), RecordState::kLive);
  // The first entry written, the second refused: the first change only.
  audit_.SetFailing(false);
  audit_.FailNext(1);
  EXPECT_FALSE(maintenance_.RunDailyRules().ok());
  EXPECT_EQ(StateOf(a), RecordState::kLive);
  EXPECT_EQ(StateOf(b), RecordState::kLive);
  EXPECT_EQ(Run().changes(), 2u);
}

TEST_F(RetentionTest, SummaryNamesUinsOnly) {
  auto child = Add("Ivy", "Jones", "2008-01-01");
  const std::string text = FormatMaintenanceSummary(Run());
  EXPECT_NE(text.find("2026-11-22: checked 1 records; archived 1 (age 18: 1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("archived " + child.uin.str() + " (age_18)"), std::string::npos) << text;
  EXPECT_EQ(text.find("Jones"), std::string::npos);
}

// --- Death notices --------------------------------------------------------------------

TEST_F(RetentionTest, OnlyTheRecordsManagementRecordsADeath) {
  auto child = Add("Jo", "King", "2016-01-01");
  EXPECT_EQ(retention_.NotifyDeath(Practitioner(), child.uin.str(), "2026-11-01").code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(retention_.NotifyDeath(Manager("LA-SOUTH"), child.uin.str(), "2026-11-01").code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(retention_.NotifyDeath(Manager(), child.uin.str(), "2026-11-23").code(),
            StatusCode::kInvalidArgument);  // In the future.
  EXPECT_EQ(retention_.NotifyDeath(Manager(), child.uin.str(), "2015-01-01").code(),
            StatusCode::kInvalidArgument);  // Before birth.
  EXPECT_FALSE(Stored(child).retention.death_notified_on);
  audit_.SetFailing(true);
  EXPECT_EQ(retention_.NotifyDeath(Manager(), child.uin.str(), "2026-11-01").code(),
            StatusCode::kUnavailable);
  EXPECT_FALSE(Stored(child).retention.death_notified_on);
  audit_.SetFailing(false);
  EXPECT_TRUE(retention_.NotifyDeath(Manager(), child.uin.str(), "2026-11-01").ok());
  EXPECT_EQ(retention_.NotifyDeath(Manager(), child.uin.str(), "2026-11-01").message(),
            "already_notified");
}

// --- Reading archived records ---------------------------------------------------------

TEST_F(RetentionTest, ManagementReadsForAYearThenOnlyTheArchiveReader) {
  auto child = Add("Kit", "Lowe", "2008-11-22");
  Run();  // Archived 2026-11-22.
  // Practitioners cannot open it at all, by UIN either.
  EXPECT_EQ(directory_.Open(Practitioner(), child.uin.str(), "safeguarding", "").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(directory_.Open(Manager(), child.uin.str(), "safeguarding", "").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(retention_.OpenArchived(Practitioner(), child.uin.str(), kSeriousCaseReview, "SCR 12")
                .status()
                .code(),
            StatusCode::kPermissionDenied);

  clock_.Set(At("2027-11-21"));  // One year minus a day.
  auto read = retention_.OpenArchived(Manager(), child.uin.str(), "safeguarding", "");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_TRUE(std::holds_alternative<policy::FullChildView>(read->view));
  EXPECT_EQ(std::get<policy::FullChildView>(read->view).address.postcode, "NT1 1AA");
  EXPECT_EQ(read->lifecycle.management_read_until, "2027-11-21");
  EXPECT_EQ(retention_.OpenArchived(Manager("LA-SOUTH"), child.uin.str(), "safeguarding", "")
                .status()
                .code(),
            StatusCode::kPermissionDenied);

  clock_.Set(At("2027-11-22"));  // One year.
  EXPECT_EQ(retention_.OpenArchived(Manager(), child.uin.str(), "safeguarding", "").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(retention_.OpenArchived(Manager(), child.uin.str(), kSeriousCaseReview, "SCR 12")
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  // The archive reader: only with a child-protection or serious-case-review reason.
  EXPECT_EQ(
      retention_.OpenArchived(ArchiveReader(), child.uin.str(), "safeguarding", "").status().code(),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(retention_.OpenArchived(ArchiveReader(), child.uin.str(), kSeriousCaseReview, "")
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  auto reader = retention_.OpenArchived(ArchiveReader(), child.uin.str(), kSeriousCaseReview,
                                        "Serious case review 2027/04");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_TRUE(std::holds_alternative<policy::FullChildView>(reader->view));
  auto event = audit_.EventsWithAction("child.archive_view").back();
  EXPECT_EQ(event.outcome, "success");
  EXPECT_EQ(event.actor, "ari");
  // The archive reader cannot search.
  EXPECT_EQ(
      directory_.Search(ArchiveReader(), SearchRequest{"Kit", "Lowe", "", "", ""}).status().code(),
      StatusCode::kPermissionDenied);

  audit_.SetFailing(true);
  EXPECT_EQ(retention_.OpenArchived(ArchiveReader(), child.uin.str(), kSeriousCaseReview, "x")
                .status()
                .code(),
            StatusCode::kUnavailable);
}

TEST_F(RetentionTest, PurgedRecordsCannotBeRead) {
  auto child = Add("Lee", "Moss", "2008-11-22");
  Run();
  clock_.Set(At("2032-11-22"));
  Run();
  EXPECT_EQ(
      retention_
          .OpenArchived(ArchiveReader(), child.uin.str(), kChildProtectionEnquiry, "Enquiry 7")
          .status()
          .message(),
      "purged");
  auto lifecycle = retention_.Lifecycle(Manager(), child.uin.str());
  ASSERT_TRUE(lifecycle.ok());
  EXPECT_EQ(lifecycle->state, "purged");
  EXPECT_EQ(lifecycle->purged_on, "2032-11-22");
}

// --- Identity changes -----------------------------------------------------------------

IdentityChangeInput NewIdentity(const std::string& former_uin) {
  IdentityChangeInput in;
  in.former_uin = former_uin;
  in.reason = "witness_protection";
  in.given_names = "Nora";
  in.family_name = "Quill";
  in.address_line_1 = "2 New Road";
  in.town = "Southtown";
  in.postcode = "ST2 2BB";
  return in;
}

TEST_F(RetentionTest, IdentityChangeLeavesNoSearchableTraceOfTheFormerIdentity) {
  auto former = Add("Mia", "Nash", "2015-06-01");
  auto changed = retention_.ChangeIdentity(Manager(), NewIdentity(former.uin.str()));
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  ASSERT_TRUE(index_.SyncNow().ok());

  const auto old = Stored(former);
  EXPECT_EQ(old.retention.state, RecordState::kArchived);
  EXPECT_EQ(old.retention.archive_reason, domain::ArchiveReason::kIdentityChange);
  // Every name the former identity had: current, former, known-as; every role, management too.
  const std::pair<std::string, std::string> old_names[] = {
      {"Mia", "Nash"}, {"Mia", "FormerlyNash"}, {"KnownMia", "Nash"}};
  for (const Actor& actor : {Practitioner(), Manager(), ArchiveReader(), EveryRole()}) {
    for (const auto& [given, family] : old_names) {
      EXPECT_EQ(Hits(actor, given, family), 0u) << actor.username << " " << given << family;
    }
    auto dob = directory_.Search(actor, SearchRequest{"", "Nash", "2015-06-01", "", ""});
    EXPECT_TRUE(!dob.ok() || dob->empty());
  }
  // A restart (index rebuilt from the store) finds nothing either.
  DirectoryIndex rebuilt(store_);
  ASSERT_TRUE(rebuilt.Build().ok());
  DirectoryService fresh(store_, rebuilt, audit_, "k");
  for (const auto& [given, family] : old_names) {
    auto hits = fresh.Search(EveryRole(), SearchRequest{given, family, "", "", ""});
    ASSERT_TRUE(hits.ok());
    EXPECT_TRUE(hits->empty());
  }

  // The new identity is found under its new name only, shielded, carrying nothing old.
  auto found = directory_.Search(Practitioner(), SearchRequest{"Nora", "Quill", "", "", ""});
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_TRUE((*found)[0].shielded);
  auto fresh_record = *store_.GetByUin(*domain::Uin::Parse(changed->new_uin));
  EXPECT_TRUE(fresh_record.shielded);
  EXPECT_TRUE(fresh_record.former_names.empty());
  EXPECT_TRUE(fresh_record.known_as.empty());
  EXPECT_TRUE(fresh_record.carers.empty());
  EXPECT_EQ(fresh_record.date_of_birth, former.date_of_birth);
  // Nothing in the new identity's audit trail names the former one.
  for (const auto& e : audit_.events()) {
    if (e.target != "child:" + changed->new_uin) continue;
    EXPECT_EQ(e.details_json.find(former.uin.str()), std::string::npos);
    EXPECT_EQ(e.reason.find("identity"), std::string::npos);
  }
}

TEST_F(RetentionTest, TheLinkIsForTheManagementOfThatAuthorityOnly) {
  auto former = Add("Ned", "Oak", "2014-02-02");
  auto changed = retention_.ChangeIdentity(Manager(), NewIdentity(former.uin.str()));
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  for (const std::string& uin : {former.uin.str(), changed->new_uin}) {
    auto links = retention_.IdentityLinks(Manager(), uin);
    ASSERT_TRUE(links.ok());
    ASSERT_EQ(links->size(), 1u);
    EXPECT_EQ((*links)[0].former_uin, former.uin.str());
    EXPECT_EQ((*links)[0].new_uin, changed->new_uin);
    EXPECT_EQ((*links)[0].reason, "witness_protection");
    auto other = retention_.IdentityLinks(Manager("LA-SOUTH"), uin);
    ASSERT_TRUE(other.ok());
    EXPECT_TRUE(other->empty());
    for (const Actor& actor : {Practitioner(), ArchiveReader()}) {
      EXPECT_EQ(retention_.IdentityLinks(actor, uin).status().code(),
                StatusCode::kPermissionDenied);
    }
  }
  Actor dpo{"dee", "LA-NORTH", "LA-NORTH", {Role::kDpo}, "r", "ip", false};
  EXPECT_EQ(retention_.IdentityLinks(dpo, changed->new_uin).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(RetentionTest, IdentityChangeRefusals) {
  auto former = Add("Ola", "Park", "2014-02-02");
  EXPECT_EQ(
      retention_.ChangeIdentity(Practitioner(), NewIdentity(former.uin.str())).status().code(),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(
      retention_.ChangeIdentity(Manager("LA-SOUTH"), NewIdentity(former.uin.str())).status().code(),
      StatusCode::kPermissionDenied);
  IdentityChangeInput bad = NewIdentity(former.uin.str());
  bad.reason = "fresh_start";
  EXPECT_EQ(retention_.ChangeIdentity(Manager(), bad).status().code(),
            StatusCode::kInvalidArgument);
  bad = NewIdentity(former.uin.str());
  bad.family_name = "";
  EXPECT_EQ(retention_.ChangeIdentity(Manager(), bad).status().code(),
            StatusCode::kInvalidArgument);
  const int64_t count = *store_.Count();
  audit_.SetFailing(true);
  EXPECT_EQ(retention_.ChangeIdentity(Manager(), NewIdentity(former.uin.str())).status().code(),
            StatusCode::kUnavailable);
  audit_.SetFailing(false);
  EXPECT_EQ(*store_.Count(), count);
  EXPECT_EQ(StateOf(former), RecordState::kLive);
  ASSERT_TRUE(retention_.ChangeIdentity(Manager(), NewIdentity(former.uin.str())).ok());
  EXPECT_EQ(retention_.ChangeIdentity(Manager(), NewIdentity(former.uin.str())).status().message(),
            "not_live");
}

}  // namespace
}  // namespace cp::workflow
