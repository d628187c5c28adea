// Tests of the synthetic children generator and loader.
#include "app/synthetic_children.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "domain/child_validation.h"
#include "domain/field_validation.h"
#include "domain/service_types.h"
#include "store/sqlite/sqlite_child_store.h"

namespace cp::app {
namespace {

using domain::ChildRecord;

SyntheticOptions Options(uint64_t seed = 7) {
  SyntheticOptions o;
  o.seed = seed;
  o.today = *Date::Parse("2025-06-30");
  o.authority_codes = {"E09000033", "E08000025", "E10000016"};
  o.shielded_fraction = 0.01;
  return o;
}

bool SameHidden(const ChildRecord& a, const ChildRecord& b) {
  return a.address == b.address && a.carers == b.carers && a.involvements == b.involvements &&
         a.former_names == b.former_names && a.known_as == b.known_as && a.gp == b.gp &&
         a.education == b.education;
}

TEST(SyntheticChildrenTest, IsDeterministic) {
  SyntheticChildren a(Options());
  SyntheticChildren b(Options());
  SyntheticChildren c(Options(8));
  auto x = a.NextBatch(300);
  auto y = b.NextBatch(100);
  auto y2 = b.NextBatch(200);  // Batch boundaries do not change the sequence.
  y.insert(y.end(), y2.begin(), y2.end());
  auto z = c.NextBatch(300);
  ASSERT_EQ(x.size(), 300u);
  ASSERT_EQ(y.size(), 300u);
  size_t differ = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(x[i].uin, y[i].uin);
    EXPECT_EQ(x[i].name, y[i].name);
    EXPECT_EQ(x[i].date_of_birth, y[i].date_of_birth);
    EXPECT_TRUE(SameHidden(x[i], y[i])) << i;
    if (!(x[i].uin == z[i].uin)) ++differ;
  }
  EXPECT_EQ(differ, x.size());
}

TEST(SyntheticChildrenTest, RecordsAreValidAndRealistic) {
  const SyntheticOptions options = Options();
  const Date today = options.today;
  SyntheticChildren gen(options);
  auto children = gen.NextBatch(20000);
  ASSERT_EQ(children.size(), 20000u);

  std::set<std::string> uins;
  std::map<std::string, int> per_authority;
  std::map<std::string, std::vector<size_t>> by_address;
  std::set<int> ages;
  size_t shielded = 0, with_school = 0, with_gp = 0, with_involvement = 0, sensitive = 0,
         non_ascii_names = 0, former = 0, known_as = 0;
  const TimePoint end_of_today = today.AddDays(1).StartOfDay();
  auto check_provenance = [&](const domain::Provenance& p, const char* what) {
    EXPECT_FALSE(p.source.empty()) << what;
    EXPECT_LE(p.updated_at, end_of_today) << what;
    EXPECT_GT(p.updated_at, today.AddYears(-19).StartOfDay()) << what;
  };

  for (size_t i = 0; i < children.size(); ++i) {
    ChildRecord r = children[i];
    Status st = domain::ValidateChildRecord(r, today);
    ASSERT_TRUE(st.ok()) << i << ": " << st.ToString();
    // Already normalised: validation changes nothing.
    EXPECT_EQ(r.address, children[i].address);
    EXPECT_TRUE(uins.insert(r.uin.str()).second);
    EXPECT_TRUE(domain::Uin::Parse(r.uin.str()).ok());
    const int age = r.date_of_birth.YearsUntil(today);
    EXPECT_GE(age, 0);
    EXPECT_LT(age, 18);
    ages.insert(age);
    ++per_authority[r.responsible_authority];
    shielded += r.shielded ? 1 : 0;
    check_provenance(r.name.provenance, "name");
    check_provenance(r.core_provenance, "core");
    check_provenance(r.address.provenance, "address");
    for (const auto& c : r.carers) check_provenance(c.provenance, "carer");
    for (const auto& n : r.former_names) check_provenance(n.provenance, "former");
    for (const auto& n : r.known_as) check_provenance(n.provenance, "known_as");
    EXPECT_FALSE(r.carers.empty());
    if (r.education) {
      ++with_school;
      check_provenance(r.education->provenance, "education");
    }
    if (r.gp) {
      ++with_gp;
      check_provenance(r.gp->provenance, "gp");
    }
    if (!r.involvements.empty()) ++with_involvement;
    for (const auto& v : r.involvements) {
      check_provenance(v.provenance, "involvement");
      auto type = domain::FindServiceType(v.service_type);
      ASSERT_TRUE(type.has_value());
      if (type->sensitive) {
        ++sensitive;
        EXPECT_NE(v.sensitive_basis, domain::SensitiveBasis::kNone);
      }
    }
    for (unsigned char c : r.name.family_name + r.name.given_names) {
      if (c >= 0x80) {
        ++non_ascii_names;
        break;
      }
    }
    former += r.former_names.empty() ? 0 : 1;
    known_as += r.known_as.empty() ? 0 : 1;
    by_address[r.address.line_1 + "|" + r.address.postcode].push_back(i);
  }
  EXPECT_EQ(ages.size(), 18u);
  EXPECT_EQ(per_authority.size(), 3u);
  for (const auto& [code, n] : per_authority) EXPECT_GT(n, 5000) << code;
  EXPECT_GT(shielded, 80u);
  EXPECT_LT(shielded, 400u);
  EXPECT_GT(with_school, 12000u);
  EXPECT_GT(with_gp, 18000u);
  EXPECT_GT(with_involvement, 2000u);
  EXPECT_LT(with_involvement, 8000u);
  EXPECT_GT(sensitive, 0u);
  EXPECT_GT(non_ascii_names, 50u);
  EXPECT_GT(former, 100u);
  EXPECT_GT(known_as, 100u);

  // Households: siblings share an address (consecutive records), carers, the shielding and
  // mostly the family name.
  size_t households_with_siblings = 0, shared_family = 0, siblings = 0;
  for (const auto& [address, members] : by_address) {
    if (members.size() < 2) continue;
    if (members.back() - members.front() + 1 != members.size()) continue;  // A chance clash.
    ++households_with_siblings;
    const ChildRecord& first = children[members[0]];
    for (size_t k = 1; k < members.size(); ++k) {
      const ChildRecord& sib = children[members[k]];
      EXPECT_EQ(sib.carers, first.carers);
      EXPECT_EQ(sib.shielded, first.shielded);
      EXPECT_EQ(sib.responsible_authority, first.responsible_authority);
      ++siblings;
      shared_family += sib.name.family_name == first.name.family_name ? 1 : 0;
    }
  }
  EXPECT_GT(households_with_siblings, 3000u);
  EXPECT_GT(shared_family * 10, siblings * 7);
}

TEST(SyntheticChildrenTest, LoadsIntoTheStoreAndReplacesClashingUins) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("cp-synthetic-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto conn = store::sqlite::OpenMainDatabase((dir / "main.db").string());
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    auto box = crypto::SecretBox::FromKey(std::string(32, 'k'));
    ASSERT_TRUE(box.ok());
    store::sqlite::SqliteChildStore store(*conn, *box, std::string(32, 'h'));

    ASSERT_TRUE(LoadSyntheticChildren(store, 2500, Options(), 1000).ok());
    EXPECT_EQ(*store.Count(), 2500);
    // The same seed again draws the same UINs: every one clashes and is replaced.
    Status again = LoadSyntheticChildren(store, 1500, Options(), 1000);
    ASSERT_TRUE(again.ok()) << again.ToString();
    EXPECT_EQ(*store.Count(), 4000);
    EXPECT_EQ(*store.LatestChangeSequence(), 4000);

    // Siblings are found as co-residents.
    size_t with_co_residents = 0;
    for (int64_t id = 1; id <= 200; ++id) {
      auto child = store.Get(id);
      ASSERT_TRUE(child.ok());
      auto co = store.FindCoResidents(*child);
      ASSERT_TRUE(co.ok());
      with_co_residents += co->empty() ? 0 : 1;
    }
    EXPECT_GT(with_co_residents, 50u);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cp::app
