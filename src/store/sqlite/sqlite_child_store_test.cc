// Tests of SqliteChildStore against a real database file.
#include "store/sqlite/sqlite_child_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/random.h"

namespace cp::store::sqlite {
namespace {

using domain::AddressStatus;
using domain::ChildRecord;
using domain::Provenance;
using domain::Uin;

Date D(const char* s) { return *Date::Parse(s); }
TimePoint T(int64_t seconds) { return FromUnixSeconds(seconds); }

std::string ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class SqliteChildStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-child-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto conn = OpenMainDatabase(db_path());
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = *conn;
    store_ = std::make_unique<SqliteChildStore>(conn_, box_, hmac_key_, &clock_);
  }
  void TearDown() override {
    store_.reset();
    conn_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string db_path() const { return (dir_ / "main.db").string(); }

  // A minimal valid record with a fresh UIN.
  ChildRecord Minimal(const std::string& given, const std::string& family) {
    ChildRecord r;
    r.uin = Uin::Generate(random_);
    r.name = {given, family, {"LA-NORTH", T(1700000000)}};
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = D("2015-03-04");
    r.core_provenance = {"LA-NORTH", T(1700000001)};
    r.responsible_authority = "E09000033";
    return r;
  }

  // Every item filled, names in several scripts.
  ChildRecord Full() {
    ChildRecord r = Minimal("Zoë Mary", "Ó Súilleabháin");
    r.former_names = {{"李小龙", "O'Brien-Smith", {"COURT-7", T(1600000000)}},
                      {"", "Петрова", {"LA-WEST", T(1600000100)}}};
    r.known_as = {{"Zo", "", {"SCH-1", T(1650000000)}}};
    r.gender = domain::Gender::kNotSpecified;
    r.address.status = AddressStatus::kCurrent;
    r.address.line_1 = "Flat 3, 27 Quillington Mews";
    r.address.line_2 = "Upper Thistleby";
    r.address.town = "Grimsworth";
    r.address.postcode = "ZX9 8QJ";
    r.address.provenance = {"HLT-GP-9", T(1690000000)};
    r.carers = {
        {"Hermione Fenwick-Zarzycka",
         "mother",
         "01632 960 001",
         "hf@example.org.uk",
         {"SCH-1", T(1690000001)}},
        {"Tadeusz Zarzycki", "step-father", "+44 808 157 0192", "", {"LA-NORTH", T(1690000002)}}};
    r.education = domain::EducationSetting{
        "Marchbrook Quarry Primary School", D("2019-09-04"), {"SCH-MQ", T(1690000003)}};
    r.gp = domain::GpPractice{
        "Wolvercote Lantern Surgery", "01632 960 555", {"HLT-WL", T(1690000004)}};
    domain::Involvement v;
    v.service_type = "mental_health";
    v.practitioner = "Dr Ignatius Pemberton-Vale";
    v.organisation = "Harrowgate Willows CAMHS";
    v.phone = "01632 960 777";
    v.email = "camhs@example.nhs.uk";
    v.start_date = D("2023-01-10");
    v.end_date = D("2024-02-11");
    v.lead_professional = true;
    v.caf_complete = true;
    v.sensitive_basis = domain::SensitiveBasis::kConsent;
    v.provenance = {"HLT-CAMHS", T(1690000005)};
    domain::Involvement w;
    w.service_type = "youth_service";
    w.organisation = "Brackenfold Youth Club";
    w.provenance = {"LA-NORTH", T(1690000006)};
    r.involvements = {v, w};
    r.extended_with_consent = true;
    r.shielded = true;
    return r;
  }

  std::filesystem::path dir_;
  SeededRandom random_{42};
  FakeClock clock_{T(1710000000)};
  crypto::SecretBox box_ = *crypto::SecretBox::FromKey(std::string(32, 'k'));
  std::string hmac_key_ = std::string(32, 'h');
  std::shared_ptr<SharedConnection> conn_;
  std::unique_ptr<SqliteChildStore> store_;
};

TEST_F(SqliteChildStoreTest, FullRecordRoundTripsExactly) {
  ChildRecord in = Full();
  auto id = store_->Create(in);
  ASSERT_TRUE(id.ok()) << id.status().ToString();

  ChildRecord expected = in;
  expected.id = *id;
  expected.version = 1;
  expected.involvements[0].id = 1;
  expected.involvements[1].id = 2;

  auto out = store_->Get(*id);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->id, expected.id);
  EXPECT_EQ(out->uin, expected.uin);
  EXPECT_EQ(out->name, expected.name);
  EXPECT_EQ(out->former_names, expected.former_names);
  EXPECT_EQ(out->known_as, expected.known_as);
  EXPECT_EQ(out->gender, expected.gender);
  EXPECT_EQ(out->date_of_birth, expected.date_of_birth);
  EXPECT_EQ(out->core_provenance, expected.core_provenance);
  EXPECT_EQ(out->address, expected.address);
  EXPECT_EQ(out->carers, expected.carers);
  EXPECT_EQ(out->education, expected.education);
  EXPECT_EQ(out->gp, expected.gp);
  EXPECT_EQ(out->involvements, expected.involvements);
  EXPECT_EQ(out->responsible_authority, expected.responsible_authority);
  EXPECT_EQ(out->extended_with_consent, expected.extended_with_consent);
  EXPECT_EQ(out->shielded, expected.shielded);
  EXPECT_EQ(out->version, expected.version);

