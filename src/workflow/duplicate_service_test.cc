// DuplicateService: the possible-duplicate queue, merge, unmerge and do-not-match, over the
// real SQLite child, shield and duplicate stores in a temporary database (a merge is one
// transaction across them), a FakeAuditSink and a FakeClock.
#include "workflow/duplicate_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <set>

#include "audit/testing/fake_audit_sink.h"
#include "crypto/secret_box.h"
#include "domain/child_record.h"
#include "store/sqlite/sqlite_break_glass_store.h"
#include "store/sqlite/sqlite_child_store.h"
#include "store/sqlite/sqlite_duplicate_store.h"
#include "store/sqlite/sqlite_shield_store.h"
#include "workflow/directory_index.h"
#include "workflow/directory_service.h"
#include "workflow/shielding_service.h"

namespace cp::workflow {
namespace {

using domain::DuplicateStatus;
using domain::LogAction;
using domain::RequestStatus;
using domain::Role;

TimePoint At(int y, int m, int d, int hour = 10) {
  return Date::FromYmd(y, m, d)->StartOfDay() + std::chrono::hours(hour);
}
Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

class NoNamedPersons final : public NamedPersonDirectory {
 public:
  Result<bool> HasNamedPerson(const std::string&) override { return false; }
};

class DuplicateServiceTest : public ::testing::Test {
 protected:
  DuplicateServiceTest()
      : clock_(At(2024, 5, 1)),
        random_(17),
        box_(*crypto::SecretBox::FromKey(std::string(32, 'k'))) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-dup-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto conn = store::sqlite::OpenMainDatabase((dir_ / "main.db").string());
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = *conn;
    children_ = std::make_unique<store::sqlite::SqliteChildStore>(conn_, box_, std::string(32, 'h'),
                                                                  &clock_);
    shields_ = std::make_unique<store::sqlite::SqliteShieldStore>(conn_, box_, clock_);
    duplicates_ =
        std::make_unique<store::sqlite::SqliteDuplicateStore>(conn_, *children_, *shields_);
    shielding_ = std::make_unique<ShieldingService>(*children_, *shields_, named_, audit_, clock_);
    service_ = std::make_unique<DuplicateService>(*children_, *shields_, *duplicates_, *shielding_,
                                                  audit_, clock_);
  }
  void TearDown() override {
    service_.reset();
    shielding_.reset();
    duplicates_.reset();
    shields_.reset();
    children_.reset();
    conn_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A record from `source`: its items all carry that provenance.
  domain::ChildRecord Child(const std::string& given, const std::string& source,
                            const std::string& line_1, const std::string& authority = "LA-NORTH") {
    domain::ChildRecord r;
    r.uin = domain::Uin::Generate(random_);
    domain::Provenance p{source, clock_.Now()};
    r.name = {given, "Stone", p};
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = D(2016, 6, 6);
    r.core_provenance = p;
    r.address = {domain::AddressStatus::kCurrent, line_1, "", "Northtown", "NT2 5RB", {}, p};
    r.carers.push_back({"Carer of " + source, "mother", "07700 900733", "", p});
    r.involvements.push_back({0,
                              "school_nurse",
                              "Nurse " + source,
                              source,
                              "",
                              "",
                              {},
                              {},
                              false,
                              false,
                              domain::SensitiveBasis::kNone,
                              p});
    r.responsible_authority = authority;
    r.id = *children_->Create(r);
    return *children_->Get(r.id);
  }

  Actor Manager(const std::string& la = "LA-NORTH") {
    return {"mo", la, la, {Role::kManagement}, "r", "ip", false};
  }
  Actor Practitioner() {
    return {"pat", "SCH-1", "LA-NORTH", {Role::kPractitioner}, "r", "ip", false};
  }
  Actor System() {
    Actor a;
    a.username = "system";
    a.system = true;
    return a;
  }

  // Shields `r` with a request from a refuge (management applies it).
  int64_t Shield(const domain::ChildRecord& r) {
    ShieldInput in;
    in.uin = r.uin.str();
    in.criteria = {"child_at_risk"};
    in.category = "refuge";
    in.requester = {"Safe Haven Refuge", "01632 960 000", "refuge key worker"};
    auto out = shielding_->RequestShield(Manager(r.responsible_authority), in);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? out->request_id : 0;
  }

  std::vector<domain::ShieldRequest> RequestsOf(int64_t child_id) {
    return *shields_->RequestsForChild(child_id);
  }
  std::set<int64_t> RequestIdsOf(int64_t child_id) {
    std::set<int64_t> ids;
    for (const auto& r : RequestsOf(child_id)) ids.insert(r.id);
    return ids;
  }

  // The (source, name) of every carer and involvement: the items with their provenance.
  static std::set<std::string> Items(const domain::ChildRecord& r) {
    std::set<std::string> out;
    for (const auto& c : r.carers) out.insert("carer:" + c.provenance.source + ":" + c.name);
    for (const auto& v : r.involvements) {
      out.insert("involvement:" + v.provenance.source + ":" + v.practitioner);
    }
    return out;
  }

  FakeClock clock_;
  SeededRandom random_;
  crypto::SecretBox box_;
  std::filesystem::path dir_;
  std::shared_ptr<store::sqlite::SharedConnection> conn_;
  std::unique_ptr<store::sqlite::SqliteChildStore> children_;
  std::unique_ptr<store::sqlite::SqliteShieldStore> shields_;
  std::unique_ptr<store::sqlite::SqliteDuplicateStore> duplicates_;
  NoNamedPersons named_;
  audit::testing::FakeAuditSink audit_;
  std::unique_ptr<ShieldingService> shielding_;
  std::unique_ptr<DuplicateService> service_;
};

TEST_F(DuplicateServiceTest, ProposalOfAPossibleMatchToAShieldedRecordShieldsItFirst) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  Shield(existing);
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  ASSERT_FALSE(children_->Get(incoming.id)->shielded);

  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 12.5, "GP-1");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_TRUE(children_->Get(incoming.id)->shielded);
  auto requests = RequestsOf(incoming.id);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].source, domain::ShieldSource::kPossibleDuplicate);
  // Proposing the same pair again (either order) gives the same queued pair.
  auto again = service_->Propose(System(), existing.uin.str(), incoming.uin.str(), 12.5, "GP-1");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *id);
}

