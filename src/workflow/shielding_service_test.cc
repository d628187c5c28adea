// ShieldingService: every rule of the shielding lifecycle, over the real SQLite child and
// shield stores in a temporary database (the flag change and the request are one
// transaction, so the test uses the store that does it), a FakeAuditSink and a FakeClock.
#include "workflow/shielding_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "audit/testing/fake_audit_sink.h"
#include "crypto/secret_box.h"
#include "domain/child_record.h"
#include "store/sqlite/sqlite_child_store.h"
#include "store/sqlite/sqlite_shield_store.h"
#include "workflow/directory_index.h"
#include "workflow/directory_service.h"

namespace cp::workflow {
namespace {

using domain::LogAction;
using domain::RequestStatus;
using domain::Role;

TimePoint At(int y, int m, int d, int hour = 10) {
  return Date::FromYmd(y, m, d)->StartOfDay() + std::chrono::hours(hour);
}
Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

std::string ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class FakeNamedPersons final : public NamedPersonDirectory {
 public:
  Result<bool> HasNamedPerson(const std::string& org) override { return orgs.count(org) > 0; }
  std::set<std::string> orgs;
};

class ShieldingServiceTest : public ::testing::Test {
 protected:
  // Thursday 28 March 2024: Good Friday and Easter Monday follow.
  ShieldingServiceTest()
      : clock_(At(2024, 3, 28)),
        random_(11),
        box_(*crypto::SecretBox::FromKey(std::string(32, 'k'))) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-shield-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto conn = store::sqlite::OpenMainDatabase((dir_ / "main.db").string());
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = *conn;
    children_ = std::make_unique<store::sqlite::SqliteChildStore>(conn_, box_, std::string(32, 'h'),
                                                                  &clock_);
    shields_ = std::make_unique<store::sqlite::SqliteShieldStore>(conn_, box_, clock_);
    service_ = std::make_unique<ShieldingService>(*children_, *shields_, named_, audit_, clock_);
    index_ = std::make_unique<DirectoryIndex>(*children_);
    directory_ = std::make_unique<DirectoryService>(*children_, *index_, audit_, "k");
  }
  void TearDown() override {
    directory_.reset();
    index_.reset();
    service_.reset();
    shields_.reset();
    children_.reset();
    conn_.reset();
    std::filesystem::remove_all(dir_);
  }

  domain::ChildRecord Child(const std::string& given, const std::string& line_1,
                            const std::string& authority = "LA-NORTH", Date dob = D(2016, 6, 6)) {
    domain::ChildRecord r;
    r.uin = domain::Uin::Generate(random_);
    domain::Provenance p{"SCH-1", At(2024, 1, 1)};
    r.name = {given, "Stone", p};
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = dob;
    r.core_provenance = p;
    r.address = {domain::AddressStatus::kCurrent, line_1, "", "Northtown", "NT2 5RB", {}, p};
    r.carers.push_back({"Laura Stone", "mother", "07700 900733", "", p});
    r.responsible_authority = authority;
    r.id = *children_->Create(r);
    return r;
  }

  bool Shielded(const domain::ChildRecord& r) { return children_->Get(r.id)->shielded; }

  Actor Practitioner(const std::string& org = "SCH-1") {
    return {"pat", org, "LA-NORTH", {Role::kPractitioner}, "r", "ip", false};
  }
  Actor Shielder(const std::string& name = "sam", const std::string& org = "VOL-1") {
    return {name, org, "LA-NORTH", {Role::kShielder, Role::kPractitioner}, "r", "ip", false};
  }
  Actor Manager(const std::string& la = "LA-NORTH") {
    return {"mo", la, la, {Role::kManagement}, "r", "ip", false};
  }
  Actor System() {
    Actor a;
    a.username = "system";
    a.system = true;
    return a;
  }

  ShieldInput Input(const domain::ChildRecord& r,
                    std::vector<std::string> criteria = {"child_at_risk"}) {
    ShieldInput in;
    in.uin = r.uin.str();
    in.criteria = std::move(criteria);
    in.category = "refuge";
    in.requester = {"Safe Haven Refuge", "01632 960 000", "refuge key worker"};
    in.comments = "Request, confirmed by phone";
    return in;
  }

