// Integration tests of subject access disclosure and the management reports over real HTTP
// with the demo data: GET /api/v1/children/{uin}/disclosure.pdf returns application/pdf whose
// text pdftotext extracts; the requester's copy of Ruby Stone (shielded) never holds one of
// her hidden details, while the internal copy does; only the DPO gets it; DSAR cases; reports
// for management of the own authority only.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "demo_server.h"
#include "document/testing/pdf_text.h"
#include "http/testing/test_client.h"

namespace cp::testing {
namespace {

namespace json = boost::json;
using document::testing::PdfFile;
using document::testing::Squash;

class DisclosureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto demo = DemoServer::Start(50);
    ASSERT_TRUE(demo.ok()) << demo.status().ToString();
    demo_ = demo->release();
  }
  static void TearDownTestSuite() {
    delete demo_;
    demo_ = nullptr;
  }
  static DemoSession& SignIn(const std::string& username) { return demo_->SignIn(username); }

  static std::string Uin(DemoSession& s, const std::string& given, const std::string& family) {
    auto r = s.PostJson("/api/v1/children/search",
                        json::object{{"given_name", given}, {"family_name", family}});
    json::value parsed = json::parse(r.body);
    for (const auto& hit : parsed.at("results").as_array()) {
      if (hit.at("given_names").as_string() == given) return std::string(hit.at("uin").as_string());
    }
    ADD_FAILURE() << given << " " << family << " not found: " << r.body;
    return "";
  }

  static DemoServer* demo_;
};

DemoServer* DisclosureTest::demo_ = nullptr;

TEST_F(DisclosureTest, TheRequestersCopyOfAShieldedChildNeverHoldsTheAddress) {
  DemoSession& dana = SignIn("dana.dpo");
  std::string ruby = Uin(dana, "Ruby", "Stone");
  auto r = dana.client->Get("/api/v1/children/" + ruby + "/disclosure.pdf");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->Header("Content-Type").value_or(""), "application/pdf");
  ASSERT_TRUE(r->body.starts_with("%PDF-1.4"));
  PdfFile pdf(r->body);
  std::string text = Squash(pdf.Text());
  EXPECT_NE(text.find("Ruby Stone"), std::string::npos) << text;
  for (const auto& secret : kRubysHiddenDetails) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "requester's copy leaks " << secret;
    EXPECT_EQ(r->body.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(text.find("withheld"), std::string::npos);
  EXPECT_NE(text.find("Schedule 3"), std::string::npos);
  int pages = pdf.Pages();
  for (int p = 1; p <= pages; ++p) {
    std::string page = Squash(pdf.Text(p));
    EXPECT_NE(page.find("Produced by dana.dpo on "), std::string::npos) << p;
    EXPECT_NE(page.find("Request reference UNTRACKED-"), std::string::npos) << p;
    EXPECT_NE(page.find("Page " + std::to_string(p) + " of " + std::to_string(pages)),
              std::string::npos);
  }
}

TEST_F(DisclosureTest, TheInternalCopyHoldsEverythingAndIsWatermarked) {
  DemoSession& dana = SignIn("dana.dpo");
  std::string ruby = Uin(dana, "Ruby", "Stone");
  auto r = dana.client->Get("/api/v1/children/" + ruby + "/disclosure.pdf?copy=internal");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->Header("Content-Type").value_or(""), "application/pdf");
  PdfFile pdf(r->body);
  std::string text = Squash(pdf.Text(0, /*keep_diagonal=*/false));
  EXPECT_NE(text.find("Flat 3, 9 Willow Court"), std::string::npos) << text;
  EXPECT_NE(text.find("NT2 5RB"), std::string::npos);
  EXPECT_NE(text.find("Laura Stone"), std::string::npos);
  EXPECT_NE(text.find("INTERNAL – NOT FOR DISCLOSURE"), std::string::npos);
}

TEST_F(DisclosureTest, OnlyTheDpoGetsADisclosure) {
  std::string ruby = Uin(SignIn("dana.dpo"), "Ruby", "Stone");
  for (const char* user : {"morgan.manager", "pat.teacher", "sam.shielder", "blake.duty"}) {
    DemoSession& s = SignIn(user);
    for (const char* copy : {"", "?copy=internal"}) {
      auto r = s.client->Get("/api/v1/children/" + ruby + "/disclosure.pdf" + copy);
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->status, 403) << user;
      for (const auto& secret : kRubysHiddenDetails) {
        EXPECT_EQ(r->body.find(secret), std::string::npos) << user;
      }
    }
  }
  http::testing::TestClient anonymous(demo_->port());
  auto r = anonymous.Get("/api/v1/children/" + ruby + "/disclosure.pdf");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 401);
}