TEST_F(DuplicateServiceTest, MergeKeepsEverySourcesItemsAndEveryShield) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  const int64_t refuge_request = Shield(existing);
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 12.5, "GP-1");
  ASSERT_TRUE(id.ok());
  const std::set<int64_t> incoming_requests = RequestIdsOf(incoming.id);
  ASSERT_EQ(incoming_requests.size(), 1u);
  const auto log_before = shields_->Log("LA-NORTH")->size();
  const auto items_existing = Items(*children_->Get(existing.id));
  const auto items_incoming = Items(*children_->Get(incoming.id));

  auto merged = service_->Confirm(Manager(), *id);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->survivor_uin, existing.uin.str());
  EXPECT_EQ(merged->absorbed_uin, incoming.uin.str());

  auto survivor = children_->Get(existing.id);
  ASSERT_TRUE(survivor.ok());
  EXPECT_TRUE(survivor->shielded);
  // Every item of both sources, each with its own provenance.
  auto items = Items(*survivor);
  for (const auto& i : items_existing) EXPECT_TRUE(items.count(i)) << i;
  for (const auto& i : items_incoming) EXPECT_TRUE(items.count(i)) << i;
  // The absorbed record's name is kept as a known-as name with its source.
  ASSERT_EQ(survivor->known_as.size(), 1u);
  EXPECT_EQ(survivor->known_as[0].given_names, "Rubie");
  EXPECT_EQ(survivor->known_as[0].provenance.source, "GP-1");
  // Every shield request of both, now on the survivor, and the moves are logged.
  std::set<int64_t> expected = incoming_requests;
  expected.insert(refuge_request);
  EXPECT_EQ(RequestIdsOf(existing.id), expected);
  for (const auto& r : RequestsOf(existing.id)) EXPECT_EQ(r.child_uin, existing.uin.str());
  auto log = *shields_->Log("LA-NORTH");
  ASSERT_EQ(log.size(), log_before + 1);
  EXPECT_EQ(log.back().uin, existing.uin.str());
  EXPECT_EQ(log.back().action, LogAction::kAdditionalRequest);
  // The absorbed record is gone from every read.
  EXPECT_EQ(children_->Get(incoming.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(children_->GetByUin(incoming.uin).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*children_->Count(), 1);
  // One open review, on the survivor.
  EXPECT_FALSE(shields_->OpenReview(incoming.id)->has_value());
  EXPECT_TRUE(shields_->OpenReview(existing.id)->has_value());
  ASSERT_EQ(audit_.EventsWithAction("duplicate.merge").size(), 1u);
  EXPECT_EQ(audit_.EventsWithAction("duplicate.merge")[0].outcome, "success");
}

TEST_F(DuplicateServiceTest, MergeShieldsTheSurvivorWhenOnlyTheAbsorbedRecordWasShielded) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  const int64_t request = Shield(incoming);
  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 12.5, "GP-1");
  ASSERT_TRUE(id.ok());
  // §11: the existing record was shielded as a possible duplicate when the pair was queued.
  EXPECT_TRUE(children_->Get(existing.id)->shielded);
  auto merged = service_->Confirm(Manager(), *id);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_TRUE(children_->Get(existing.id)->shielded);
  EXPECT_TRUE(RequestIdsOf(existing.id).count(request));
  auto review = shields_->OpenReview(existing.id);
  ASSERT_TRUE(review.ok() && review->has_value());
  EXPECT_LE((*review)->due, D(2024, 5, 8));
}

