// BreakGlassService with DirectoryService: the right, the grant's end (leaving the record, the
// 15-minute limit), revocation, expiry, the investigation and its notification, over the real
// SQLite stores in a temporary database, a FakeAuditSink and a FakeClock.
#include "workflow/break_glass_service.h"

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
#include "workflow/directory_index.h"
#include "workflow/directory_service.h"

namespace cp::workflow {
namespace {

using domain::Role;

TimePoint At(int y, int m, int d, int hour, int minute = 0) {
  return Date::FromYmd(y, m, d)->StartOfDay() + std::chrono::hours(hour) +
         std::chrono::minutes(minute);
}

// What Ruby's record holds behind its shield.
const char* const kHidden[] = {"Willow Court", "NT2 5RB", "Laura Stone", "Marsh", "Sally Ward"};

class BreakGlassServiceTest : public ::testing::Test {
 protected:
  // Friday 9 January 2026, 14:45 UTC.
  BreakGlassServiceTest()
      : clock_(At(2026, 1, 9, 14, 45)),
        random_(5),
        box_(*crypto::SecretBox::FromKey(std::string(32, 'k'))) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-bg-" + std::to_string(::getpid()) + "-" +
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
    service_ =
        std::make_unique<BreakGlassService>(*children_, *store_, *users_, *orgs_, audit_, clock_);
    index_ = std::make_unique<DirectoryIndex>(*children_);
    directory_ =
        std::make_unique<DirectoryService>(*children_, *index_, audit_, "k", service_.get());
    for (auto [code, la] : {std::pair{"LA-NORTH", "LA-NORTH"}, std::pair{"LA-SOUTH", "LA-SOUTH"},
                            std::pair{"POL-N", "LA-NORTH"}}) {
      domain::Organisation o;
      o.code = code;
      o.name = code;
      o.local_authority_code = la;
      ASSERT_TRUE(orgs_->Create(o).ok());
    }
    AddUser("blake", "POL-N", {Role::kBreakGlass, Role::kPractitioner});
    AddUser("pat", "POL-N", {Role::kPractitioner});
    ruby_ = Child("Ruby", true);
    leo_ = Child("Leo", true);
    amelia_ = Child("Amelia", false);
    ASSERT_TRUE(index_->SyncNow().ok());
  }
  void TearDown() override {
    directory_.reset();
    index_.reset();
    service_.reset();
    shields_.reset();
    store_.reset();
    users_.reset();
    orgs_.reset();
    children_.reset();
    conn_.reset();
    std::filesystem::remove_all(dir_);
  }

  void AddUser(const std::string& username, const std::string& org, domain::RoleSet roles) {
    domain::User u;
    u.username = username;
    u.display_name = username;
    u.organisation_id = orgs_->GetByCode(org)->id;
    u.roles = roles;
    ASSERT_TRUE(users_->Create(u, {}).ok());
  }