TEST_F(DisclosureTest, BadRequests) {
  DemoSession& dana = SignIn("dana.dpo");
  std::string ruby = Uin(dana, "Ruby", "Stone");
  EXPECT_EQ(dana.client->Get("/api/v1/children/" + ruby + "/disclosure.pdf?copy=full")->status,
            400);
  EXPECT_EQ(dana.client->Get("/api/v1/children/12345/disclosure.pdf")->status, 400);
  EXPECT_EQ(
      dana.client->Get("/api/v1/children/" + ruby + "/disclosure.pdf?case=DSAR-1999-0001")->status,
      400);
}

TEST_F(DisclosureTest, ADsarCaseGivesTheDisclosureItsReference) {
  DemoSession& dana = SignIn("dana.dpo");
  std::string ruby = Uin(dana, "Ruby", "Stone");
  auto created =
      dana.PostJson("/api/v1/dsar-cases", json::object{{"uin", ruby}, {"requester_kind", "child"}});
  ASSERT_EQ(created.status, 201) << created.body;
  json::object c = json::parse(created.body).as_object();
  std::string reference(c.at("reference").as_string());
  EXPECT_EQ(c.at("status").as_string(), "received");
  auto pdf = dana.client->Get("/api/v1/children/" + ruby + "/disclosure.pdf?case=" + reference);
  ASSERT_EQ(pdf->status, 200);
  EXPECT_NE(Squash(PdfFile(pdf->body).Text()).find("Request reference " + reference),
            std::string::npos);
  std::string id = std::to_string(c.at("id").as_int64());
  EXPECT_EQ(dana.PostJson("/api/v1/dsar-cases/" + id + "/complete", json::object{}).status, 422);
  EXPECT_EQ(dana.PostJson("/api/v1/dsar-cases/" + id + "/verify-identity", json::object{}).status,
            200);
  auto done = dana.PostJson("/api/v1/dsar-cases/" + id + "/complete", json::object{});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(json::parse(done.body).at("status").as_string(), "completed");
  auto list = dana.client->Get("/api/v1/dsar-cases");
  ASSERT_EQ(list->status, 200);
  EXPECT_NE(list->body.find(reference), std::string::npos);
  EXPECT_EQ(SignIn("morgan.manager").client->Get("/api/v1/dsar-cases")->status, 403);
}

TEST_F(DisclosureTest, ReportsAreForManagementOfTheOwnAuthority) {
  DemoSession& morgan = SignIn("morgan.manager");
  auto catalogue = morgan.client->Get("/api/v1/reports");
  ASSERT_EQ(catalogue->status, 200);
  EXPECT_NE(catalogue->body.find("trawling"), std::string::npos);
  auto trawling = morgan.client->Get("/api/v1/reports/trawling");
  ASSERT_EQ(trawling->status, 200) << trawling->body;
  EXPECT_NE(trawling->body.find("dana.dpo"), std::string::npos);     // Northshire.
  EXPECT_EQ(trawling->body.find("eve.manager"), std::string::npos);  // Eastborough.
  auto csv = morgan.client->Get("/api/v1/reports/shielding-log.csv");
  ASSERT_EQ(csv->status, 200);
  EXPECT_TRUE(csv->body.starts_with("uin,action,category,date"));
  auto pdf = morgan.client->Get("/api/v1/reports/shielding-log.pdf");
  ASSERT_EQ(pdf->status, 200);
  EXPECT_EQ(pdf->Header("Content-Type").value_or(""), "application/pdf");
  EXPECT_NE(Squash(PdfFile(pdf->body).Text()).find("Shielding log"), std::string::npos);
  std::string ruby = Uin(morgan, "Ruby", "Stone");
  auto who = morgan.client->Get("/api/v1/reports/record-access?uin=" + ruby);
  ASSERT_EQ(who->status, 200) << who->body;
  EXPECT_NE(who->body.find("morgan.manager"), std::string::npos);
  // Eastborough's manager cannot ask about a Northshire record or user.
  DemoSession& eve = SignIn("eve.manager");
  EXPECT_EQ(eve.client->Get("/api/v1/reports/record-access?uin=" + ruby)->status, 404);
  EXPECT_EQ(eve.client->Get("/api/v1/reports/user-activity?username=pat.teacher")->status, 404);
  EXPECT_EQ(SignIn("pat.teacher").client->Get("/api/v1/reports/trawling")->status, 403);
  EXPECT_EQ(SignIn("dana.dpo").client->Get("/api/v1/reports")->status, 403);
  EXPECT_EQ(morgan.client->Get("/api/v1/reports/everything")->status, 404);
}

}  // namespace
}  // namespace cp::testing