  auto by_uin = store_->GetByUin(in.uin);
  ASSERT_TRUE(by_uin.ok());
  EXPECT_EQ(by_uin->id, *id);
  EXPECT_EQ(by_uin->carers, expected.carers);

  // Empty optionals and other enum values also round-trip.
  ChildRecord left = Minimal("Ada", "Lovelace");
  left.address.status = AddressStatus::kLeftEngland;
  left.address.intent_to_return = D("2030-01-01");
  left.gender = domain::Gender::kMale;
  auto left_id = store_->Create(left);
  ASSERT_TRUE(left_id.ok());
  auto left_out = store_->Get(*left_id);
  ASSERT_TRUE(left_out.ok());
  EXPECT_EQ(left_out->address, left.address);
  EXPECT_FALSE(left_out->education.has_value());
  EXPECT_FALSE(left_out->gp.has_value());
  EXPECT_TRUE(left_out->involvements.empty());
  EXPECT_EQ(left_out->gender, domain::Gender::kMale);

  EXPECT_EQ(store_->Get(9999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetByUin(Uin::Generate(random_)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*store_->Count(), 2);
}

TEST_F(SqliteChildStoreTest, SummaryHoldsTheClearItemsOnly) {
  ChildRecord in = Full();
  in.shielded = true;
  auto id = store_->Create(in);
  ASSERT_TRUE(id.ok());
  auto summary = store_->GetSummary(*id);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->id, *id);
  EXPECT_EQ(summary->uin, in.uin);
  EXPECT_EQ(summary->given_names, in.name.given_names);
  EXPECT_EQ(summary->family_name, in.name.family_name);
  EXPECT_EQ(summary->gender, in.gender);
  EXPECT_EQ(summary->date_of_birth, in.date_of_birth);
  EXPECT_TRUE(summary->shielded);
  EXPECT_EQ(summary->responsible_authority, in.responsible_authority);
  EXPECT_EQ(store_->GetSummary(*id + 1000).status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteChildStoreTest, UinIsUnique) {
  ChildRecord a = Minimal("Amy", "Pond");
  ASSERT_TRUE(store_->Create(a).ok());
  ChildRecord b = Minimal("Rory", "Williams");
  b.uin = a.uin;
  auto again = store_->Create(b);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().field(), "uin");
  EXPECT_EQ(*store_->Count(), 1);
  EXPECT_EQ(*store_->LatestChangeSequence(), 1);

  ChildRecord none = Minimal("No", "Uin");
  none.uin = Uin();
  EXPECT_EQ(store_->Create(none).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteChildStoreTest, UpdateIsOptimistic) {
  auto id = store_->Create(Full());
  ASSERT_TRUE(id.ok());
  ChildRecord first = *store_->Get(*id);
  ChildRecord second = first;

  first.name.family_name = "Pemberton";
  first.address.postcode = "ZX9 8QK";
  domain::Involvement extra;
  extra.service_type = "housing";
  extra.organisation = "Grimsworth Homes";
  first.involvements.push_back(extra);
  ASSERT_TRUE(store_->Update(first).ok());

  ChildRecord now = *store_->Get(*id);
  EXPECT_EQ(now.version, 2);
  EXPECT_EQ(now.name.family_name, "Pemberton");
  EXPECT_EQ(now.address.postcode, "ZX9 8QK");
  ASSERT_EQ(now.involvements.size(), 3u);
  EXPECT_EQ(now.involvements[2].id, 3);  // The next free id within the record.

  second.name.family_name = "Stale";
  EXPECT_EQ(store_->Update(second).code(), StatusCode::kConflict);
  EXPECT_EQ(store_->Get(*id)->name.family_name, "Pemberton");

  ChildRecord missing = now;
  missing.id = 4242;
  EXPECT_EQ(store_->Update(missing).code(), StatusCode::kNotFound);

  // Taking another child's UIN is refused.
  auto other = store_->Create(Minimal("Bo", "Peep"));
  ASSERT_TRUE(other.ok());
  ChildRecord clash = *store_->Get(*other);
  clash.uin = now.uin;
  Status st = store_->Update(clash);
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(st.field(), "uin");
}

TEST_F(SqliteChildStoreTest, ChangeFeedIsOrderedPagedAndSeenByAnotherConnection) {
  EXPECT_EQ(*store_->LatestChangeSequence(), 0);
  auto empty = store_->ChangesSince(0, 10);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->child_ids.empty());
  EXPECT_EQ(empty->last_sequence, 0);

  const int64_t a = *store_->Create(Minimal("Ann", "Able"));
  const int64_t b = *store_->Create(Minimal("Ben", "Baker"));
  ChildRecord ra = *store_->Get(a);
  ra.name.given_names = "Anne";
  ASSERT_TRUE(store_->Update(ra).ok());
  std::vector<ChildRecord> batch = {Minimal("Cat", "Cole"), Minimal("Dan", "Dale")};
  ASSERT_TRUE(store_->CreateBatch(batch).ok());
  const int64_t c = batch[0].id;
  const int64_t d = batch[1].id;
  EXPECT_EQ(batch[0].version, 1);

  const std::vector<int64_t> expected = {a, b, a, c, d};
  EXPECT_EQ(*store_->LatestChangeSequence(), 5);

  // Another process's view: a second connection on the same file.
  auto other_conn = OpenMainDatabase(db_path());
  ASSERT_TRUE(other_conn.ok()) << other_conn.status().ToString();
  SqliteChildStore other(*other_conn, box_, hmac_key_, &clock_);

  for (ChildStore* s : {static_cast<ChildStore*>(store_.get()), static_cast<ChildStore*>(&other)}) {
    std::vector<int64_t> seen;
    int64_t after = 0;
    int pages = 0;
    while (true) {
      auto page = s->ChangesSince(after, 2);
      ASSERT_TRUE(page.ok());
      if (page->child_ids.empty()) {
        EXPECT_EQ(page->last_sequence, after);
        break;
      }
      EXPECT_LE(page->child_ids.size(), 2u);
      seen.insert(seen.end(), page->child_ids.begin(), page->child_ids.end());
      after = page->last_sequence;
      ++pages;
    }
    EXPECT_EQ(seen, expected);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(*s->LatestChangeSequence(), 5);
  }

  // A write through the other connection is seen by the first.
  ChildRecord rb = *other.Get(b);
  EXPECT_EQ(rb.name.family_name, "Baker");
  rb.name.family_name = "Barker";
  ASSERT_TRUE(other.Update(rb).ok());
  auto tail = store_->ChangesSince(5, 100);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->child_ids, std::vector<int64_t>{b});
  EXPECT_EQ(tail->last_sequence, 6);
  EXPECT_EQ(store_->Get(b)->name.family_name, "Barker");