  domain::ChildRecord Child(const std::string& given, bool shielded) {
    domain::ChildRecord r;
    r.uin = domain::Uin::Generate(random_);
    domain::Provenance p{"VOL-1", At(2025, 1, 1, 9)};
    r.name = {given, "Stone", p};
    r.former_names.push_back({given, "Marsh", p});
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = *Date::FromYmd(2018, 5, 5);
    r.core_provenance = p;
    r.address = {
        domain::AddressStatus::kCurrent, "9 Willow Court", "", "Northtown", "NT2 5RB", {}, p};
    r.carers.push_back({"Laura Stone", "mother", "07700 900733", "", p});
    r.involvements.push_back({0,
                              "social_care",
                              "Sally Ward",
                              "Northshire",
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
    return r;
  }

  Actor Blake() {
    return {"blake", "POL-N", "LA-NORTH", {Role::kBreakGlass, Role::kPractitioner},
            "r",     "ip",    false};
  }
  Actor Pat() { return {"pat", "POL-N", "LA-NORTH", {Role::kPractitioner}, "r", "ip", false}; }
  Actor Manager(const std::string& la = "LA-NORTH") {
    return {"mo", la, la, {Role::kManagement}, "r", "ip", false};
  }

  // Nominates and approves blake (approved 1 June 2025).
  void AuthoriseBlake(const std::string& approved_on = "2025-06-01") {
    ASSERT_TRUE(service_->Nominate(Manager(), "blake").ok());
    auto approved = service_->RecordApproval(
        Manager(), "blake", {"Chair, Northshire LSCB", approved_on, "LSCB/2025/7"});
    ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  }

  StepUpCheck StepUpOk() {
    return [this] {
      ++step_ups_;
      return Status::Ok();
    };
  }

  Result<GrantInfo> Use(const Actor& actor, const domain::ChildRecord& r,
                        const std::string& code = "ae_attendance",
                        const std::string& text = "Child in A&E at 02:00, no carer present") {
    return service_->Use(actor, r.uin.str(), code, text, StepUpOk());
  }

  // The view `actor` gets of `r`, and whether it is full.
  bool SeesFull(const Actor& actor, const domain::ChildRecord& r) {
    auto view = directory_->Open(actor, r.uin.str(), "safeguarding", "");
    EXPECT_TRUE(view.ok()) << view.status().ToString();
    if (!view.ok()) return false;
    if (const auto* s = std::get_if<policy::ShieldedChildView>(&*view)) {
      std::string all =
          s->uin + s->given_names + s->family_name + s->gender + s->date_of_birth + s->notice;
      for (const char* secret : kHidden) EXPECT_EQ(all.find(secret), std::string::npos) << secret;
      return false;
    }
    return true;
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
  std::unique_ptr<BreakGlassService> service_;
  std::unique_ptr<DirectoryIndex> index_;
  std::unique_ptr<DirectoryService> directory_;
  domain::ChildRecord ruby_, leo_, amelia_;
  int step_ups_ = 0;
};

TEST_F(BreakGlassServiceTest, WithoutTheRoleAndAnActiveApprovalThereIsNoGrantAndNoHiddenField) {
  // No role.
  EXPECT_EQ(Use(Pat(), ruby_).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(audit_.last().outcome, "denied");
  EXPECT_EQ(audit_.last().reason, "rbac");
  // The role but no authorisation.
  EXPECT_EQ(Use(Blake(), ruby_).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(audit_.last().reason, "no_authorisation");
  // Nominated, but the LSCB approval is not recorded yet.
  ASSERT_TRUE(service_->Nominate(Manager(), "blake").ok());
  EXPECT_EQ(Use(Blake(), ruby_).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(audit_.last().reason, "pending");
  EXPECT_FALSE(*service_->HoldsRight(Blake()));
  EXPECT_EQ(step_ups_, 0);  // No code is spent on a refused request.
  EXPECT_FALSE(SeesFull(Blake(), ruby_));
  EXPECT_FALSE(SeesFull(Pat(), ruby_));
  EXPECT_TRUE(store_->LiveGrants("blake", clock_.Now())->empty());
}

TEST_F(BreakGlassServiceTest, AGrantShowsThatRecordInFullUntilExactlyFifteenMinutes) {
  AuthoriseBlake();
  EXPECT_TRUE(*service_->HoldsRight(Blake()));
  EXPECT_FALSE(SeesFull(Blake(), ruby_));
  auto grant = Use(Blake(), ruby_);
  ASSERT_TRUE(grant.ok()) << grant.status().ToString();
  EXPECT_EQ(step_ups_, 1);
  EXPECT_EQ(grant->expires_at, At(2026, 1, 9, 15, 0));

  auto view = directory_->Open(Blake(), ruby_.uin.str(), "safeguarding", "");
  ASSERT_TRUE(view.ok());
  const auto* full = std::get_if<policy::FullChildView>(&*view);
  ASSERT_NE(full, nullptr);
  EXPECT_TRUE(full->break_glass);
  EXPECT_EQ(full->address.postcode, "NT2 5RB");
  auto event = audit_.last();
  EXPECT_EQ(event.action, "child.view");
  EXPECT_NE(event.details_json.find("\"view_level\":\"full\""), std::string::npos);
  EXPECT_NE(event.details_json.find("\"break_glass\":true"), std::string::npos);
  EXPECT_NE(event.details_json.find("\"grant_id\":" + std::to_string(grant->grant_id)),
            std::string::npos);

  // Another user, and another record, are not opened by the grant.
  EXPECT_FALSE(SeesFull(Pat(), ruby_));
  clock_.Set(At(2026, 1, 9, 15, 0) - std::chrono::microseconds(1));
  EXPECT_TRUE(SeesFull(Blake(), ruby_));
  clock_.Set(At(2026, 1, 9, 15, 0));
  EXPECT_FALSE(SeesFull(Blake(), ruby_));
}

TEST_F(BreakGlassServiceTest, OpeningAnotherRecordOrSearchingLeavesTheRecord) {
  AuthoriseBlake();
  ASSERT_TRUE(Use(Blake(), ruby_).ok());
  EXPECT_TRUE(SeesFull(Blake(), ruby_));
  // Opening a record that is not shielded is leaving Ruby's.
  EXPECT_TRUE(SeesFull(Blake(), amelia_));
  EXPECT_FALSE(SeesFull(Blake(), ruby_));
  EXPECT_EQ(audit_.EventsWithAction("break_glass.end").size(), 1u);
  EXPECT_EQ(audit_.EventsWithAction("break_glass.end")[0].reason, "left_record");

  ASSERT_TRUE(Use(Blake(), ruby_).ok());
  EXPECT_FALSE(SeesFull(Blake(), leo_));  // Another shielded record: shielded, and leaves Ruby's.
  EXPECT_FALSE(SeesFull(Blake(), ruby_));

  ASSERT_TRUE(Use(Blake(), ruby_).ok());
  ASSERT_TRUE(directory_->Search(Blake(), {"Ruby", "Stone", "", "", ""}).ok());
  EXPECT_FALSE(SeesFull(Blake(), ruby_));
  EXPECT_EQ(audit_.EventsWithAction("break_glass.end").back().reason, "search");

  auto grant = Use(Blake(), ruby_);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(service_->EndGrant(Pat(), grant->grant_id).code(), StatusCode::kNotFound);
  EXPECT_TRUE(service_->EndGrant(Blake(), grant->grant_id).ok());
  EXPECT_TRUE(service_->EndGrant(Blake(), grant->grant_id).ok());  // Idempotent.
  EXPECT_FALSE(SeesFull(Blake(), ruby_));
}

TEST_F(BreakGlassServiceTest, ANewGrantSupersedesTheLastOne) {
  AuthoriseBlake();
  ASSERT_TRUE(Use(Blake(), ruby_).ok());
  ASSERT_TRUE(Use(Blake(), leo_).ok());
  auto live = *store_->LiveGrants("blake", clock_.Now());
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].child_id, leo_.id);
}

TEST_F(BreakGlassServiceTest, RevocationAppliesOnTheHoldersNextRequest) {
  AuthoriseBlake();
  ASSERT_TRUE(Use(Blake(), ruby_).ok());
  EXPECT_TRUE(SeesFull(Blake(), ruby_));
  ASSERT_TRUE(service_->Revoke(Manager(), "blake").ok());
  EXPECT_EQ(audit_.last().action, "break_glass.revoke");
  EXPECT_FALSE(SeesFull(Blake(), ruby_));
  EXPECT_EQ(Use(Blake(), ruby_).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(audit_.last().reason, "no_authorisation");
  auto holders = *service_->Holders(Manager());
  ASSERT_EQ(holders.size(), 1u);
  EXPECT_EQ(holders[0].status, domain::HolderStatus::kRevoked);
  // Management of another authority cannot revoke or nominate here.
  ASSERT_TRUE(service_->Nominate(Manager(), "blake").ok());
  EXPECT_EQ(service_->Revoke(Manager("LA-SOUTH"), "blake").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Nominate(Manager("LA-SOUTH"), "pat").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Nominate(Pat(), "pat").status().code(), StatusCode::kPermissionDenied);
}

TEST_F(BreakGlassServiceTest, AnApprovalLapsesAfterAYearEvenDuringAGrant) {
  // Approved 10 January 2025: the last day is 9 January 2026.
  AuthoriseBlake("2025-01-10");
  clock_.Set(At(2026, 1, 9, 23, 50));
  ASSERT_TRUE(Use(Blake(), ruby_).ok());
  EXPECT_TRUE(SeesFull(Blake(), ruby_));
  clock_.Set(At(2026, 1, 10, 0, 1));  // The grant has 4 minutes left, the right none.
  EXPECT_FALSE(SeesFull(Blake(), ruby_));
  EXPECT_EQ(Use(Blake(), ruby_).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(audit_.last().reason, "expired");
  EXPECT_EQ((*service_->Holders(Manager()))[0].status, domain::HolderStatus::kExpired);
  // Renewal.
  ASSERT_TRUE(service_
                  ->RecordApproval(Manager(), "blake",
                                   {"Chair, Northshire LSCB", "2026-01-10", "LSCB/2026/1"})
                  .ok());
  EXPECT_TRUE(Use(Blake(), ruby_).ok());
}

TEST_F(BreakGlassServiceTest, ApprovalsNeedWhoWhenAndAReference) {
  ASSERT_TRUE(service_->Nominate(Manager(), "blake").ok());
  EXPECT_EQ(service_->Nominate(Manager(), "blake").status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(service_->Nominate(Manager(), "nobody").status().field(), "username");
  EXPECT_EQ(service_->RecordApproval(Manager(), "blake", {"", "2025-06-01", "R"}).status().field(),
            "approved_by");
  EXPECT_EQ(
      service_->RecordApproval(Manager(), "blake", {"Chair", "2025-06-01", ""}).status().field(),
      "reference");
  EXPECT_EQ(
      service_->RecordApproval(Manager(), "blake", {"Chair", "2026-02-01", "R"}).status().field(),
      "approved_on");
  EXPECT_EQ(
      service_->RecordApproval(Manager(), "pat", {"Chair", "2025-06-01", "R"}).status().code(),
      StatusCode::kNotFound);
  auto info = service_->RecordApproval(Manager(), "blake", {"Chair", "2025-06-01", "LSCB/7"});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->status, domain::HolderStatus::kActive);
  EXPECT_EQ(info->expires_on, *Date::FromYmd(2026, 5, 31));
  EXPECT_TRUE(info->has_role);
  auto listed = *service_->Holders(Manager());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].holder.approval_reference, "LSCB/7");
  EXPECT_EQ(listed[0].holder.approved_by, "Chair");
  EXPECT_EQ(service_->Holders(Pat()).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(BreakGlassServiceTest, ARecordThatIsNotShieldedOrAMissingReasonIsRefusedBeforeTheCode) {
  AuthoriseBlake();
  EXPECT_EQ(Use(Blake(), amelia_).status(), Status::FailedPrecondition("not_shielded"));
  EXPECT_EQ(audit_.last().reason, "not_shielded");
  EXPECT_EQ(Use(Blake(), ruby_, "").status().field(), "reason_code");
  EXPECT_EQ(Use(Blake(), ruby_, "ae_attendance", " ").status().field(), "reason_text");
  EXPECT_EQ(service_->Use(Blake(), "12345", "ae_attendance", "x", StepUpOk()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(step_ups_, 0);
  // A wrong code: no grant, no investigation.
  auto refused = service_->Use(Blake(), ruby_.uin.str(), "ae_attendance", "A&E",
                               [] { return Status::InvalidArgument("wrong code", "totp"); });
  EXPECT_EQ(refused.status().field(), "totp");
  EXPECT_TRUE(store_->LiveGrants("blake", clock_.Now())->empty());
  EXPECT_TRUE(store_->Investigations("LA-NORTH")->empty());
}

TEST_F(BreakGlassServiceTest, IfTheAuditCannotBeWrittenNothingIsGranted) {
  AuthoriseBlake();
  audit_.SetFailing(true);
  EXPECT_EQ(Use(Blake(), ruby_).status().code(), StatusCode::kUnavailable);
  audit_.SetFailing(false);
  EXPECT_TRUE(store_->LiveGrants("blake", clock_.Now())->empty());
  EXPECT_TRUE(store_->Investigations("LA-NORTH")->empty());
}

TEST_F(BreakGlassServiceTest, EveryUseOpensAnInvestigationDueTheNextWorkingDayAndNotifies) {
  AuthoriseBlake();
  auto grant = Use(Blake(), ruby_, "crime_investigation", "Suspected assault reported at 22:10");
  ASSERT_TRUE(grant.ok());
  // Friday afternoon: due Monday.
  EXPECT_EQ(grant->investigation_due, *Date::FromYmd(2026, 1, 12));
  auto list = *service_->Investigations(Manager());
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].username, "blake");
  EXPECT_EQ(list[0].child_uin, ruby_.uin.str());
  EXPECT_EQ(list[0].status, domain::InvestigationStatus::kOpen);
  EXPECT_EQ(list[0].reason_text, "Suspected assault reported at 22:10");
  // The audit holds codes, not the written reason.
  for (const auto& e : audit_.EventsWithAction("break_glass.use")) {
    EXPECT_EQ(e.details_json.find("assault"), std::string::npos);
  }
  auto notes = *shields_->Notifications({"management:LA-NORTH"});
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].kind, "break_glass_used");
  EXPECT_EQ(notes[0].child_uin, ruby_.uin.str());

  // Thursday night before Easter 2026, out of hours: due Tuesday (Good Friday, Easter Monday).
  clock_.Set(At(2026, 4, 2, 23, 30));
  auto easter = Use(Blake(), ruby_);
  ASSERT_TRUE(easter.ok());
  EXPECT_EQ(easter->investigation_due, *Date::FromYmd(2026, 4, 7));
  // Saturday: due Monday.
  clock_.Set(At(2026, 1, 17, 3, 0));
  EXPECT_EQ(Use(Blake(), ruby_)->investigation_due, *Date::FromYmd(2026, 1, 19));
}

TEST_F(BreakGlassServiceTest, TheInvestigationMovesOpenInReviewConcludedWithNotes) {
  AuthoriseBlake();
  auto grant = Use(Blake(), ruby_);
  ASSERT_TRUE(grant.ok());
  int64_t id = grant->investigation_id;
  EXPECT_EQ(service_->SetInvestigationStatus(Manager(), id, "concluded", "justified").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_->SetInvestigationStatus(Manager("LA-SOUTH"), id, "in_review", "").code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Investigations(Blake()).status().code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(service_->SetInvestigationStatus(Manager(), id, "in_review", "").ok());
  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(
      service_->AddInvestigationNote(Manager(), id, "Spoke to the duty sergeant.\nFine.").ok());
  EXPECT_EQ(service_->AddInvestigationNote(Manager(), id, "  ").status().field(), "text");
  EXPECT_EQ(service_->SetInvestigationStatus(Manager(), id, "concluded", "").field(), "finding");
  EXPECT_EQ(service_->SetInvestigationStatus(Manager(), id, "concluded", "maybe").field(),
            "finding");
  ASSERT_TRUE(service_->SetInvestigationStatus(Manager(), id, "concluded", "justified").ok());
  auto inv = *service_->GetInvestigation(Manager(), id);
  EXPECT_EQ(inv.status, domain::InvestigationStatus::kConcluded);
  EXPECT_EQ(inv.finding, domain::Finding::kJustified);
  ASSERT_EQ(inv.notes.size(), 1u);
  EXPECT_EQ(inv.notes[0].author, "mo");
  EXPECT_EQ(inv.notes[0].created_at, At(2026, 1, 9, 15, 45));
  EXPECT_EQ(inv.notes[0].text, "Spoke to the duty sergeant.\nFine.");
  int moved = 0;
  for (const auto& e : audit_.EventsWithAction("investigation.status")) {
    moved += e.outcome == "success" ? 1 : 0;
  }
  EXPECT_EQ(moved, 2);  // And one denial, for the other authority's manager.
}

}  // namespace
}  // namespace cp::workflow
