// DisclosureService over the real SQLite stores, a FakeAuditSink (writes), a MemoryAuditStore
// (the trail it reads accesses from) and a FakeClock. The PDFs are read back with pdftotext.
#include "workflow/disclosure_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "audit/testing/fake_audit_sink.h"
#include "audit/testing/memory_audit_store.h"
#include "crypto/secret_box.h"
#include "document/testing/pdf_text.h"
#include "domain/child_record.h"
#include "store/sqlite/sqlite_child_store.h"
#include "store/sqlite/sqlite_dsar_store.h"
#include "store/sqlite/sqlite_organisation_store.h"

namespace cp::workflow {
namespace {

using document::testing::PdfFile;
using document::testing::Squash;
using domain::Role;
using policy::DisclosureCopy;

TimePoint At(int y, int m, int d, int hour) {
  return Date::FromYmd(y, m, d)->StartOfDay() + std::chrono::hours(hour);
}

// Every value Ruby's shield hides.
const char* const kHidden[] = {"Willow Court",  "NT2 5RB",        "Northtown",  "Laura Stone",
                               "07700 900733",  "Marsh",          "Sally Ward", "01632 960 512",
                               "Birch Surgery", "Willow Infants", "Refuge Road"};

class DisclosureServiceTest : public ::testing::Test {
 protected:
  DisclosureServiceTest()
      : clock_(At(2026, 11, 22, 10)), box_(*crypto::SecretBox::FromKey(std::string(32, 'k'))) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-dsar-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    conn_ = *store::sqlite::OpenMainDatabase((dir_ / "main.db").string());
    children_ = std::make_unique<store::sqlite::SqliteChildStore>(conn_, box_, std::string(32, 'h'),
                                                                  &clock_);
    orgs_ = std::make_unique<store::sqlite::SqliteOrganisationStore>(conn_);
    cases_ = std::make_unique<store::sqlite::SqliteDsarStore>(conn_);
    service_ =
        std::make_unique<DisclosureService>(*children_, *cases_, *orgs_, trail_, audit_, clock_);
    domain::Organisation school;
    school.code = "SCH-1";
    school.name = "Oakfield Primary School";
    school.local_authority_code = "LA-NORTH";
    ASSERT_TRUE(orgs_->Create(school).ok());
    ruby_ = AddChild(true);
    amelia_ = AddChild(false);
    // The school opened Ruby's record twice; a denied view does not count.
    AddTrail("pat", "SCH-1", "child.view", "child:" + ruby_, "success", At(2026, 11, 1, 9));
    AddTrail("pat", "SCH-1", "child.view", "child:" + ruby_, "success", At(2026, 11, 3, 9));
    AddTrail("zed", "POL-9", "child.view", "child:" + ruby_, "denied", At(2026, 11, 4, 9));
  }
  void TearDown() override {
    service_.reset();
    cases_.reset();
    orgs_.reset();
    children_.reset();
    conn_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string AddChild(bool shielded) {
    static int next = 100;
    std::string ten = "1000000" + std::to_string(next++);
    domain::ChildRecord r;
    r.uin = *domain::Uin::Parse(ten + std::string(1, domain::Uin::CheckCharacter(ten)));
    domain::Provenance p{"VOL-1", At(2026, 10, 1, 9)};
    r.name = {shielded ? "Ruby" : "Amelia", "Stone", p};
    r.former_names.push_back({"Ruby", "Marsh", p});
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = *Date::FromYmd(2019, 5, 5);
    r.core_provenance = p;
    r.address = {domain::AddressStatus::kCurrent,
                 "Flat 3, 9 Willow Court",
                 "Refuge Road",
                 "Northtown",
                 "NT2 5RB",
                 {},
                 p};
    r.carers.push_back({"Laura Stone", "mother", "07700 900733", "", p});
    r.education = domain::EducationSetting{"Willow Infants", {}, p};
    r.gp = domain::GpPractice{"Birch Surgery", "01632 960 999", p};
    r.involvements.push_back({0,
                              "social_care",
                              "Sally Ward",
                              "Northshire Council",
                              "01632 960 512",
                              "",
                              *Date::FromYmd(2026, 9, 1),
                              {},
                              true,
                              false,
                              domain::SensitiveBasis::kNone,
                              p});
    r.responsible_authority = "LA-NORTH";
    r.shielded = shielded;
    auto id = children_->Create(r);
    EXPECT_TRUE(id.ok());
    return r.uin.str();
  }

  void AddTrail(const std::string& actor, const std::string& org, const std::string& action,
                const std::string& target, const std::string& outcome, TimePoint when) {
    audit::AuditEntry e;
    e.sequence = ++sequence_;
    e.time = when;
    e.event.actor = actor;
    e.event.organisation = org;
    e.event.action = action;
    e.event.target = target;
    e.event.outcome = outcome;
    ASSERT_TRUE(trail_.AppendBatch({&e, 1}, nullptr).ok());
  }

  static Actor Dpo(std::string authority = "LA-NORTH") {
    return {"dana", "LA-NORTH", std::move(authority), {Role::kDpo}, "req-1", "127.0.0.1"};
  }

  std::string Pdf(DisclosureCopy copy, const std::string& uin, const std::string& ref = "") {
    auto d = service_->Produce(Dpo(), uin, copy, ref);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? RenderDisclosurePdf(*d) : std::string();
  }

  FakeClock clock_;
  crypto::SecretBox box_;
  std::filesystem::path dir_;
  std::shared_ptr<store::sqlite::SharedConnection> conn_;
  std::unique_ptr<store::sqlite::SqliteChildStore> children_;
  std::unique_ptr<store::sqlite::SqliteOrganisationStore> orgs_;
  std::unique_ptr<store::sqlite::SqliteDsarStore> cases_;
  audit::testing::MemoryAuditStore trail_;
  audit::testing::FakeAuditSink audit_;
  std::unique_ptr<DisclosureService> service_;
  uint64_t sequence_ = 0;
  std::string ruby_;
  std::string amelia_;
};

TEST_F(DisclosureServiceTest, RequesterCopyPdfOfAShieldedChildNeverHoldsTheHiddenFields) {
  PdfFile pdf(Pdf(DisclosureCopy::kRequester, ruby_));
  std::string text = Squash(pdf.Text());
  for (const char* hidden : kHidden) {
    EXPECT_EQ(text.find(hidden), std::string::npos) << hidden << "\n" << text;
  }
  // Nor who works with the child: the organisations that accessed it are withheld too.
  EXPECT_EQ(text.find("Oakfield"), std::string::npos);
  EXPECT_NE(text.find("withheld"), std::string::npos);
  EXPECT_NE(text.find("Schedule 3"), std::string::npos);
  EXPECT_NE(text.find("serious harm"), std::string::npos);
  EXPECT_NE(text.find("Ruby Stone"), std::string::npos);
  EXPECT_NE(text.find(ruby_), std::string::npos);
  EXPECT_EQ(text.find("NOT FOR DISCLOSURE"), std::string::npos);
}

TEST_F(DisclosureServiceTest, InternalCopyHoldsEverythingAndIsWatermarked) {
  PdfFile pdf(Pdf(DisclosureCopy::kInternal, ruby_));
  std::string text = Squash(pdf.Text(0, /*keep_diagonal=*/false));
  for (const char* hidden : kHidden) {
    EXPECT_NE(text.find(hidden), std::string::npos) << hidden << "\n" << text;
  }
  EXPECT_NE(text.find("Flat 3, 9 Willow Court"), std::string::npos);
  EXPECT_NE(text.find("INTERNAL – NOT FOR DISCLOSURE"), std::string::npos);
  // Each item with its source and date; the organisations that accessed the record.
  EXPECT_NE(text.find("Source: VOL-1, updated 2026-10-01T09:00:00Z"), std::string::npos);
  EXPECT_NE(text.find("Oakfield Primary School"), std::string::npos);
  EXPECT_NE(text.find("2026-11-01T09:00:00Z"), std::string::npos);
  EXPECT_EQ(text.find("POL-9"), std::string::npos);  // Denied: not an access.
}

TEST_F(DisclosureServiceTest, EveryPageCarriesProducerTimeAndReference) {
  auto c = service_->OpenCase(Dpo(), {ruby_, "parent_or_carer", ""});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  for (DisclosureCopy copy : {DisclosureCopy::kRequester, DisclosureCopy::kInternal}) {
    PdfFile pdf(Pdf(copy, ruby_, c->reference));
    int pages = pdf.Pages();
    ASSERT_GE(pages, 1);
    for (int p = 1; p <= pages; ++p) {
      std::string text = Squash(pdf.Text(p, false));
      EXPECT_NE(text.find("Request reference " + c->reference), std::string::npos) << p;
      EXPECT_NE(text.find("Produced by dana on 2026-11-22T10:00:00Z"), std::string::npos) << p;
      EXPECT_NE(text.find("Page " + std::to_string(p) + " of " + std::to_string(pages)),
                std::string::npos);
    }
  }
}

TEST_F(DisclosureServiceTest, RequesterCopyOfAnUnshieldedChildHoldsTheAddress) {
  PdfFile pdf(Pdf(DisclosureCopy::kRequester, amelia_));
  EXPECT_NE(Squash(pdf.Text()).find("Flat 3, 9 Willow Court"), std::string::npos);
}

TEST_F(DisclosureServiceTest, ProducingIsAuditedFirst) {
  ASSERT_TRUE(service_->Produce(Dpo(), ruby_, DisclosureCopy::kInternal, "").ok());
  auto events = audit_.EventsWithAction("dsar.disclosure");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].outcome, "success");
  EXPECT_EQ(events[0].target, "child:" + ruby_);
  EXPECT_NE(events[0].details_json.find("\"copy\":\"internal\""), std::string::npos);
  EXPECT_NE(events[0].details_json.find("UNTRACKED-req-1"), std::string::npos);
}