TEST_F(DuplicateServiceTest, MergedAwayRecordIsNotFoundBySearch) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Ruby", "GP-1", "9 Elm Street");
  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 20, "GP-1");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  DirectoryIndex index(*children_);
  ASSERT_TRUE(index.Build().ok());
  DirectoryService directory(*children_, index, audit_, "k");
  SearchRequest query{"Ruby", "Stone", "2016-06-06", "", ""};
  auto before = directory.Search(Practitioner(), query);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before->size(), 2u);

  ASSERT_TRUE(service_->Confirm(Manager(), *id).ok());
  ASSERT_TRUE(index.SyncNow().ok());
  auto after = directory.Search(Practitioner(), query);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].uin, existing.uin.str());
  // Opening the absorbed UIN leads to the survivor (docs/duplicates.md), audited as such.
  auto opened = directory.Open(Manager(), incoming.uin.str(), "safeguarding", "");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(std::get<policy::FullChildView>(*opened).uin, existing.uin.str());
}

TEST_F(DuplicateServiceTest, UnmergeRestoresBothExactlyAndKeepsEveryShield) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  const int64_t refuge_request = Shield(existing);
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 12.5, "GP-1");
  ASSERT_TRUE(id.ok());
  const auto existing_before = *children_->Get(existing.id);
  const auto incoming_before = *children_->Get(incoming.id);
  const std::set<int64_t> incoming_requests = RequestIdsOf(incoming.id);

  clock_.Advance(std::chrono::hours(24));
  auto merged = service_->Confirm(Manager(), *id);
  ASSERT_TRUE(merged.ok());
  // After the merge, a practitioner's organisation places another shield on the merged record.
  clock_.Advance(std::chrono::hours(24));
  const int64_t later_request = Shield(existing);

  clock_.Advance(std::chrono::hours(24));
  auto undone = service_->Undo(Manager(), merged->merge_id);
  ASSERT_TRUE(undone.ok()) << undone.status().ToString();

  auto survivor = children_->Get(existing.id);
  auto absorbed = children_->Get(incoming.id);
  ASSERT_TRUE(survivor.ok() && absorbed.ok());
  // Both records with their own items, exactly.
  EXPECT_EQ(Items(*survivor), Items(existing_before));
  EXPECT_EQ(Items(*absorbed), Items(incoming_before));
  EXPECT_EQ(survivor->name, existing_before.name);
  EXPECT_EQ(absorbed->name, incoming_before.name);
  EXPECT_EQ(absorbed->address, incoming_before.address);
  EXPECT_EQ(survivor->address, existing_before.address);
  EXPECT_TRUE(survivor->known_as.empty());
  EXPECT_EQ(absorbed->uin, incoming_before.uin);
  // Shields: each record has its own requests back; the one placed after the merge stays on
  // the survivor; both stay shielded and have a review.
  std::set<int64_t> expected_survivor = {refuge_request, later_request};
  EXPECT_EQ(RequestIdsOf(existing.id), expected_survivor);
  EXPECT_EQ(RequestIdsOf(incoming.id), incoming_requests);
  for (const auto& r : RequestsOf(incoming.id)) EXPECT_EQ(r.child_uin, incoming.uin.str());
  EXPECT_TRUE(survivor->shielded);
  EXPECT_TRUE(absorbed->shielded);
  EXPECT_TRUE(shields_->OpenReview(existing.id)->has_value());
  EXPECT_TRUE(shields_->OpenReview(incoming.id)->has_value());
  // Visible again, and the pair is back in the queue.
  EXPECT_TRUE(children_->GetByUin(incoming.uin).ok());
  EXPECT_EQ(duplicates_->GetDuplicate(*id)->status, DuplicateStatus::kOpen);
  ASSERT_EQ(audit_.EventsWithAction("duplicate.unmerge").size(), 1u);
}

