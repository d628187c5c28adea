// BrokeringService: the request, management's contact, the practitioner's decision, the
// requester's signed reasons after a decline, the timeline, and that the requester never sees
// a shielded detail that was not released. Real SQLite stores, FakeAuditSink, FakeClock.
#include "workflow/brokering_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "audit/testing/fake_audit_sink.h"
#include "crypto/secret_box.h"
#include "domain/child_record.h"
#include "store/sqlite/sqlite_break_glass_store.h"
#include "store/sqlite/sqlite_child_store.h"
#include "store/sqlite/sqlite_organisation_store.h"
#include "store/sqlite/sqlite_shield_store.h"
#include "store/sqlite/sqlite_user_store.h"

namespace cp::workflow {
namespace {

using domain::Role;

TimePoint At(int y, int m, int d, int hour, int minute = 0) {
  return Date::FromYmd(y, m, d)->StartOfDay() + std::chrono::hours(hour) +
         std::chrono::minutes(minute);
}

// Everything behind Ruby's shield.
const char* const kHidden[] = {"Willow Court", "NT2 5RB",    "Laura Stone",   "07700 900733",
                               "Marsh",        "Sally Ward", "01632 960 512", "Northshire CC"};

// Every string a view carries, to look for leaks.
std::string AllText(const BrokeringView& v) {
  std::string all = v.uin + v.authority + v.requester + v.requester_organisation + v.status +
                    v.reason + v.practitioner + v.practitioner_username + v.released +
                    v.decline_reasons + std::to_string(v.involvement_id);
  for (const auto& s : v.timeline) all += s.actor + s.kind + s.note;
  return all;
}

class BrokeringServiceTest : public ::testing::Test {
 protected:
  BrokeringServiceTest()
      : clock_(At(2026, 3, 3, 10)),
        random_(9),
        box_(*crypto::SecretBox::FromKey(std::string(32, 'k'))) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-broker-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    conn_ = *store::sqlite::OpenMainDatabase((dir_ / "main.db").string());
    children_ = std::make_unique<store::sqlite::SqliteChildStore>(conn_, box_, std::string(32, 'h'),
                                                                  &clock_);
    orgs_ = std::make_unique<store::sqlite::SqliteOrganisationStore>(conn_);
    users_ = std::make_unique<store::sqlite::SqliteUserStore>(conn_);
    store_ = std::make_unique<store::sqlite::SqliteBreakGlassStore>(conn_, box_);
    shields_ = std::make_unique<store::sqlite::SqliteShieldStore>(conn_, box_, clock_);
    service_ = std::make_unique<BrokeringService>(*children_, *store_, *users_, audit_, clock_);
    domain::Organisation o;
    o.code = "LA-NORTH";
    o.name = "North";
    o.local_authority_code = "LA-NORTH";
    domain::User sally;
    sally.username = "sally.ward";
    sally.display_name = "Sally Ward";
    sally.organisation_id = *orgs_->Create(o);
    sally.roles = {Role::kPractitioner};
    ASSERT_TRUE(users_->Create(sally, {}).ok());
    ruby_ = Child(true);
    amelia_ = Child(false);
  }
  void TearDown() override {
    service_.reset();
    shields_.reset();
    store_.reset();
    users_.reset();
    orgs_.reset();
    children_.reset();
    conn_.reset();
    std::filesystem::remove_all(dir_);
  }

  domain::ChildRecord Child(bool shielded) {
    domain::ChildRecord r;
    r.uin = domain::Uin::Generate(random_);
    domain::Provenance p{"VOL-1", At(2025, 1, 1, 9)};
    r.name = {"Ruby", "Stone", p};
    r.former_names.push_back({"Ruby", "Marsh", p});
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = *Date::FromYmd(2018, 5, 5);
    r.core_provenance = p;
    r.address = {
        domain::AddressStatus::kCurrent, "9 Willow Court", "", "Northtown", "NT2 5RB", {}, p};
    r.carers.push_back({"Laura Stone", "mother", "07700 900733", "", p});
    r.involvements.push_back({0,
                              "social_care",
                              "Sally Ward",
                              "Northshire CC",
                              "01632 960 512",
                              "",
                              {},
                              {},
                              true,
                              false,
                              domain::SensitiveBasis::kNone,
                              p});
    r.responsible_authority = "LA-NORTH";
    r.shielded = shielded;
    r.id = *children_->Create(r);
    return *children_->Get(r.id);  // With the involvement ids the store gave.
  }