  std::vector<domain::ShieldRequest> RequestsOf(const domain::ChildRecord& r) {
    return *shields_->RequestsForChild(r.id);
  }

  FakeClock clock_;
  SeededRandom random_;
  crypto::SecretBox box_;
  std::filesystem::path dir_;
  std::shared_ptr<store::sqlite::SharedConnection> conn_;
  std::unique_ptr<store::sqlite::SqliteChildStore> children_;
  std::unique_ptr<store::sqlite::SqliteShieldStore> shields_;
  FakeNamedPersons named_;
  audit::testing::FakeAuditSink audit_;
  std::unique_ptr<ShieldingService> service_;
  std::unique_ptr<DirectoryIndex> index_;
  std::unique_ptr<DirectoryService> directory_;
};

TEST_F(ShieldingServiceTest, AShielderShieldsDirectlyAndEveryOtherViewIsShieldedAtOnce) {
  auto ruby = Child("Ruby", "9 Willow Court");
  auto before = directory_->Open(Practitioner(), ruby.uin.str(), "assessment", "");
  ASSERT_NE(std::get_if<policy::FullChildView>(&*before), nullptr);

  auto out = service_->RequestShield(Shielder(), Input(ruby));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->status, RequestStatus::kActive);
  EXPECT_EQ(out->log_action, LogAction::kShieldApplied);
  EXPECT_TRUE(Shielded(ruby));
  auto after = directory_->Open(Practitioner(), ruby.uin.str(), "assessment", "");
  EXPECT_NE(std::get_if<policy::ShieldedChildView>(&*after), nullptr);
  auto events = audit_.EventsWithAction("shield.request");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].outcome, "success");
  EXPECT_EQ(events[0].details_json.find("Safe Haven"), std::string::npos);
}

TEST_F(ShieldingServiceTest, NoCriterionIsRejectedAndLogged) {
  auto ruby = Child("Ruby", "9 Willow Court");
  auto out = service_->RequestShield(Shielder(), Input(ruby, {}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->status, RequestStatus::kRejected);
  EXPECT_EQ(out->log_action, LogAction::kRejected);
  EXPECT_FALSE(Shielded(ruby));
  auto log = *service_->Log(Manager());
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, LogAction::kRejected);
  EXPECT_EQ(log[0].uin, ruby.uin.str());
  EXPECT_EQ(RequestsOf(ruby)[0].status, RequestStatus::kRejected);
}