TEST_F(DuplicateServiceTest, UnmergeKeepsBothShieldedWhenAShieldArrivedAfterTheMerge) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 12.5, "GP-1");
  ASSERT_TRUE(id.ok());
  auto merged = service_->Confirm(Manager(), *id);
  ASSERT_TRUE(merged.ok());
  EXPECT_FALSE(children_->Get(existing.id)->shielded);
  Shield(existing);  // After the merge: which of the two it was meant for is in doubt.
  ASSERT_TRUE(service_->Undo(Manager(), merged->merge_id).ok());
  EXPECT_TRUE(children_->Get(existing.id)->shielded);
  EXPECT_TRUE(children_->Get(incoming.id)->shielded);
  EXPECT_TRUE(shields_->OpenReview(incoming.id)->has_value());
}

TEST_F(DuplicateServiceTest, UnmergeKeepsItemsThatArrivedAfterTheMerge) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 12.5, "GP-1");
  ASSERT_TRUE(id.ok());
  auto merged = service_->Confirm(Manager(), *id);
  ASSERT_TRUE(merged.ok());
  clock_.Advance(std::chrono::hours(1));
  auto current = *children_->Get(existing.id);
  current.carers.push_back({"New Carer", "father", "", "", {"LA-SYS", clock_.Now()}});
  ASSERT_TRUE(children_->Update(current).ok());
  ASSERT_TRUE(service_->Undo(Manager(), merged->merge_id).ok());
  EXPECT_TRUE(Items(*children_->Get(existing.id)).count("carer:LA-SYS:New Carer"));
  EXPECT_FALSE(Items(*children_->Get(incoming.id)).count("carer:LA-SYS:New Carer"));
}

TEST_F(DuplicateServiceTest, ConfirmingOrUndoingTwiceIsAClearConflict) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 12.5, "GP-1");
  ASSERT_TRUE(id.ok());
  auto merged = service_->Confirm(Manager(), *id);
  ASSERT_TRUE(merged.ok());
  auto twice = service_->Confirm(Manager(), *id);
  EXPECT_EQ(twice.status().code(), StatusCode::kConflict);
  EXPECT_EQ(twice.status().message(), "already_decided");
  EXPECT_EQ(service_->Reject(Manager(), *id).code(), StatusCode::kConflict);
  ASSERT_TRUE(service_->Undo(Manager(), merged->merge_id).ok());
  auto undo_twice = service_->Undo(Manager(), merged->merge_id);
  EXPECT_EQ(undo_twice.status().code(), StatusCode::kConflict);
  EXPECT_EQ(undo_twice.status().message(), "already_undone");
  EXPECT_EQ(*children_->Count(), 2);
}

TEST_F(DuplicateServiceTest, RejectRemembersTheDoNotMatchPair) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 12.5, "GP-1");
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(service_->Reject(Manager(), *id).ok());
  EXPECT_EQ(duplicates_->GetDuplicate(*id)->status, DuplicateStatus::kRejected);
  EXPECT_TRUE(*duplicates_->IsDoNotMatch(existing.id, incoming.id));
  EXPECT_EQ(*duplicates_->DoNotMatchWith(incoming.id), std::vector<int64_t>{existing.id});
  EXPECT_EQ(*duplicates_->DoNotMatchWith(existing.id), std::vector<int64_t>{incoming.id});
  // Never proposed again, whichever way round.
  auto again = service_->Propose(System(), existing.uin.str(), incoming.uin.str(), 30, "GP-1");
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().message(), "do_not_match");
  EXPECT_EQ(children_->Count().value(), 2);
  ASSERT_EQ(audit_.EventsWithAction("duplicate.reject").size(), 1u);
}