  Actor Pat() { return {"pat", "SCH-1", "LA-NORTH", {Role::kPractitioner}, "r", "ip", false}; }
  Actor Sally() {
    return {"sally.ward", "LA-NORTH", "LA-NORTH", {Role::kPractitioner}, "r", "ip", false};
  }
  Actor Other() { return {"olly", "SCH-1", "LA-NORTH", {Role::kPractitioner}, "r", "ip", false}; }
  Actor Manager(const std::string& la = "LA-NORTH") {
    return {"mo", la, la, {Role::kManagement}, "r", "ip", false};
  }

  int64_t Requested() {
    auto id = service_->Request(Pat(), ruby_.uin.str(),
                                "Child disclosed at school; need the social worker");
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  void ExpectNoLeak(const BrokeringView& v, const std::string& context) {
    EXPECT_FALSE(v.full) << context;
    std::string all = AllText(v);
    for (const char* secret : kHidden) {
      EXPECT_EQ(all.find(secret), std::string::npos) << context << " leaks " << secret;
    }
  }

  FakeClock clock_;
  SeededRandom random_;
  crypto::SecretBox box_;
  std::filesystem::path dir_;
  std::shared_ptr<store::sqlite::SharedConnection> conn_;
  std::unique_ptr<store::sqlite::SqliteChildStore> children_;
  std::unique_ptr<store::sqlite::SqliteOrganisationStore> orgs_;
  std::unique_ptr<store::sqlite::SqliteUserStore> users_;
  std::unique_ptr<store::sqlite::SqliteBreakGlassStore> store_;
  std::unique_ptr<store::sqlite::SqliteShieldStore> shields_;
  audit::testing::FakeAuditSink audit_;
  std::unique_ptr<BrokeringService> service_;
  domain::ChildRecord ruby_, amelia_;
};

TEST_F(BrokeringServiceTest, ARequestNeedsAShieldedRecordAndAReason) {
  EXPECT_EQ(service_->Request(Pat(), amelia_.uin.str(), "reason").status(),
            Status::FailedPrecondition("not_shielded"));
  EXPECT_EQ(service_->Request(Pat(), ruby_.uin.str(), "  ").status().field(), "reason");
  EXPECT_EQ(service_->Request(Manager(), ruby_.uin.str(), "x").status().code(),
            StatusCode::kPermissionDenied);
  int64_t id = Requested();
  EXPECT_GT(id, 0);
  EXPECT_EQ(audit_.last().action, "brokering.request");
  auto notes = *shields_->Notifications({"management:LA-NORTH"});
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].kind, "brokering_request");
}

TEST_F(BrokeringServiceTest, TheDeclinePathEndsWithTheRequestersSignedDatedReasons) {
  int64_t id = Requested();
  // Management sees the request in full (and the record through the view policy).
  clock_.Advance(std::chrono::minutes(5));
  auto seen = service_->Get(Manager(), id);
  ASSERT_TRUE(seen.ok());
  EXPECT_TRUE(seen->full);
  ASSERT_EQ(seen->candidates.size(), 1u);
  EXPECT_EQ(seen->candidates[0].involvement_id, ruby_.involvements[0].id);
  EXPECT_EQ(seen->candidates[0].practitioner, "Sally Ward");
  EXPECT_EQ(service_->List(Manager())->size(), 1u);
  EXPECT_EQ(service_->Get(Manager("LA-SOUTH"), id).status().code(), StatusCode::kNotFound);
  // Only management records the contact, with a practitioner listed on the record.
  EXPECT_EQ(service_->RecordContact(Pat(), id, {ruby_.involvements[0].id, "", ""}).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->RecordContact(Manager(), id, {999, "", ""}).field(), "involvement_id");
  EXPECT_EQ(service_->Decide(Manager(), id, "decline", "").code(), StatusCode::kFailedPrecondition);
  clock_.Advance(std::chrono::minutes(5));
  ASSERT_TRUE(
      service_->RecordContact(Manager(), id, {ruby_.involvements[0].id, "", "sally.ward"}).ok());
  // The practitioner, a user, decides in the app: decline.
  EXPECT_EQ(service_->Decide(Other(), id, "decline", "").code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Decide(Sally(), id, "maybe", "").field(), "decision");
  auto for_sally = service_->Get(Sally(), id);
  ASSERT_TRUE(for_sally.ok());
  EXPECT_TRUE(for_sally->full);
  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(service_->Decide(Sally(), id, "decline", "").ok());
  EXPECT_EQ(shields_->Notifications({"user:pat"})->at(0).kind, "brokering_outcome");

  // The requester is told, and records the reasons, signed (confirmed, signed in) and dated.
  auto told = *service_->Get(Pat(), id);
  EXPECT_EQ(told.status, "declined");
  ExpectNoLeak(told, "declined");
  EXPECT_EQ(service_->Acknowledge(Manager(), id, "r", true).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Acknowledge(Pat(), id, "", true).field(), "reasons");
  EXPECT_EQ(service_->Acknowledge(Pat(), id, "Not proportionate", false).field(), "confirm");
  clock_.Advance(std::chrono::minutes(30));
  ASSERT_TRUE(
      service_->Acknowledge(Pat(), id, "Not proportionate; contact the police instead", true).ok());
  EXPECT_EQ(service_->Acknowledge(Pat(), id, "again", true).code(),
            StatusCode::kFailedPrecondition);
  auto done = *service_->Get(Pat(), id);
  ExpectNoLeak(done, "acknowledged");
  EXPECT_EQ(done.status, "acknowledged");
  EXPECT_EQ(done.decline_reasons, "Not proportionate; contact the police instead");
  EXPECT_EQ(done.acknowledged_at, At(2026, 3, 3, 11, 40));
  std::vector<std::string> kinds;
  for (const auto& s : done.timeline) kinds.push_back(s.kind);
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"requested", "management_viewed", "practitioner_contacted",
                                      "declined", "requester_acknowledged"}));
  EXPECT_EQ(done.timeline.back().actor, "pat");
  EXPECT_EQ(done.timeline.back().at, At(2026, 3, 3, 11, 40));
  // Every step was audited.
  for (const char* action : {"brokering.request", "brokering.view", "brokering.contacted",
                             "brokering.decision", "brokering.acknowledge"}) {
    EXPECT_FALSE(audit_.EventsWithAction(action).empty()) << action;
  }
  // Management's full view names the practitioner.
  auto full = *service_->Get(Manager(), id);
  EXPECT_NE(AllText(full).find("Sally Ward"), std::string::npos);
}