TEST_F(ShieldingServiceTest, BadInputChangesNothing) {
  auto ruby = Child("Ruby", "9 Willow Court");
  EXPECT_EQ(
      service_->RequestShield(Shielder(), Input(ruby, {"dislikes_database"})).status().field(),
      "criteria");
  auto in = Input(ruby);
  in.category = "objection_in_principle";
  EXPECT_EQ(service_->RequestShield(Shielder(), in).status().field(), "category");
  in = Input(ruby);
  in.uin = "12345";
  EXPECT_EQ(service_->RequestShield(Shielder(), in).status().field(), "uin");
  EXPECT_TRUE(RequestsOf(ruby).empty());
  EXPECT_TRUE(service_->Log(Manager())->empty());
  Actor admin{"ad", "LA-NORTH", "LA-NORTH", {Role::kAdministrator}, "r", "ip", false};
  EXPECT_EQ(service_->RequestShield(admin, Input(ruby)).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(ShieldingServiceTest, AuditFailureChangesNothing) {
  auto ruby = Child("Ruby", "9 Willow Court");
  audit_.SetFailing(true);
  EXPECT_EQ(service_->RequestShield(Shielder(), Input(ruby)).status().code(),
            StatusCode::kUnavailable);
  audit_.SetFailing(false);
  EXPECT_FALSE(Shielded(ruby));
  EXPECT_TRUE(RequestsOf(ruby).empty());
}

TEST_F(ShieldingServiceTest, MultipleShieldsKeepTheRecordShieldedUntilManagementDecides) {
  auto ruby = Child("Ruby", "9 Willow Court");
  auto first = service_->RequestShield(Shielder("sam", "VOL-1"), Input(ruby));
  auto second = service_->RequestShield(Shielder("kim", "POL-1"), Input(ruby, {"serious_crime"}));
  ASSERT_TRUE(first.ok() && second.ok());
  // §5: a requester who already sees a shield registers their own.
  EXPECT_EQ(second->log_action, LogAction::kAdditionalRequest);
  EXPECT_EQ(RequestsOf(ruby).size(), 2u);

  ASSERT_TRUE(service_->Withdraw(Shielder("sam", "VOL-1"), ruby.uin.str(), first->request_id).ok());
  EXPECT_TRUE(Shielded(ruby));
  // Someone else's request is not theirs to withdraw.
  EXPECT_EQ(service_->Withdraw(Shielder("sam", "VOL-1"), ruby.uin.str(), second->request_id).code(),
            StatusCode::kPermissionDenied);
  Status refused = service_->Unshield(Manager(), ruby.uin.str());
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.message(), "active_shield_requests");
  EXPECT_TRUE(Shielded(ruby));

  ASSERT_TRUE(
      service_->Withdraw(Shielder("kim", "POL-1"), ruby.uin.str(), second->request_id).ok());
  // §7: still shielded until the final decision; management is prompted.
  EXPECT_TRUE(Shielded(ruby));
  auto notes = *service_->Notifications(Manager());
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes[0].kind, "decide_shield");

  EXPECT_EQ(service_->Unshield(Manager("LA-SOUTH"), ruby.uin.str()).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Unshield(Shielder(), ruby.uin.str()).code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(service_->Unshield(Manager(), ruby.uin.str()).ok());
  EXPECT_FALSE(Shielded(ruby));
  EXPECT_TRUE(service_->Reviews(Manager(), ReviewFilter::kAllOpen)->empty());
  EXPECT_EQ(service_->Unshield(Manager(), ruby.uin.str()).message(), "not_shielded");
  // The requesters hear the outcome in the app.
  auto sams = *service_->Notifications(Shielder("sam", "VOL-1"));
  ASSERT_FALSE(sams.empty());
  EXPECT_EQ(sams[0].kind, "outcome");
}

TEST_F(ShieldingServiceTest, TheUnshieldRefusalHoldsInsideTheTransaction) {
  auto ruby = Child("Ruby", "9 Willow Court");
  ASSERT_TRUE(service_->RequestShield(Shielder(), Input(ruby)).ok());
  store::ShieldChange change;
  change.flags.push_back({ruby.id, false, /*require_no_active_requests=*/true});
  auto done = shields_->Commit(change);
  EXPECT_EQ(done.status().message(), "active_shield_requests");
  EXPECT_TRUE(Shielded(ruby));
}

TEST_F(ShieldingServiceTest, ARequestAndItsFlagChangeAreOneTransaction) {
  auto ruby = Child("Ruby", "9 Willow Court");
  store::ShieldChange change;
  domain::ShieldRequest request;
  request.child_id = ruby.id;
  request.child_uin = ruby.uin.str();
  request.authority = "LA-NORTH";
  request.status = RequestStatus::kActive;
  change.new_requests.push_back({request, -1});
  change.flags.push_back({ruby.id, true, false});
  change.flags.push_back({ruby.id + 1000, true, false});  // Fails: the whole change rolls back.
  EXPECT_EQ(shields_->Commit(change).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(RequestsOf(ruby).empty());
  EXPECT_FALSE(Shielded(ruby));
}

TEST_F(ShieldingServiceTest, CoResidingChildrenAreShieldedAtOnceWithALinkedRequestAndReview) {
  auto ruby = Child("Ruby", "Flat 3, 9 Willow Court");
  auto leo = Child("Leo", "Flat 3, 9 Willow Court");
  auto other = Child("Amelia", "14 Larch Avenue");
  auto out = service_->RequestShield(Shielder(), Input(ruby));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->co_residents_shielded, 1u);
  EXPECT_TRUE(Shielded(leo));
  EXPECT_FALSE(Shielded(other));
  auto leos = RequestsOf(leo);
  ASSERT_EQ(leos.size(), 1u);
  EXPECT_EQ(leos[0].source, domain::ShieldSource::kCoResident);
  EXPECT_EQ(leos[0].origin_request_id, out->request_id);
  EXPECT_EQ(leos[0].linked_uin, ruby.uin.str());
  EXPECT_EQ(leos[0].requested_by, "sam");  // The original requester takes part in the review.
  auto view = directory_->Open(Practitioner(), leo.uin.str(), "assessment", "");
  EXPECT_NE(std::get_if<policy::ShieldedChildView>(&*view), nullptr);
  // Reviewed within 7 days.
  auto reviews = *service_->Reviews(Manager(), ReviewFilter::kAllOpen);
  ASSERT_EQ(reviews.size(), 2u);
  for (const auto& r : reviews) EXPECT_EQ(r.review.due, D(2024, 4, 4));
  auto log = *service_->Log(Manager());
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].uin, leo.uin.str());
  EXPECT_EQ(log[1].action, LogAction::kShieldApplied);
  EXPECT_EQ(log[1].comments, "Co-resident of " + ruby.uin.str());
  // A second request on Ruby does not pile up co-resident requests on Leo.
  ASSERT_TRUE(service_->RequestShield(Shielder("kim", "POL-1"), Input(ruby)).ok());
  EXPECT_EQ(RequestsOf(leo).size(), 1u);
}