TEST_F(DuplicateServiceTest, OtherAuthoritysManagementIsRefusedAndAudited) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 12.5, "GP-1");
  ASSERT_TRUE(id.ok());
  const Actor south = Manager("LA-SOUTH");
  EXPECT_EQ(service_->Confirm(south, *id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Reject(south, *id).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Get(south, *id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(service_->List(south, std::nullopt)->empty());
  EXPECT_EQ(duplicates_->GetDuplicate(*id)->status, DuplicateStatus::kOpen);
  auto denied = audit_.EventsWithAction("duplicate.merge");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].outcome, "denied");
  auto merged = service_->Confirm(Manager(), *id);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(service_->Undo(south, merged->merge_id).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(DuplicateServiceTest, NonManagementIsRefused) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 12.5, "GP-1");
  ASSERT_TRUE(id.ok());
  const Actor pat = Practitioner();
  EXPECT_EQ(service_->List(pat, std::nullopt).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Get(pat, *id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Confirm(pat, *id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Reject(pat, *id).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Propose(pat, incoming.uin.str(), existing.uin.str(), 1, "x").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(duplicates_->GetDuplicate(*id)->status, DuplicateStatus::kOpen);
}

TEST_F(DuplicateServiceTest, SideBySideGoesThroughTheViewPolicy) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  Shield(existing);
  auto elsewhere = Child("Rubie", "GP-9", "9 Elm Street", "LA-SOUTH");
  auto id = service_->Propose(System(), elsewhere.uin.str(), existing.uin.str(), 12.5, "GP-9");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  // North's management: its own shielded record in full, the other authority's shielded
  // record only as the shielded view.
  auto detail = service_->Get(Manager(), *id);
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  ASSERT_TRUE(detail->other.has_value());
  ASSERT_TRUE(detail->record.has_value());
  EXPECT_TRUE(std::holds_alternative<policy::FullChildView>(*detail->other));
  EXPECT_TRUE(std::holds_alternative<policy::ShieldedChildView>(*detail->record));
  EXPECT_EQ(audit_.EventsWithAction("duplicate.view").size(), 1u);
}

TEST_F(DuplicateServiceTest, ListFiltersByStatusAndNothingHappensWithoutAudit) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto a = Child("Rubie", "GP-1", "9 Elm Street");
  auto b = Child("Roby", "GP-2", "3 Ash Lane");
  auto first = service_->Propose(System(), a.uin.str(), existing.uin.str(), 12.5, "GP-1");
  auto second = service_->Propose(System(), b.uin.str(), existing.uin.str(), 11.0, "GP-2");
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(service_->Reject(Manager(), *second).ok());
  auto open = service_->List(Manager(), DuplicateStatus::kOpen);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].id, *first);
  EXPECT_EQ((*open)[0].record_uin, a.uin.str());
  EXPECT_EQ(service_->List(Manager(), std::nullopt)->size(), 2u);

  audit_.SetFailing(true);
  EXPECT_EQ(service_->Confirm(Manager(), *first).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(service_->List(Manager(), std::nullopt).status().code(), StatusCode::kUnavailable);
  audit_.SetFailing(false);
  EXPECT_EQ(duplicates_->GetDuplicate(*first)->status, DuplicateStatus::kOpen);
  EXPECT_TRUE(children_->Get(a.id).ok());
}

// --- What a merge does to the absorbed record's other pairs (docs/duplicates.md) -----------