TEST_F(DisclosureServiceTest, FailsClosedWhenTheAuditCannotBeWritten) {
  audit_.SetFailing(true);
  auto d = service_->Produce(Dpo(), ruby_, DisclosureCopy::kRequester, "");
  EXPECT_EQ(d.status().code(), StatusCode::kUnavailable);
  auto c = service_->OpenCase(Dpo(), {ruby_, "child", ""});
  EXPECT_EQ(c.status().code(), StatusCode::kUnavailable);
  audit_.SetFailing(false);
  auto cases = service_->Cases(Dpo());
  ASSERT_TRUE(cases.ok());
  EXPECT_TRUE(cases->empty());
}

TEST_F(DisclosureServiceTest, OnlyTheDposOwnAuthority) {
  for (Role role : {Role::kManagement, Role::kPractitioner, Role::kShielder, Role::kBreakGlass,
                    Role::kAdministrator}) {
    Actor other{"x", "LA-NORTH", "LA-NORTH", {role}, "r", ""};
    auto d = service_->Produce(other, ruby_, DisclosureCopy::kRequester, "");
    EXPECT_EQ(d.status().code(), StatusCode::kPermissionDenied) << domain::RoleName(role);
    EXPECT_EQ(audit_.last().outcome, "denied");
    EXPECT_EQ(service_->Cases(other).status().code(), StatusCode::kPermissionDenied);
  }
  auto elsewhere = service_->Produce(Dpo("LA-SOUTH"), ruby_, DisclosureCopy::kInternal, "");
  EXPECT_EQ(elsewhere.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(audit_.last().reason, "scope");
  EXPECT_EQ(service_->OpenCase(Dpo("LA-SOUTH"), {ruby_, "child", ""}).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(DisclosureServiceTest, BadInput) {
  EXPECT_EQ(service_->Produce(Dpo(), "nonsense", DisclosureCopy::kRequester, "").status().code(),
            StatusCode::kInvalidArgument);
  std::string ten = "1999999999";
  std::string unknown = ten + std::string(1, domain::Uin::CheckCharacter(ten));
  EXPECT_EQ(service_->Produce(Dpo(), unknown, DisclosureCopy::kRequester, "").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(
      service_->Produce(Dpo(), ruby_, DisclosureCopy::kRequester, "DSAR-2026-9999").status().code(),
      StatusCode::kInvalidArgument);
  auto other_child = service_->OpenCase(Dpo(), {amelia_, "child", ""});
  ASSERT_TRUE(other_child.ok());
  EXPECT_EQ(service_->Produce(Dpo(), ruby_, DisclosureCopy::kRequester, other_child->reference)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->OpenCase(Dpo(), {ruby_, "journalist", ""}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->OpenCase(Dpo(), {ruby_, "child", "2026-11-23"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->OpenCase(Dpo(), {ruby_, "child", "2026-02-30"}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(DisclosureServiceTest, CaseLifecycle) {
  auto c = service_->OpenCase(Dpo(), {ruby_, "child", "2026-10-31"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->reference, "DSAR-2026-" + std::string(4 - std::to_string(c->id).size(), '0') +
                              std::to_string(c->id));
  EXPECT_EQ(c->due, *Date::Parse("2026-11-30"));  // One calendar month, clamped.
  EXPECT_EQ(c->status, domain::DsarStatus::kReceived);
  // Completing before identity is verified is out of order.
  EXPECT_EQ(service_->Complete(Dpo(), c->id).status().message(), "wrong_state");
  auto extended = service_->Extend(Dpo(), c->id);
  ASSERT_TRUE(extended.ok());
  EXPECT_EQ(extended->due, *Date::Parse("2027-01-31"));
  EXPECT_EQ(service_->Extend(Dpo(), c->id).status().message(), "wrong_state");
  auto verified = service_->VerifyIdentity(Dpo(), c->id);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->status, domain::DsarStatus::kExtended);
  EXPECT_EQ(verified->identity_verified_on, *Date::Parse("2026-11-22"));
  auto done = service_->Complete(Dpo(), c->id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->status, domain::DsarStatus::kCompleted);
  EXPECT_EQ(service_->VerifyIdentity(Dpo(), c->id).status().message(), "wrong_state");
  auto cases = service_->Cases(Dpo());
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ(cases->front().completed_on, *Date::Parse("2026-11-22"));
  // Another authority's DPO cannot see or touch it.
  EXPECT_EQ(service_->Complete(Dpo("LA-SOUTH"), c->id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(service_->Cases(Dpo("LA-SOUTH"))->empty());
}

}  // namespace
}  // namespace cp::workflow