TEST_F(ShieldingServiceTest, APossibleDuplicateOfAShieldedRecordIsShieldedAndReviewedIn7Days) {
  auto ruby = Child("Ruby", "9 Willow Court");
  auto maybe = Child("Rubie", "1 Other Road");
  EXPECT_EQ(service_->ShieldPossibleDuplicate(System(), maybe.uin.str(), ruby.uin.str())
                .status()
                .message(),
            "not_shielded");
  ASSERT_TRUE(service_->RequestShield(Shielder(), Input(ruby, {"adult_at_risk"})).ok());
  EXPECT_EQ(service_->ShieldPossibleDuplicate(Practitioner(), maybe.uin.str(), ruby.uin.str())
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  clock_.Advance(std::chrono::hours(24 * 3));
  auto out = service_->ShieldPossibleDuplicate(System(), maybe.uin.str(), ruby.uin.str());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->log_action, LogAction::kPossibleMatchShielded);
  EXPECT_TRUE(Shielded(maybe));
  auto reqs = RequestsOf(maybe);
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].source, domain::ShieldSource::kPossibleDuplicate);
  EXPECT_EQ(reqs[0].criteria, std::vector{domain::ShieldCriterion::kAdultAtRisk});
  auto review = shields_->OpenReview(maybe.id);
  ASSERT_TRUE(review.ok() && review->has_value());
  EXPECT_EQ((*review)->due, D(2024, 4, 7));
  // Idempotent per pair.
  EXPECT_EQ(
      service_->ShieldPossibleDuplicate(System(), maybe.uin.str(), ruby.uin.str())->request_id,
      out->request_id);
  EXPECT_EQ(RequestsOf(maybe).size(), 1u);
}

TEST_F(ShieldingServiceTest, ReviewsFallDueIn7DaysThenEvery6MonthsAndOverdueOnesAreFlagged) {
  auto ruby = Child("Ruby", "9 Willow Court");
  ASSERT_TRUE(service_->RequestShield(Shielder(), Input(ruby)).ok());
  auto due = *service_->Reviews(Manager(), ReviewFilter::kDue);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].review.due, D(2024, 4, 4));
  EXPECT_FALSE(due[0].overdue);
  EXPECT_TRUE(service_->Reviews(Manager("LA-SOUTH"), ReviewFilter::kAllOpen)->empty());
  EXPECT_EQ(service_->Reviews(Shielder(), ReviewFilter::kAllOpen).status().code(),
            StatusCode::kPermissionDenied);

  clock_.Set(At(2024, 4, 5));
  auto overdue = *service_->Reviews(Manager(), ReviewFilter::kOverdue);
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_TRUE(overdue[0].overdue);
  EXPECT_TRUE(service_->Reviews(Manager(), ReviewFilter::kDue)->empty());

  EXPECT_EQ(
      service_->RecordReview(Manager(), ruby.uin.str(), {{}, "continue", ""}).status().field(),
      "consulted");
  auto next = service_->RecordReview(Manager(), ruby.uin.str(), {{"sam"}, "continue", "ok"});
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->due, D(2024, 10, 5));
  auto all = *shields_->Reviews("LA-NORTH", false);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].consulted, std::vector<std::string>{"sam"});
  EXPECT_EQ(all[0].outcome, domain::ReviewOutcome::kContinue);
  // The requester is told.
  EXPECT_EQ((*service_->Notifications(Shielder()))[0].kind, "review");
}