  // The changes carry the clock's time.
  auto stamped = conn_->With([](Database& db) -> Result<int64_t> {
    CP_ASSIGN_OR_RETURN(Statement s, db.Prepare("SELECT MIN(changed_at) FROM child_change"));
    CP_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return Status::NotFound("none");
    return s.ColumnInt(0);
  });
  ASSERT_TRUE(stamped.ok());
  EXPECT_EQ(*stamped, ToDb(T(1710000000)));
}

TEST_F(SqliteChildStoreTest, FindCoResidentsMatchesNormalisedAddress) {
  ChildRecord a = Full();
  ChildRecord b = Minimal("Sib", "Ling");
  b.address = a.address;
  b.address.line_1 = "flat 3  27 QUILLINGTON mews";  // Same address, written differently.
  b.address.postcode = "zx98qj";
  b.address.town = "";  // The town is not part of the key.
  ChildRecord c = Minimal("Next", "Door");
  c.address = a.address;
  c.address.line_1 = "Flat 4, 27 Quillington Mews";
  ChildRecord d = Minimal("Last", "Known");
  d.address = a.address;
  d.address.status = AddressStatus::kLastKnown;
  ChildRecord e = Minimal("No", "Address");

  std::vector<ChildRecord> batch = {a, b, c, d, e};
  ASSERT_TRUE(store_->CreateBatch(batch).ok());

  auto found = store_->FindCoResidents(batch[0]);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, (std::vector<int64_t>{batch[1].id, batch[3].id}));
  EXPECT_EQ(*store_->FindCoResidents(batch[1]), (std::vector<int64_t>{batch[0].id, batch[3].id}));
  EXPECT_TRUE(store_->FindCoResidents(batch[2])->empty());
  EXPECT_TRUE(store_->FindCoResidents(batch[4])->empty());

  // Moving away removes the child from the household.
  ChildRecord moved = *store_->Get(batch[1].id);
  moved.address.status = AddressStatus::kNoKnownAddress;
  moved.address.line_1.clear();
  moved.address.line_2.clear();
  moved.address.postcode.clear();
  ASSERT_TRUE(store_->Update(moved).ok());
  EXPECT_EQ(*store_->FindCoResidents(batch[0]), std::vector<int64_t>{batch[3].id});

  // A different HMAC key gives unrelated keys.
  SqliteChildStore other_key(conn_, box_, std::string(32, 'x'), &clock_);
  EXPECT_NE(other_key.AddressKey(a.address), store_->AddressKey(a.address));
  EXPECT_EQ(store_->AddressKey(a.address).size(), 64u);
  EXPECT_EQ(store_->AddressKey(e.address), "");
}