TEST_F(DuplicateServiceTest, MergeRepointsOrClosesTheAbsorbedRecordsOtherPairsAndUnmergeRestores) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto third = Child("Rubi", "LA-1", "3 Ash Lane");
  auto refused = Child("Roby", "LA-2", "4 Fir Close");
  auto fifth = Child("Robin", "LA-3", "5 Yew Court");
  auto merged = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 20, "GP-1");
  auto repointed = service_->Propose(System(), incoming.uin.str(), third.uin.str(), 18, "GP-1");
  // `refused` and the survivor are known to be different children.
  auto rejected = service_->Propose(System(), refused.uin.str(), existing.uin.str(), 18, "LA-2");
  ASSERT_TRUE(rejected.ok());
  ASSERT_TRUE(service_->Reject(Manager(), *rejected).ok());
  auto closed_dnm = service_->Propose(System(), incoming.uin.str(), refused.uin.str(), 18, "GP-1");
  // The survivor already has an open pair with `fifth`.
  auto survivor_fifth = service_->Propose(System(), fifth.uin.str(), existing.uin.str(), 18, "LA");
  auto closed_dup = service_->Propose(System(), incoming.uin.str(), fifth.uin.str(), 18, "GP-1");
  for (const auto* id : {&merged, &repointed, &closed_dnm, &survivor_fifth, &closed_dup}) {
    ASSERT_TRUE(id->ok()) << id->status().ToString();
  }

  auto merge = service_->Confirm(Manager(), *merged);
  ASSERT_TRUE(merge.ok()) << merge.status().ToString();

  auto pair = [&](int64_t id) { return *duplicates_->GetDuplicate(id); };
  EXPECT_EQ(pair(*repointed).status, DuplicateStatus::kOpen);
  EXPECT_EQ(pair(*repointed).child_id, existing.id);
  EXPECT_EQ(pair(*repointed).other_child_id, third.id);
  EXPECT_EQ(pair(*closed_dnm).status, DuplicateStatus::kRejected);
  EXPECT_EQ(pair(*closed_dnm).closed_reason, "do_not_match");
  EXPECT_EQ(pair(*closed_dup).status, DuplicateStatus::kRejected);
  EXPECT_EQ(pair(*closed_dup).closed_reason, "superseded_by_open_pair");
  EXPECT_EQ(pair(*survivor_fifth).status, DuplicateStatus::kOpen);
  // A pair closed by a merge is not remembered as do-not-match.
  EXPECT_FALSE(*duplicates_->IsDoNotMatch(incoming.id, fifth.id));
  // The queue no longer holds a pair naming the merged-away record.
  auto open = service_->List(Manager(), DuplicateStatus::kOpen);
  ASSERT_TRUE(open.ok());
  for (const auto& p : *open) {
    EXPECT_FALSE(p.record_merged_away) << p.id;
    EXPECT_NE(p.record_uin, incoming.uin.str());
    EXPECT_NE(p.other_uin, incoming.uin.str());
  }
  // Audited with the merge.
  auto events = audit_.EventsWithAction("duplicate.merge");
  ASSERT_FALSE(events.empty());
  auto details = boost::json::parse(events.back().details_json).as_object();
  EXPECT_EQ(details.at("pairs_repointed").as_array().size(), 1u);
  EXPECT_EQ(details.at("pairs_repointed").as_array()[0].as_int64(), *repointed);
  EXPECT_EQ(details.at("pairs_closed").as_array().size(), 2u);

  // Undo: the re-pointed pair names the absorbed record again, the closed ones reopen.
  ASSERT_TRUE(service_->Undo(Manager(), merge->merge_id).ok());
  EXPECT_EQ(pair(*repointed).status, DuplicateStatus::kOpen);
  EXPECT_EQ(pair(*repointed).child_id, incoming.id);
  EXPECT_EQ(pair(*repointed).other_child_id, third.id);
  for (int64_t id : {*closed_dnm, *closed_dup, *merged}) {
    EXPECT_EQ(pair(id).status, DuplicateStatus::kOpen) << id;
    EXPECT_EQ(pair(id).closed_reason, "") << id;
  }
  auto undone = audit_.EventsWithAction("duplicate.unmerge");
  ASSERT_FALSE(undone.empty());
  EXPECT_EQ(boost::json::parse(undone.back().details_json).at("pairs_restored").as_array().size(),
            3u);
}

