// ReportsService: rights, own-authority scope, auditing (fail closed), and the rows of the
// audit-based reports, over the real SQLite stores and a fake audit trail.
#include "workflow/reports_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "audit/testing/fake_audit_sink.h"
#include "audit/testing/memory_audit_store.h"
#include "crypto/secret_box.h"
#include "document/testing/pdf_text.h"
#include "domain/child_record.h"
#include "store/sqlite/sqlite_break_glass_store.h"
#include "store/sqlite/sqlite_child_store.h"
#include "store/sqlite/sqlite_organisation_store.h"
#include "store/sqlite/sqlite_shield_store.h"
#include "store/sqlite/sqlite_user_store.h"
#include "workflow/break_glass_service.h"
#include "workflow/brokering_service.h"
#include "workflow/shielding_service.h"

namespace cp::workflow {
namespace {

using domain::Role;

TimePoint At(int y, int m, int d, int hour, int minute = 0) {
  return Date::FromYmd(y, m, d)->StartOfDay() + std::chrono::hours(hour) +
         std::chrono::minutes(minute);
}

class ReportsServiceTest : public ::testing::Test {
 protected:
  ReportsServiceTest()
      : clock_(At(2026, 11, 22, 16)), box_(*crypto::SecretBox::FromKey(std::string(32, 'k'))) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-reports-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    conn_ = *store::sqlite::OpenMainDatabase((dir_ / "main.db").string());
    children_ = std::make_unique<store::sqlite::SqliteChildStore>(conn_, box_, std::string(32, 'h'),
                                                                  &clock_);
    orgs_ = std::make_unique<store::sqlite::SqliteOrganisationStore>(conn_);
    users_ = std::make_unique<store::sqlite::SqliteUserStore>(conn_);
    shields_ = std::make_unique<store::sqlite::SqliteShieldStore>(conn_, box_, clock_);
    bg_store_ = std::make_unique<store::sqlite::SqliteBreakGlassStore>(conn_, box_);
    named_ = std::make_unique<StoreNamedPersonDirectory>(*users_, *orgs_);
    shielding_ = std::make_unique<ShieldingService>(*children_, *shields_, *named_, audit_, clock_);
    break_glass_ = std::make_unique<BreakGlassService>(*children_, *bg_store_, *users_, *orgs_,
                                                       audit_, clock_);
    brokering_ =
        std::make_unique<BrokeringService>(*children_, *bg_store_, *users_, audit_, clock_);
    service_ = std::make_unique<ReportsService>(*shielding_, *break_glass_, *brokering_, *children_,
                                                *users_, *orgs_, trail_, audit_, clock_);
    for (auto [code, la] : {std::pair{"LA-NORTH", "LA-NORTH"}, std::pair{"LA-SOUTH", "LA-SOUTH"},
                            std::pair{"SCH-N", "LA-NORTH"}, std::pair{"SCH-S", "LA-SOUTH"}}) {
      domain::Organisation o;
      o.code = code;
      o.name = code;
      o.local_authority_code = la;
      ASSERT_TRUE(orgs_->Create(o).ok());
    }
    AddUser("pat", "SCH-N", {Role::kPractitioner});
    AddUser("trawler", "SCH-N", {Role::kPractitioner});
    AddUser("sue", "SCH-S", {Role::kPractitioner});
    north_uin_ = AddChild("LA-NORTH");
    south_uin_ = AddChild("LA-SOUTH");
  }
  void TearDown() override {
    service_.reset();
    brokering_.reset();
    break_glass_.reset();
    shielding_.reset();
    named_.reset();
    bg_store_.reset();
    shields_.reset();
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
  std::string AddChild(const std::string& authority) {
    static int next = 100;
    std::string ten = "2000000" + std::to_string(next++);
    domain::ChildRecord r;
    r.uin = *domain::Uin::Parse(ten + std::string(1, domain::Uin::CheckCharacter(ten)));
    domain::Provenance p{"VOL-1", At(2026, 10, 1, 9)};
    r.name = {"Kim", "Lee", p};
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = *Date::FromYmd(2019, 5, 5);
    r.core_provenance = p;
    r.responsible_authority = authority;
    EXPECT_TRUE(children_->Create(r).ok());
    return r.uin.str();
  }
  void Trail(const std::string& actor, const std::string& action, const std::string& target,
             const std::string& outcome, TimePoint when) {
    audit::AuditEntry e;
    e.sequence = ++sequence_;
    e.time = when;
    e.event = {actor, "SCH-N", action, target, outcome, "", "", "", ""};
    ASSERT_TRUE(trail_.AppendBatch({&e, 1}, nullptr).ok());
  }
  static Actor Manager(std::string authority = "LA-NORTH") {
    return {"morgan", authority, authority, {Role::kManagement}, "req-9", ""};
  }

  FakeClock clock_;
  crypto::SecretBox box_;
  std::filesystem::path dir_;
  std::shared_ptr<store::sqlite::SharedConnection> conn_;
  std::unique_ptr<store::sqlite::SqliteChildStore> children_;
  std::unique_ptr<store::sqlite::SqliteOrganisationStore> orgs_;
  std::unique_ptr<store::sqlite::SqliteUserStore> users_;
  std::unique_ptr<store::sqlite::SqliteShieldStore> shields_;
  std::unique_ptr<store::sqlite::SqliteBreakGlassStore> bg_store_;
  std::unique_ptr<StoreNamedPersonDirectory> named_;
  std::unique_ptr<ShieldingService> shielding_;
  std::unique_ptr<BreakGlassService> break_glass_;
  std::unique_ptr<BrokeringService> brokering_;
  audit::testing::MemoryAuditStore trail_;
  audit::testing::FakeAuditSink audit_;
  std::unique_ptr<ReportsService> service_;
  uint64_t sequence_ = 0;
  std::string north_uin_;
  std::string south_uin_;
};

TEST_F(ReportsServiceTest, EveryReportRunsForManagementAndIsAudited) {
  for (std::string_view name : kReportNames) {
    ReportParams params{north_uin_, "pat", ""};
    auto table = service_->Run(Manager(), name, params, "json");
    ASSERT_TRUE(table.ok()) << name << ": " << table.status().ToString();
    EXPECT_EQ(table->name, name);
    EXPECT_FALSE(table->title.empty());
    EXPECT_EQ(table->keys.size(), table->columns.size());
    auto events = audit_.EventsWithAction("report." + std::string(name));
    ASSERT_EQ(events.size(), 1u) << name;
    EXPECT_EQ(events[0].outcome, "success");
    EXPECT_NE(events[0].details_json.find("\"format\":\"json\""), std::string::npos);
  }
}

TEST_F(ReportsServiceTest, OthersAreRefusedAndTheRefusalAudited) {
  for (Role role : {Role::kPractitioner, Role::kDpo, Role::kShielder, Role::kAdministrator}) {
    Actor other{"x", "LA-NORTH", "LA-NORTH", {role}, "r", ""};
    auto table = service_->Run(other, "trawling", {}, "json");
    EXPECT_EQ(table.status().code(), StatusCode::kPermissionDenied) << domain::RoleName(role);
    EXPECT_EQ(audit_.last().outcome, "denied");
    EXPECT_EQ(service_->ShieldingLogCsv(other).status().code(), StatusCode::kPermissionDenied);
  }
}

TEST_F(ReportsServiceTest, FailsClosed) {
  audit_.SetFailing(true);
  EXPECT_EQ(service_->Run(Manager(), "trawling", {}, "json").status().code(),
            StatusCode::kUnavailable);
}

TEST_F(ReportsServiceTest, WhoViewedARecordOfTheOwnAuthorityOnly) {
  Trail("pat", "child.view", "child:" + north_uin_, "success", At(2026, 11, 20, 9));
  Trail("pat", "child.view", "child:" + south_uin_, "success", At(2026, 11, 20, 10));
  auto table = service_->Run(Manager(), "record-access", {north_uin_, "", ""}, "html");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_EQ(table->rows[0][1], "pat");
  EXPECT_EQ(table->rows[0][4], "child:" + north_uin_);
  // Another authority's record: as if it did not exist, and the attempt is audited.
  auto other = service_->Run(Manager(), "record-access", {south_uin_, "", ""}, "html");
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(audit_.last().outcome, "denied");
  EXPECT_EQ(service_->Run(Manager(), "record-access", {"bad", "", ""}, "html").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ReportsServiceTest, WhatAUserViewedForTheOwnAuthoritysUsersOnly) {
  Trail("pat", "child.view", "child:" + north_uin_, "success", At(2026, 11, 20, 9));
  Trail("sue", "child.view", "child:" + south_uin_, "success", At(2026, 11, 20, 9));
  auto table = service_->Run(Manager(), "user-activity", {"", "pat", ""}, "json");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_EQ(table->rows[0][3], "child.view");
  EXPECT_EQ(service_->Run(Manager(), "user-activity", {"", "sue", ""}, "json").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(
      service_->Run(Manager("LA-SOUTH"), "user-activity", {"", "sue", ""}, "json").status().code(),
      StatusCode::kOk);
  EXPECT_EQ(service_->Run(Manager(), "user-activity", {}, "json").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ReportsServiceTest, TrawlingMonitorListsOwnUsersAndLinksFlagsToTheirActivity) {
  for (int i = 0; i < 60; ++i) {
    Trail("trawler", "child.search", "directory", "success", At(2026, 11, 22, 8, i));
  }
  Trail("pat", "child.search", "directory", "success", At(2026, 11, 22, 9));
  Trail("sue", "child.search", "directory", "success", At(2026, 11, 22, 9));
  auto table = service_->Run(Manager(), "trawling", {}, "json");
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->rows.size(), 2u);  // pat and trawler; not sue (another authority).
  EXPECT_EQ(table->rows[0][0], "trawler");
  EXPECT_TRUE(table->row_flagged[0]);
  EXPECT_EQ(table->rows[0].back(), "volume, hourly_ceiling");
  EXPECT_EQ(table->row_links[0], "/reports/user-activity?username=trawler");
  EXPECT_FALSE(table->row_flagged[1]);
}

TEST_F(ReportsServiceTest, UnknownReportAndBadStatus) {
  EXPECT_EQ(service_->Run(Manager(), "everything", {}, "json").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_->Run(Manager(), "reviews", {"", "", "soon"}, "json").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ReportsServiceTest, CsvAndPdfRenderTheSameRows) {
  ReportTable t;
  t.title = "Trawling monitor";
  t.keys = {"username", "flags"};
  t.columns = {"User", "Flags"};
  t.rows = {{"trawler", "volume"}, {"=cmd", "a,b"}};
  EXPECT_EQ(RenderReportCsv(t), "username,flags\r\ntrawler,volume\r\n'=cmd,\"a,b\"\r\n");
  document::testing::PdfFile pdf(RenderReportPdf(t, "morgan", At(2026, 11, 22, 16), "req-9"));
  std::string text = document::testing::Squash(pdf.Text());
  EXPECT_NE(text.find("trawler volume"), std::string::npos) << text;
  EXPECT_NE(text.find("Produced by morgan on 2026-11-22T16:00:00Z"), std::string::npos);
  EXPECT_NE(text.find("Request reference req-9"), std::string::npos);
}

}  // namespace
}  // namespace cp::workflow
