// DirectoryService: search, trawling cap, hidden-field rule, views and audit, over the real
// search index and an in-memory child store.
#include "workflow/directory_service.h"

#include <gtest/gtest.h>

#include "audit/testing/fake_audit_sink.h"
#include "domain/child_record.h"
#include "store/testing/memory_child_store.h"
#include "workflow/directory_index.h"

namespace cp::workflow {
namespace {

using domain::Role;

domain::Provenance Src() { return {"SCH-1", FromUnixSeconds(1'700'000'000)}; }

class DirectoryServiceTest : public ::testing::Test {
 protected:
  DirectoryServiceTest() : random_(77), index_(store_), service_(store_, index_, audit_, "k") {}

  domain::ChildRecord Child(const std::string& given, const std::string& family,
                            const std::string& dob, const std::string& postcode,
                            bool shielded = false, const std::string& authority = "LA-NORTH") {
    domain::ChildRecord r;
    r.uin = domain::Uin::Generate(random_);
    r.name = {given, family, Src()};
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = *Date::Parse(dob);
    r.address = {
        domain::AddressStatus::kCurrent, "1 High Street", "", "Northtown", postcode, {}, Src()};
    r.responsible_authority = authority;
    r.shielded = shielded;
    return r;
  }

  domain::ChildRecord Add(domain::ChildRecord r) {
    r.id = *store_.Create(r);
    EXPECT_TRUE(index_.SyncNow().ok());
    return r;
  }

  Actor Practitioner() {
    return {"pat", "SCH-1", "LA-NORTH", {Role::kPractitioner}, "r", "ip", false};
  }
  Actor Shielder() { return {"sam", "VOL-1", "LA-NORTH", {Role::kShielder}, "r", "ip", false}; }
  Actor Manager(const std::string& la = "LA-NORTH") {
    return {"mo", la, la, {Role::kManagement}, "r", "ip", false};
  }
  Actor Admin() { return {"ad", "LA-NORTH", "LA-NORTH", {Role::kAdministrator}, "r", "ip", false}; }

  SeededRandom random_;
  store::testing::MemoryChildStore store_;
  audit::testing::FakeAuditSink audit_;
  DirectoryIndex index_;
  DirectoryService service_;
};

TEST_F(DirectoryServiceTest, FindsAChildAndAuditsTheSearchWithoutCriteriaInClear) {
  auto amelia = Add(Child("Amelia", "Okafor", "2015-04-02", "NT1 1AA"));
  SearchRequest req{"Amelia", "Okafor", "", "", ""};
  auto hits = service_.Search(Practitioner(), req);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].uin, amelia.uin.str());
  EXPECT_FALSE((*hits)[0].shielded);
  auto event = audit_.last();
  EXPECT_EQ(event.action, "child.search");
  EXPECT_EQ(event.outcome, "success");
  EXPECT_NE(event.details_json.find(amelia.uin.str()), std::string::npos);
  EXPECT_NE(event.details_json.find("\"results\":1"), std::string::npos);
  EXPECT_EQ(event.details_json.find("Okafor"), std::string::npos);
  EXPECT_EQ(event.details_json.find("Amelia"), std::string::npos);
}

TEST_F(DirectoryServiceTest, InsufficientCriteriaAreRefused) {
  for (SearchRequest req :
       {SearchRequest{"Amelia", "", "", "", ""}, SearchRequest{"", "Okafor", "", "", ""},
        SearchRequest{"", "Okafor", "", "female", "NT1 1AA"}}) {
    auto r = service_.Search(Practitioner(), req);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("insufficient_criteria"), std::string::npos);
  }
  auto bad_date = service_.Search(Practitioner(), {"", "Okafor", "2015-13-01", "", ""});
  EXPECT_EQ(bad_date.status().field(), "date_of_birth");
}

TEST_F(DirectoryServiceTest, TrawlingCapIsTenForPractitionersAndThirtyFiveForShielders) {
  for (int i = 0; i < 11; ++i) Add(Child("Jack", "Smith", "2014-01-01", "NT1 1AA"));
  SearchRequest req{"Jack", "Smith", "2014-01-01", "", ""};
  auto refused = service_.Search(Practitioner(), req);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(), "too_many_matches");
  EXPECT_EQ(audit_.last().reason, "too_many_matches");
  EXPECT_EQ(audit_.last().details_json.find("\"results\":11"), std::string::npos);
  auto shielder = service_.Search(Shielder(), req);
  ASSERT_TRUE(shielder.ok());
  EXPECT_EQ(shielder->size(), 11u);
  for (int i = 0; i < 24; ++i) Add(Child("Jack", "Smith", "2014-01-01", "NT1 1AA"));
  EXPECT_EQ(service_.Search(Shielder(), req)->size(), 35u);
  Add(Child("Jack", "Smith", "2014-01-01", "NT1 1AA"));
  EXPECT_EQ(service_.Search(Shielder(), req).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(DirectoryServiceTest, ExactlyTenMatchesAreShown) {
  for (int i = 0; i < 10; ++i) Add(Child("Jack", "Smith", "2014-01-01", "NT1 1AA"));
  auto ok = service_.Search(Practitioner(), {"Jack", "Smith", "2014-01-01", "", ""});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 10u);
}

TEST_F(DirectoryServiceTest, AShieldedChildIsNotFoundThroughItsHiddenPostcode) {
  // Same name and date of birth; the postcode alone distinguishes. A practitioner's postcode
  // search must answer exactly as if the shielded child's postcode were anything else.
  Add(Child("Ruby", "Stone", "2016-06-06", "ZZ9 9ZZ", /*shielded=*/true));
  SearchRequest with_right_postcode{"", "Stone", "2016-06-06", "", "ZZ9 9ZZ"};
  SearchRequest with_other_postcode{"", "Stone", "2016-06-06", "", "AB1 2CD"};
  auto a = service_.Search(Practitioner(), with_right_postcode);
  auto b = service_.Search(Practitioner(), with_other_postcode);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), b->size());
  for (size_t i = 0; i < a->size(); ++i) {
    EXPECT_EQ((*a)[i].uin, (*b)[i].uin);
    EXPECT_EQ((*a)[i].score, (*b)[i].score);
  }
}