TEST_F(ShieldingServiceTest, ReviewsContinuePastThe18thBirthday) {
  // 18 on 1 June 2024; the record is kept with consent.
  auto young = Child("Yasmin", "9 Willow Court", "LA-NORTH", D(2006, 6, 1));
  auto record = *children_->Get(young.id);
  record.extended_with_consent = true;
  ASSERT_TRUE(children_->Update(record).ok());
  ASSERT_TRUE(service_->RequestShield(Shielder(), Input(young)).ok());
  clock_.Set(At(2024, 4, 2));
  auto next = service_->RecordReview(Manager(), young.uin.str(), {{"sam"}, "continue", ""});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->due, D(2024, 10, 2));
  EXPECT_GT(next->due, D(2024, 6, 1));
  clock_.Set(At(2024, 10, 3));  // Now 18: the review is still there, and overdue.
  auto overdue = *service_->Reviews(Manager(), ReviewFilter::kOverdue);
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].review.child_uin, young.uin.str());
  auto again = service_->RecordReview(Manager(), young.uin.str(), {{"sam"}, "continue", ""});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->due, D(2025, 4, 3));
}

TEST_F(ShieldingServiceTest, ShieldsFromBeforeGoLiveAreFirstReviewedAt6Months) {
  auto ruby = Child("Ruby", "9 Willow Court");
  auto in = Input(ruby);
  in.pre_go_live = true;
  EXPECT_EQ(service_->RequestShield(Shielder(), in).status().code(), StatusCode::kPermissionDenied);
  auto out = service_->RequestShield(System(), in);
  ASSERT_TRUE(out.ok());
  auto review = *shields_->OpenReview(ruby.id);
  ASSERT_TRUE(review.has_value());
  EXPECT_EQ(review->due, D(2024, 9, 28));
  EXPECT_EQ(RequestsOf(ruby)[0].source, domain::ShieldSource::kImport);
}

TEST_F(ShieldingServiceTest, ATelephoneRequestShieldsAtOnceAndLapsesAfter7WorkingDaysWithEaster) {
  auto ruby = Child("Ruby", "9 Willow Court");
  auto in = Input(ruby);
  in.telephone = true;
  EXPECT_EQ(service_->RequestShield(Shielder(), in).status().code(), StatusCode::kPermissionDenied);
  in.requester = {};
  EXPECT_EQ(service_->RequestShield(Manager(), in).status().field(), "requester.name");
  in.requester = {"Laura Stone", "07700 900733", "mother"};
  auto out = service_->RequestShield(Manager(), in);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(Shielded(ruby));
  // Thursday 28 March 2024 + 7 working days, skipping Good Friday and Easter Monday.
  EXPECT_EQ(out->form_due, D(2024, 4, 10));

  EXPECT_EQ(*service_->LapseOverdueTelephoneRequests(At(2024, 4, 10, 23)), 0u);
  EXPECT_EQ(*service_->LapseOverdueTelephoneRequests(At(2024, 4, 11)), 1u);
  auto req = *shields_->GetRequest(out->request_id);
  EXPECT_EQ(req.status, RequestStatus::kLapsed);
  // Unsuccessful, but the record stays shielded until management decides.
  EXPECT_TRUE(Shielded(ruby));
  auto log = *service_->Log(Manager());
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].action, LogAction::kRejected);
  auto notes = *service_->Notifications(Manager());
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes[0].kind, "decide_shield");
  EXPECT_EQ(*service_->LapseOverdueTelephoneRequests(At(2024, 4, 12)), 0u);
  // With no active request left, management may now unshield.
  EXPECT_TRUE(service_->Unshield(Manager(), ruby.uin.str()).ok());
}