TEST_F(BrokeringServiceTest, WhenSharedTheRequesterSeesOnlyTheReleasedText) {
  int64_t id = Requested();
  ExpectNoLeak(*service_->Get(Pat(), id), "requested");
  ASSERT_TRUE(service_->RecordContact(Manager(), id, {ruby_.involvements[0].id, "", ""}).ok());
  ExpectNoLeak(*service_->Get(Pat(), id), "contacted");
  auto list = service_->List(Pat());
  ASSERT_TRUE(list.ok());
  for (const auto& v : *list) ExpectNoLeak(v, "list");
  EXPECT_EQ(service_->Decide(Manager(), id, "share", " ").field(), "released");
  ASSERT_TRUE(service_->Decide(Manager(), id, "share", "Call the duty desk on 01632 960 999").ok());
  auto shared = *service_->Get(Pat(), id);
  ExpectNoLeak(shared, "shared");
  EXPECT_EQ(shared.released, "Call the duty desk on 01632 960 999");
  EXPECT_EQ(service_->Acknowledge(Pat(), id, "r", true).code(), StatusCode::kFailedPrecondition);
  // Someone with no part in it is not told it exists.
  EXPECT_EQ(service_->Get(Other(), id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(audit_.last().outcome, "denied");
}

TEST_F(BrokeringServiceTest, APractitionerNotListedCanBeNamedByManagement) {
  int64_t id = Requested();
  EXPECT_EQ(service_->RecordContact(Manager(), id, {0, "", ""}).field(), "practitioner");
  EXPECT_EQ(service_->RecordContact(Manager(), id, {0, "GP", "nobody"}).field(),
            "practitioner_username");
  ASSERT_TRUE(service_->RecordContact(Manager(), id, {0, "Dr Khan, Elm Tree surgery", ""}).ok());
  EXPECT_EQ(service_->RecordContact(Manager(), id, {0, "Again", ""}).code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(service_->Decide(Manager(), id, "decline", "").ok());
  auto v = *service_->Get(Pat(), id);
  EXPECT_EQ(AllText(v).find("Khan"), std::string::npos);
}

TEST_F(BrokeringServiceTest, IfTheAuditCannotBeWrittenNothingIsRecorded) {
  audit_.SetFailing(true);
  EXPECT_EQ(service_->Request(Pat(), ruby_.uin.str(), "reason").status().code(),
            StatusCode::kUnavailable);
  audit_.SetFailing(false);
  EXPECT_TRUE(service_->List(Pat())->empty());
}

}  // namespace
}  // namespace cp::workflow