TEST_F(DuplicateServiceTest, ARepointedPairCanBeConfirmed) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto third = Child("Rubi", "LA-1", "3 Ash Lane");
  auto first = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 20, "GP-1");
  auto second = service_->Propose(System(), incoming.uin.str(), third.uin.str(), 18, "GP-1");
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(service_->Confirm(Manager(), *first).ok());
  // Before the fix this was FailedPrecondition("record_merged") (422).
  auto again = service_->Confirm(Manager(), *second);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->survivor_uin, third.uin.str());
  EXPECT_EQ(again->absorbed_uin, existing.uin.str());
  // The first merge cannot be undone while its survivor is merged away (undo the second first).
  EXPECT_EQ(children_->Get(existing.id).status().code(), StatusCode::kNotFound);
}

TEST_F(DuplicateServiceTest, AMergeThatFindsAnotherPairDecidedMeanwhileChangesNothing) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto third = Child("Rubi", "LA-1", "3 Ash Lane");
  auto first = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 20, "GP-1");
  auto second = service_->Propose(System(), incoming.uin.str(), third.uin.str(), 18, "GP-1");
  ASSERT_TRUE(first.ok() && second.ok());
  // The store refuses a follow-up for a pair that is no longer open (decided meanwhile).
  ASSERT_TRUE(service_->Reject(Manager(), *second).ok());
  store::MergeChange change;
  change.duplicate_id = *first;
  change.survivor = *children_->Get(existing.id);
  change.survivor_before = change.survivor;
  change.absorbed_before = *children_->Get(incoming.id);
  change.absorbed_id = incoming.id;
  change.absorbed_version = change.absorbed_before.version;
  change.pair_follow_ups.push_back({*second, existing.id, third.id, ""});
  change.at = clock_.Now();
  EXPECT_EQ(duplicates_->CommitMerge(change).status().code(), StatusCode::kConflict);
  EXPECT_TRUE(children_->Get(incoming.id).ok());
  EXPECT_EQ((*duplicates_->GetDuplicate(*first)).status, DuplicateStatus::kOpen);
}

// --- Requests addressed to a merged-away UIN (docs/duplicates.md) --------------------------

TEST_F(DuplicateServiceTest, MergedAwayUinOpensTheSurvivorOnlyAsThePolicyAllows) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  Shield(existing);
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 20, "GP-1");
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(service_->Confirm(Manager(), *id).ok());
  DirectoryIndex index(*children_);
  ASSERT_TRUE(index.Build().ok());
  DirectoryService directory(*children_, index, audit_, "k");

  // A practitioner asking by the absorbed UIN sees only the survivor's shielded view: the
  // redirect shows nothing the survivor's own UIN would not.
  auto practitioner = directory.Open(Practitioner(), incoming.uin.str(), "safeguarding", "");
  ASSERT_TRUE(practitioner.ok()) << practitioner.status().ToString();
  ASSERT_TRUE(std::holds_alternative<policy::ShieldedChildView>(*practitioner));
  EXPECT_EQ(std::get<policy::ShieldedChildView>(*practitioner).uin, existing.uin.str());
  auto viewed = audit_.EventsWithAction("child.view");
  ASSERT_FALSE(viewed.empty());
  EXPECT_EQ(viewed.back().target, "child:" + existing.uin.str());
  EXPECT_EQ(boost::json::parse(viewed.back().details_json).at("merged_from").as_string(),
            incoming.uin.str());
  // Another authority's management: shielded view too.
  auto other = directory.Open(Manager("LA-SOUTH"), incoming.uin.str(), "safeguarding", "");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(std::holds_alternative<policy::ShieldedChildView>(*other));
  // The record's own management sees it in full.
  auto own = directory.Open(Manager(), incoming.uin.str(), "safeguarding", "");
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(std::holds_alternative<policy::FullChildView>(*own));
  // No redirect without the right to view records at all, and none for an unknown UIN.
  Actor nobody{"sam", "SCH-1", "LA-NORTH", {}, "r", "ip", false};
  EXPECT_EQ(directory.Open(nobody, incoming.uin.str(), "safeguarding", "").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(directory.Open(Manager(), domain::Uin::Generate(random_).str(), "safeguarding", "")
                .status()
                .code(),
            StatusCode::kNotFound);
  // After the unmerge the absorbed UIN is its own record again.
  auto merges = duplicates_->LiveMergeOf(*id);
  ASSERT_TRUE(merges.ok() && merges->has_value());
  ASSERT_TRUE(service_->Undo(Manager(), (*merges)->id).ok());
  auto back = directory.Open(Manager(), incoming.uin.str(), "safeguarding", "");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::get<policy::FullChildView>(*back).uin, incoming.uin.str());
}