TEST_F(ShieldingServiceTest, AFormReceivedInTimeStopsTheLapse) {
  auto ruby = Child("Ruby", "9 Willow Court");
  auto in = Input(ruby);
  in.telephone = true;
  auto out = service_->RequestShield(Manager(), in);
  ASSERT_TRUE(out.ok());
  clock_.Set(At(2024, 4, 9));
  EXPECT_EQ(service_->FormReceived(Shielder(), out->request_id).code(),
            StatusCode::kPermissionDenied);
  ASSERT_TRUE(service_->FormReceived(Manager(), out->request_id).ok());
  EXPECT_EQ(*service_->LapseOverdueTelephoneRequests(At(2024, 5, 1)), 0u);
  EXPECT_EQ(shields_->GetRequest(out->request_id)->form_received, D(2024, 4, 9));
}

TEST_F(ShieldingServiceTest,
       APractitionersRequestGoesToManagementWhenTheOrganisationHasNoNamedPerson) {
  auto ruby = Child("Ruby", "9 Willow Court");
  auto out = service_->RequestShield(Practitioner("SCH-1"), Input(ruby));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->status, RequestStatus::kPending);
  EXPECT_EQ(out->routed_to, "management");
  EXPECT_FALSE(Shielded(ruby));
  EXPECT_TRUE(service_->Log(Manager())->empty());
  auto lists = *service_->Requests(Manager());
  ASSERT_EQ(lists.awaiting_decision.size(), 1u);
  EXPECT_EQ((*service_->Notifications(Manager()))[0].kind, "request_pending");
  EXPECT_EQ(service_->Approve(Shielder(), out->request_id, "").status().code(),
            StatusCode::kPermissionDenied);
  auto approved = service_->Approve(Manager(), out->request_id, "meets criterion 1");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_TRUE(Shielded(ruby));
  EXPECT_EQ((*service_->Log(Manager()))[0].action, LogAction::kShieldApplied);
  auto mine = *service_->Requests(Practitioner("SCH-1"));
  ASSERT_EQ(mine.own.size(), 1u);
  EXPECT_EQ(mine.own[0].status, RequestStatus::kActive);
  EXPECT_EQ((*service_->Notifications(Practitioner()))[0].kind, "outcome");
  EXPECT_EQ(service_->Approve(Manager(), out->request_id, "").status().message(), "not_pending");
}

TEST_F(ShieldingServiceTest, APractitionersRequestGoesToTheirNamedPersonWhoMayReject) {
  named_.orgs.insert("HLT-1");
  auto ruby = Child("Ruby", "9 Willow Court");
  auto out = service_->RequestShield(Practitioner("HLT-1"), Input(ruby));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->routed_to, "organisation");
  EXPECT_EQ(service_->Reject(Shielder("sam", "VOL-1"), out->request_id, "").code(),
            StatusCode::kPermissionDenied);
  auto lists = *service_->Requests(Shielder("nia", "HLT-1"));
  ASSERT_EQ(lists.awaiting_decision.size(), 1u);
  ASSERT_TRUE(service_->Reject(Shielder("nia", "HLT-1"), out->request_id, "no criterion").ok());
  EXPECT_FALSE(Shielded(ruby));
  auto log = *service_->Log(Manager());
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, LogAction::kRejected);
}