TEST_F(DirectoryServiceTest, AShieldedChildIsNotFoundThroughAFormerName) {
  auto r = Child("Ruby", "Stone", "2016-06-06", "ZZ9 9ZZ", /*shielded=*/true);
  r.former_names.push_back({"Ruby", "Birthname", Src()});
  Add(r);
  auto practitioner = service_.Search(Practitioner(), {"Ruby", "Birthname", "2016-06-06", "", ""});
  ASSERT_TRUE(practitioner.ok());
  EXPECT_TRUE(practitioner->empty());
  auto manager = service_.Search(Manager(), {"Ruby", "Birthname", "2016-06-06", "", ""});
  ASSERT_TRUE(manager.ok());
  EXPECT_EQ(manager->size(), 1u);
}

TEST_F(DirectoryServiceTest, ViewsFollowThePolicyAndAreAudited) {
  auto open = Add(Child("Ada", "Open", "2013-03-03", "NT1 1AA"));
  auto hidden = Add(Child("Hal", "Hidden", "2013-03-03", "ZZ1 1ZZ", true));
  auto full = service_.Open(Practitioner(), open.uin.str(), "assessment", "");
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_NE(std::get_if<policy::FullChildView>(&*full), nullptr);
  EXPECT_NE(audit_.last().details_json.find("\"view_level\":\"full\""), std::string::npos);
  EXPECT_NE(audit_.last().details_json.find("\"reason_code\":\"assessment\""), std::string::npos);

  auto shielded = service_.Open(Practitioner(), hidden.uin.str(), "safeguarding", "");
  ASSERT_TRUE(shielded.ok());
  EXPECT_NE(std::get_if<policy::ShieldedChildView>(&*shielded), nullptr);
  EXPECT_NE(audit_.last().details_json.find("\"view_level\":\"shielded\""), std::string::npos);

  auto manager = service_.Open(Manager(), hidden.uin.str(), "record_accuracy", "");
  EXPECT_NE(std::get_if<policy::FullChildView>(&*manager), nullptr);
  auto other_manager = service_.Open(Manager("LA-SOUTH"), hidden.uin.str(), "record_accuracy", "");
  EXPECT_NE(std::get_if<policy::ShieldedChildView>(&*other_manager), nullptr);
}

TEST_F(DirectoryServiceTest, OpeningNeedsAReasonARightAndAValidUin) {
  auto child = Add(Child("Ada", "Open", "2013-03-03", "NT1 1AA"));
  EXPECT_EQ(service_.Open(Practitioner(), child.uin.str(), "", "").status().field(), "reason");
  EXPECT_EQ(service_.Open(Practitioner(), child.uin.str(), "other", "").status().field(),
            "reason_text");
  EXPECT_EQ(service_.Open(Practitioner(), "12345", "assessment", "").status().field(), "uin");
  EXPECT_EQ(service_.Open(Admin(), child.uin.str(), "assessment", "").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(audit_.last().outcome, "denied");
  EXPECT_EQ(service_.Search(Admin(), {"Ada", "Open", "", "", ""}).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(DirectoryServiceTest, AuditFailureShowsNothing) {
  auto child = Add(Child("Ada", "Open", "2013-03-03", "NT1 1AA"));
  audit_.SetFailing(true);
  EXPECT_EQ(service_.Search(Practitioner(), {"Ada", "Open", "", "", ""}).status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(service_.Open(Practitioner(), child.uin.str(), "assessment", "").status().code(),
            StatusCode::kUnavailable);
}

TEST_F(DirectoryServiceTest, WritesReachSearchAfterASync) {
  auto child = Child("Zed", "Later", "2012-02-02", "NT1 1AA");
  child.id = *store_.Create(child);
  EXPECT_TRUE(service_.Search(Practitioner(), {"Zed", "Later", "", "", ""})->empty());
  ASSERT_TRUE(index_.SyncNow().ok());
  EXPECT_EQ(service_.Search(Practitioner(), {"Zed", "Later", "", "", ""})->size(), 1u);
  // An update that renames the child is seen too.
  auto stored = *store_.Get(child.id);
  stored.name.family_name = "Renamed";
  ASSERT_TRUE(store_.Update(stored).ok());
  ASSERT_TRUE(index_.SyncNow().ok());
  EXPECT_TRUE(service_.Search(Practitioner(), {"Zed", "Later", "", "", ""})->empty());
  EXPECT_EQ(service_.Search(Practitioner(), {"Zed", "Renamed", "", "", ""})->size(), 1u);
}

TEST_F(DirectoryServiceTest, BuildIndexesEverythingAlreadyStored) {
  auto child = Child("Bea", "Before", "2012-02-02", "NT1 1AA");
  ASSERT_TRUE(store_.Create(child).ok());
  DirectoryIndex fresh(store_);
  ASSERT_TRUE(fresh.Build().ok());
  DirectoryService service(store_, fresh, audit_, "k");
  EXPECT_EQ(service.Search(Practitioner(), {"Bea", "Before", "", "", ""})->size(), 1u);
}

}  // namespace
}  // namespace cp::workflow