TEST_F(DuplicateServiceTest, AShieldRequestForAMergedAwayUinShieldsTheSurvivor) {
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street");
  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 20, "GP-1");
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(service_->Confirm(Manager(), *id).ok());
  const int64_t request = Shield(incoming);  // By the UIN that was merged away.
  ASSERT_NE(request, 0);
  auto stored = shields_->GetRequest(request);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->child_id, existing.id);
  EXPECT_EQ(stored->child_uin, existing.uin.str());
  EXPECT_TRUE(children_->Get(existing.id)->shielded);
}

TEST_F(DuplicateServiceTest, MergeMovesBrokeringRequestsAndEndsGrantsOnTheAbsorbedRecord) {
  store::sqlite::SqliteBreakGlassStore break_glass(conn_, box_);
  auto existing = Child("Ruby", "SCH-1", "1 Oak Road");
  auto incoming = Child("Rubie", "GP-1", "9 Elm Street", "LA-SOUTH");
  Shield(incoming);
  domain::BrokeringRequest br;
  br.child_id = incoming.id;
  br.child_uin = incoming.uin.str();
  br.authority = incoming.responsible_authority;
  br.requester = "pat";
  br.requester_organisation = "SCH-1";
  br.reason = "A reason";
  br.created_at = clock_.Now();
  auto brokering = break_glass.CreateBrokering(
      br, {0, clock_.Now(), "pat", "requested", "A reason"},
      {0, "management:LA-SOUTH", "brokering", "Request", incoming.uin.str(), 0, clock_.Now()});
  ASSERT_TRUE(brokering.ok()) << brokering.status().ToString();
  domain::BreakGlassGrant grant;
  grant.username = "dr";
  grant.child_id = incoming.id;
  grant.child_uin = incoming.uin.str();
  grant.reason_code = "emergency";
  grant.created_at = clock_.Now();
  grant.expires_at = clock_.Now() + std::chrono::hours(1);
  domain::Investigation inv;
  inv.username = "dr";
  inv.user_organisation = "GP-1";
  inv.child_uin = incoming.uin.str();
  inv.authority = "LA-SOUTH";
  inv.reason_code = "emergency";
  inv.reason_text = "A reason";
  inv.opened_at = clock_.Now();
  inv.due = D(2024, 5, 2);
  auto opened = break_glass.OpenGrant(
      grant, inv,
      {0, "management:LA-SOUTH", "break_glass", "Used", incoming.uin.str(), 0, clock_.Now()});
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();

  auto id = service_->Propose(System(), incoming.uin.str(), existing.uin.str(), 20, "GP-1");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto merge = service_->Confirm(Manager(), *id);
  ASSERT_TRUE(merge.ok()) << merge.status().ToString();

  auto moved = break_glass.GetBrokering(*brokering);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->child_id, existing.id);
  EXPECT_EQ(moved->child_uin, existing.uin.str());
  EXPECT_EQ(moved->authority, "LA-NORTH");
  auto ended = break_glass.GetGrant(opened->grant_id);
  ASSERT_TRUE(ended.ok());
  EXPECT_TRUE(ended->ended_at.has_value());
  EXPECT_EQ(ended->end_reason, "record_merged");
  auto details = boost::json::parse(audit_.EventsWithAction("duplicate.merge").back().details_json);
  EXPECT_EQ(details.at("brokering_moved").as_array().size(), 1u);
  EXPECT_EQ(details.at("grants_ended").as_array().size(), 1u);
  // The survivor is shielded: the absorbed record's shield came with it.
  EXPECT_TRUE(children_->Get(existing.id)->shielded);

  ASSERT_TRUE(service_->Undo(Manager(), merge->merge_id).ok());
  auto back = break_glass.GetBrokering(*brokering);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->child_id, incoming.id);
  EXPECT_EQ(back->child_uin, incoming.uin.str());
  EXPECT_EQ(back->authority, "LA-SOUTH");
  // An ended grant stays ended: its holder breaks glass again if still needed.
  EXPECT_EQ(break_glass.GetGrant(opened->grant_id)->end_reason, "record_merged");
}

}  // namespace
}  // namespace cp::workflow