TEST_F(ShieldingServiceTest, TheLogHasTheEightFieldsForItsOwnAuthorityOnlyAndExportsAsCsv) {
  auto ruby = Child("Ruby", "9 Willow Court");
  auto eve = Child("Eve", "2 East Road", "LA-EAST");
  auto in = Input(ruby);
  in.requester = {"Refuge, \"Safe Haven\"", "01632 960 000", "key worker"};
  in.comments = "=HYPERLINK(\"x\")";
  ASSERT_TRUE(service_->RequestShield(Shielder(), in).ok());
  ASSERT_TRUE(service_->RequestShield(Shielder(), Input(eve)).ok());
  auto log = *service_->Log(Manager());
  ASSERT_EQ(log.size(), 1u);
  const auto& e = log[0];
  EXPECT_EQ(e.uin, ruby.uin.str());
  EXPECT_EQ(e.action, LogAction::kShieldApplied);
  EXPECT_EQ(e.category, "refuge");
  EXPECT_EQ(e.date, D(2024, 3, 28));
  EXPECT_EQ(e.requester_contact, "Refuge, \"Safe Haven\", 01632 960 000");
  EXPECT_EQ(e.relationship, "key worker");
  EXPECT_FALSE(e.confirmation_sent.has_value());
  EXPECT_EQ(service_->Log(Shielder()).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Log(Manager("LA-EAST"))->size(), 1u);
  EXPECT_EQ(service_->MarkConfirmationSent(Manager("LA-EAST"), e.id).code(),
            StatusCode::kPermissionDenied);
  ASSERT_TRUE(service_->MarkConfirmationSent(Manager(), e.id).ok());
  auto csv = *service_->LogCsv(Manager());
  EXPECT_EQ(
      csv,
      "uin,action,category,date,requester_contact,relationship,confirmation_sent,comments\r\n" +
          ruby.uin.str() +
          ",1,refuge,2024-03-28,\"Refuge, \"\"Safe Haven\"\", 01632 960 000\",key worker,"
          "2024-03-28,\"'=HYPERLINK(\"\"x\"\")\"\r\n");
  EXPECT_EQ(audit_.EventsWithAction("shield.log_export").size(), 1u);
}

TEST_F(ShieldingServiceTest, DocumentsAreCheckedByTheirBytesAndReadableOnlyByManagement) {
  auto ruby = Child("Ruby", "9 Willow Court");
  auto out = service_->RequestShield(Practitioner(), Input(ruby));
  ASSERT_TRUE(out.ok());
  const std::string pdf = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
  EXPECT_EQ(service_
                ->AddDocument(Practitioner(), out->request_id, "application/pdf",
                              "<html>not a pdf</html>")
                .status()
                .field(),
            "document");
  EXPECT_EQ(
      service_->AddDocument(Practitioner(), out->request_id, "text/html", pdf).status().field(),
      "content_type");
  EXPECT_EQ(service_
                ->AddDocument(Practitioner(), out->request_id, "application/pdf",
                              "%PDF-" + std::string(domain::kMaxDocumentBytes, 'x'))
                .status()
                .field(),
            "document");
  EXPECT_EQ(
      service_->AddDocument(Shielder(), out->request_id, "application/pdf", pdf).status().code(),
      StatusCode::kPermissionDenied);
  auto id = service_->AddDocument(Practitioner(), out->request_id, "application/pdf", pdf);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(service_->ReadDocument(Practitioner(), out->request_id, *id).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->ReadDocument(Manager("LA-EAST"), out->request_id, *id).status().code(),
            StatusCode::kPermissionDenied);
  auto doc = service_->ReadDocument(Manager(), out->request_id, *id);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->bytes, pdf);
  EXPECT_EQ(doc->info.content_type, "application/pdf");
  EXPECT_EQ(service_->Documents(Manager(), out->request_id)->size(), 1u);
  EXPECT_EQ(ReadFileBytes(dir_ / "main.db").find("obj\n<<>>"), std::string::npos);
  EXPECT_EQ(ReadFileBytes(dir_ / "main.db-wal").find("obj\n<<>>"), std::string::npos);
}