TEST_F(SqliteChildStoreTest, CreateBatchIsAllOrNothing) {
  std::vector<ChildRecord> batch;
  for (int i = 0; i < 50; ++i) batch.push_back(Minimal("Kid", "Number"));
  batch[37].uin = batch[3].uin;
  Status st = store_->CreateBatch(batch);
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(st.field(), "uin");
  EXPECT_EQ(*store_->Count(), 0);
  EXPECT_EQ(*store_->LatestChangeSequence(), 0);
  for (const ChildRecord& r : batch) EXPECT_EQ(r.id, 0);

  // A clash with an already stored child also stores none.
  ASSERT_TRUE(store_->Create(Minimal("Kid", "Zero")).ok());
  batch[37].uin = Uin::Generate(random_);
  batch[10].uin = store_->Get(1)->uin;
  EXPECT_EQ(store_->CreateBatch(batch).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(*store_->Count(), 1);

  batch[10].uin = Uin::Generate(random_);
  ASSERT_TRUE(store_->CreateBatch(batch).ok());
  EXPECT_EQ(*store_->Count(), 51);
  for (size_t i = 0; i < batch.size(); ++i) {
    EXPECT_EQ(batch[i].id, static_cast<int64_t>(i) + 2);
    EXPECT_EQ(store_->Get(batch[i].id)->uin, batch[i].uin);
  }
  std::vector<ChildRecord> none;
  EXPECT_TRUE(store_->CreateBatch(none).ok());
}

TEST_F(SqliteChildStoreTest, ScanAllStreamsInIdOrderAndStopsEarly) {
  std::vector<ChildRecord> batch;
  for (int i = 0; i < 5000; ++i) {  // More than one page.
    ChildRecord r = Full();
    r.uin = Uin::Generate(random_);
    r.name.given_names = "Child " + std::to_string(i);
    batch.push_back(std::move(r));
  }
  ASSERT_TRUE(store_->CreateBatch(batch).ok());
  int64_t last = 0;
  size_t n = 0;
  ASSERT_TRUE(store_
                  ->ScanAll([&](const ChildRecord& r) {
                    EXPECT_GT(r.id, last);
                    last = r.id;
                    EXPECT_EQ(r.name.given_names, "Child " + std::to_string(n));
                    EXPECT_EQ(r.carers, batch[n].carers);
                    ++n;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(n, batch.size());

  size_t visited = 0;
  Status st = store_->ScanAll([&](const ChildRecord&) {
    return ++visited == 3000 ? Status::Conflict("enough") : Status::Ok();
  });
  EXPECT_EQ(st.code(), StatusCode::kConflict);
  EXPECT_EQ(visited, 3000u);
}

TEST_F(SqliteChildStoreTest, ProtectedPartIsBoundToItsRow) {
  const int64_t a = *store_->Create(Full());
  const int64_t b = *store_->Create(Minimal("Other", "Child"));
  // Move a's sealed blob into b's row: opening it under b's UIN must fail.
  ASSERT_TRUE(conn_
                  ->With([&](Database& db) {
                    return db.Exec(
                        "UPDATE child SET protected=(SELECT protected FROM child"
                        " WHERE id=" +
                        std::to_string(a) + ") WHERE id=" + std::to_string(b));
                  })
                  .ok());
  EXPECT_EQ(store_->Get(b).status().code(), StatusCode::kInternal);
  EXPECT_TRUE(store_->Get(a).ok());
  // A store with another field key cannot read anything.
  crypto::SecretBox wrong = *crypto::SecretBox::FromKey(std::string(32, 'w'));
  SqliteChildStore other(conn_, wrong, hmac_key_, &clock_);
  EXPECT_EQ(other.Get(a).status().code(), StatusCode::kInternal);
}

TEST_F(SqliteChildStoreTest, HiddenItemsNeverReachTheFileInClear) {
  ChildRecord r = Full();
  auto id = store_->Create(r);
  ASSERT_TRUE(id.ok());
  // Also write it through Update and CreateBatch, so every write path is covered.
  ChildRecord again = *store_->Get(*id);
  ASSERT_TRUE(store_->Update(again).ok());
  std::vector<ChildRecord> batch = {Full()};
  batch[0].uin = Uin::Generate(random_);
  ASSERT_TRUE(store_->CreateBatch(batch).ok());

  const std::string bytes = ReadFileBytes(dir_ / "main.db") + ReadFileBytes(dir_ / "main.db-wal");
  ASSERT_GT(bytes.size(), 4096u);
  EXPECT_NE(bytes.find("Ó Súilleabháin"), std::string::npos) << "current names are in clear";
  for (const char* secret :
       {"Quillington",   "Thistleby",        "Grimsworth",     "ZX9 8QJ",       "ZX98QJ",
        "Hermione",      "Fenwick-Zarzycka", "Zarzycki",       "01632 960 001", "hf@example.org.uk",
        "Marchbrook",    "Wolvercote",       "Pemberton-Vale", "Harrowgate",    "CAMHS",
        "camhs@example", "mental_health",    "Brackenfold",    "李小龙",        "O'Brien-Smith",
        "Петрова",       "step-father",      "HLT-GP-9"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret << " is in the file in clear";
  }
}

}  // namespace
}  // namespace cp::store::sqlite
