// The possible-duplicate pages: what each record's column shows at each view level, the
// actions for each state of the pair, and escaping.
#include "web/duplicate_pages.h"

#include <gtest/gtest.h>

namespace cp::web {
namespace {

PageContext Manager() {
  PageContext ctx;
  ctx.signed_in = true;
  ctx.display_name = "Morgan";
  ctx.roles = {"management"};
  ctx.csrf_token = "token-123";
  return ctx;
}

policy::FullChildView Full(const std::string& uin) {
  policy::FullChildView f;
  f.uin = uin;
  f.name = {"Ruby", "Stone", {"VOL-NS-HAVEN", "2026-01-01T00:00:00Z"}};
  f.gender = "female";
  f.date_of_birth = "2019-08-14";
  f.address.status = "current";
  f.address.line_1 = "Flat 3, 9 Willow Court";
  f.address.postcode = "NT2 5RB";
  f.address.provenance = {"VOL-NS-HAVEN", "2026-01-01T00:00:00Z"};
  f.carers.push_back({"Laura <Stone>", "mother", "", "", {"HLT-NS-ELMTREE", ""}});
  f.responsible_authority = "LA-NORTHSHIRE";
  f.shielded = true;
  return f;
}

DuplicateDetailView Detail(const std::string& status) {
  DuplicateDetailView v;
  v.pair = {7,
            "1111111111111111",
            "2222222222222222",
            status,
            "HLT-NS-ELMTREE",
            "9.5",
            "2026-11-22T03:00:00Z",
            true};
  policy::ShieldedChildView s;
  s.uin = "1111111111111111";
  s.given_names = "Rubie";
  s.family_name = "Stone";
  s.gender = "female";
  s.date_of_birth = "2019-08-14";
  v.record = policy::ChildView(s);
  v.other = policy::ChildView(Full("2222222222222222"));
  return v;
}

TEST(DuplicatePagesTest, SideBySideShowsEveryItemWithItsSourceAndHidesAShieldedView) {
  const std::string html = RenderDuplicateDetailPage(Manager(), Detail("open")).str();
  EXPECT_NE(html.find("Flat 3, 9 Willow Court, NT2 5RB (from VOL-NS-HAVEN)"), std::string::npos);
  EXPECT_NE(html.find("Laura &lt;Stone&gt;, mother (from HLT-NS-ELMTREE)"), std::string::npos);
  EXPECT_NE(html.find("Hidden: shielded record of another authority"), std::string::npos);
  EXPECT_NE(html.find("Rubie Stone"), std::string::npos);
  EXPECT_EQ(html.find("Laura <Stone>"), std::string::npos);
  // An open pair: both decisions, each a POST form with the CSRF token; no undo.
  EXPECT_NE(html.find("action=\"/management/duplicates/7/confirm\""), std::string::npos);
  EXPECT_NE(html.find("action=\"/management/duplicates/7/reject\""), std::string::npos);
  EXPECT_EQ(html.find("/undo"), std::string::npos);
  EXPECT_NE(html.find("token-123"), std::string::npos);
}

TEST(DuplicatePagesTest, AMergedPairOffersOnlyUndoAndAnErrorIsSummarised) {
  DuplicateDetailView v = Detail("confirmed");
  v.record.reset();
  v.merge_id = 3;
  v.error = "This pair has already been decided.";
  const std::string html = RenderDuplicateDetailPage(Manager(), v).str();
  EXPECT_NE(html.find("Merged into the other record"), std::string::npos);
  EXPECT_NE(html.find("action=\"/management/duplicates/7/undo\""), std::string::npos);
  EXPECT_EQ(html.find("/confirm\""), std::string::npos);
  EXPECT_NE(html.find("There is a problem"), std::string::npos);
  EXPECT_NE(html.find("<title>Error: "), std::string::npos);
  DuplicateDetailView rejected = Detail("rejected");
  const std::string r = RenderDuplicateDetailPage(Manager(), rejected).str();
  EXPECT_EQ(r.find("/reject\""), std::string::npos);
  EXPECT_EQ(r.find("/undo"), std::string::npos);
  EXPECT_EQ(r.find("/confirm\""), std::string::npos);
}

TEST(DuplicatePagesTest, QueueShowsTheCountAndTheFilter) {
  DuplicateListView v;
  v.filter = "open";
  v.rows.push_back(Detail("open").pair);
  const std::string html = RenderDuplicateListPage(Manager(), v).str();
  EXPECT_NE(html.find("1 possible duplicate (Open)."), std::string::npos);
  EXPECT_NE(html.find("href=\"/management/duplicates/7\""), std::string::npos);
  EXPECT_NE(html.find("<option value=\"open\" selected>"), std::string::npos);
  v.rows.clear();
  v.filter = "all";
  const std::string empty = RenderDuplicateListPage(Manager(), v).str();
  EXPECT_NE(empty.find("0 possible duplicates."), std::string::npos);
  EXPECT_NE(empty.find("There are no possible duplicates to show."), std::string::npos);
}

}  // namespace
}  // namespace cp::web