TEST_F(ShieldingServiceTest, AppealsAreRecordedWithTheirOutcome) {
  auto ruby = Child("Ruby", "9 Willow Court");
  EXPECT_EQ(service_->RecordAppeal(Shielder(), ruby.uin.str(), "Mr Marsh", "wants access")
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  auto id = service_->RecordAppeal(Manager(), ruby.uin.str(), "Mr Marsh", "Disputes the shield");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(service_->DecideAppeal(Manager(), *id, "maybe", "").field(), "outcome");
  ASSERT_TRUE(service_->DecideAppeal(Manager(), *id, "not_upheld", "Criteria still met").ok());
  EXPECT_EQ(service_->DecideAppeal(Manager(), *id, "upheld", "").code(),
            StatusCode::kFailedPrecondition);
  auto appeals = *service_->Appeals(Manager());
  ASSERT_EQ(appeals.size(), 1u);
  EXPECT_EQ(appeals[0].outcome, "not_upheld");
  EXPECT_EQ(appeals[0].appellant, "Mr Marsh");
  EXPECT_TRUE(service_->Appeals(Manager("LA-EAST"))->empty());
}

TEST_F(ShieldingServiceTest, TheDatabaseFileHoldsNoPlaintextAddressOrRequesterOfAShieldedChild) {
  auto ruby = Child("Ruby", "Flat 3, 9 Quillington Mews");
  auto in = Input(ruby);
  in.requester = {"Laura Stonebridge", "07700 911911", "mother"};
  in.comments = "Caller is Zanzibar-safe";
  in.form.recent_addresses = {"12 Marshwood Terrace, Oldtown"};
  in.form.caseworker = "Sally Wardrobe";
  ASSERT_TRUE(service_->RequestShield(Manager(), in).ok());
  ASSERT_TRUE(service_->RecordAppeal(Manager(), ruby.uin.str(), "Mr Marshwood", "grounds").ok());
  const std::string bytes = ReadFileBytes(dir_ / "main.db") + ReadFileBytes(dir_ / "main.db-wal");
  ASSERT_FALSE(bytes.empty());
  for (const char* secret : {"Quillington", "NT2 5RB", "Marshwood", "Stonebridge", "07700 911911",
                             "Sally Wardrobe", "Zanzibar"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
  // And it all reads back.
  auto req = RequestsOf(ruby)[0];
  EXPECT_EQ(req.form.recent_addresses, in.form.recent_addresses);
  EXPECT_EQ(req.requester, in.requester);
}

TEST_F(ShieldingServiceTest, SubmittedRequestsReportListsAuthorisedUsersRequests) {
  auto ruby = Child("Ruby", "9 Willow Court");
  auto leo = Child("Leo", "9 Willow Court");
  ASSERT_TRUE(service_->RequestShield(Shielder(), Input(ruby)).ok());
  auto report = service_->SubmittedRequestsReport(Manager());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(Shielded(leo));
  ASSERT_EQ(report->size(), 1u);  // Leo's co-resident request is not a user's submission.
  EXPECT_EQ((*report)[0].child_uin, ruby.uin.str());
  EXPECT_EQ(service_->SubmittedRequestsReport(Shielder()).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(ShieldingServiceTest, ARequestIsReadBackByItsRequesterOrItsManagementOnlyAndAudited) {
  auto ruby = Child("Ruby", "9 Willow Court");
  ShieldInput in = Input(ruby);
  in.form.surname = "Stone";
  in.form.recent_addresses = {"9 Willow Court, Northtown"};
  auto out = service_->RequestShield(Shielder(), in);
  ASSERT_TRUE(out.ok());
  auto own = service_->GetRequest(Shielder(), out->request_id);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->form.recent_addresses, in.form.recent_addresses);
  EXPECT_TRUE(service_->GetRequest(Manager(), out->request_id).ok());
  EXPECT_EQ(service_->GetRequest(Manager("LA-EAST"), out->request_id).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->GetRequest(Practitioner(), out->request_id).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->GetRequest(Manager(), out->request_id + 100).status().code(),
            StatusCode::kNotFound);
  auto reads = audit_.EventsWithAction("shield.request_read");
  ASSERT_EQ(reads.size(), 4u);  // Two successes and two refusals.
  for (const auto& e : reads) EXPECT_EQ(e.details_json.find("Willow"), std::string::npos);
  audit_.SetFailing(true);
  EXPECT_EQ(service_->GetRequest(Manager(), out->request_id).status().code(),
            StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cp::workflow
