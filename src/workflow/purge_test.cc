// The purge reaches every feature's data about the child (docs/retention.md, "What the purge
// removes"): a child with a record, former names, an address, carers, a merged duplicate, a
// superseded feed item, a shield request with its Appendix 4 form, a supporting document, a
// review, an appeal, a Break Glass use with an investigation note, a brokering request through
// to its decline, and an identity change. Six years after archiving the daily job purges it;
// then no personal string of the child is left anywhere in the database file (every text and
// blob column of every table, opened where sealed), none is in the audit trail, and the
// readers of the shielding desk, the Break Glass and brokering pages and every report still
// work.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <optional>

#include "audit/testing/fake_audit_sink.h"
#include "audit/testing/memory_audit_store.h"
#include "crypto/secret_box.h"
#include "domain/child_record.h"
#include "store/sqlite/sqlite_break_glass_store.h"
#include "store/sqlite/sqlite_child_store.h"
#include "store/sqlite/sqlite_organisation_store.h"
#include "store/sqlite/sqlite_retention_store.h"
#include "store/sqlite/sqlite_shield_store.h"
#include "store/sqlite/sqlite_user_store.h"
#include "workflow/break_glass_service.h"
#include "workflow/brokering_service.h"
#include "workflow/maintenance_service.h"
#include "workflow/reports_service.h"
#include "workflow/retention_service.h"
#include "workflow/shielding_service.h"

namespace cp::workflow {
namespace {

using domain::Role;

TimePoint At(int y, int m, int d, int hour) {
  return Date::FromYmd(y, m, d)->StartOfDay() + std::chrono::hours(hour);
}

// Everything personal the test writes about the child, in every feature. None may survive.
const char* const kPersonal[] = {
    "Zephyrine",       "Quillfeather",    "Oldbramble",   "Zeffy",          "Larkspur Lane",
    "ZQ9 9ZZ",         "Marigold",        "07700 900417", "Hortensia Vane", "Absorbwell",
    "Feedhistoria",    "Feedsourceitems", "Havenhold",    "01632 960417",   "keyworkerish",
    "Calledbyphone",   "Formforename",    "Formsurname",  "Caseworkerly",   "ZQ8 8ZZ",
    "Appellantia",     "Groundsworth",    "Appealnotesy", "DOCSECRETBYTES", "Reviewnotesy",
    "Consultedperson", "Breakreasonx",    "Investnotex",  "Brokerreasonx",  "Practitionerx",
    "Declinedbecause"};

class PurgeTest : public ::testing::Test {
 protected:
  PurgeTest()
      : clock_(At(2026, 11, 23, 10)),  // A Monday.
        random_(11),
        box_(*crypto::SecretBox::FromKey(std::string(32, 'k'))) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-purge-" + std::to_string(::getpid()) + "-" +
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
    // Wired as the application wires it (src/app/application.cc).
    retention_store_ =
        std::make_unique<store::sqlite::SqliteRetentionStore>(conn_, *children_, &clock_);
    retention_store_->AddPurgeParticipant(*shields_);
    retention_store_->AddPurgeParticipant(*bg_store_);
    named_ = std::make_unique<StoreNamedPersonDirectory>(*users_, *orgs_);
    shielding_ = std::make_unique<ShieldingService>(*children_, *shields_, *named_, audit_, clock_);
    break_glass_ = std::make_unique<BreakGlassService>(*children_, *bg_store_, *users_, *orgs_,
                                                       audit_, clock_);
    brokering_ =
        std::make_unique<BrokeringService>(*children_, *bg_store_, *users_, audit_, clock_);
    reports_ = std::make_unique<ReportsService>(*shielding_, *break_glass_, *brokering_, *children_,
                                                *users_, *orgs_, trail_, audit_, clock_);
    maintenance_ = std::make_unique<MaintenanceService>(*retention_store_, audit_, clock_);
    retention_ = std::make_unique<RetentionService>(*children_, *retention_store_, shielding_.get(),
                                                    audit_, clock_, random_);
    for (auto [code, la] : {std::pair{"LA-NORTH", "LA-NORTH"}, std::pair{"POL-N", "LA-NORTH"}}) {
      domain::Organisation o;
      o.code = code;
      o.name = code;
      o.local_authority_code = la;
      ASSERT_TRUE(orgs_->Create(o).ok());
    }
    AddUser("blake", "POL-N", {Role::kBreakGlass, Role::kPractitioner});
    AddUser("pat", "POL-N", {Role::kPractitioner});
    AddUser("mo", "LA-NORTH", {Role::kManagement});
  }

  void TearDown() override {
    retention_.reset();
    maintenance_.reset();
    reports_.reset();
    brokering_.reset();
    break_glass_.reset();
    shielding_.reset();
    named_.reset();
    retention_store_.reset();
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

  domain::ChildRecord Child(const std::string& given, const std::string& family) {
    domain::ChildRecord r;
    r.uin = domain::Uin::Generate(random_);
    domain::Provenance p{"SCH-1", At(2026, 1, 5, 9)};
    r.name = {given, family, p};
    r.former_names.push_back({given, "Oldbramble", p});
    r.known_as.push_back({"Zeffy", family, p});
    r.gender = domain::Gender::kFemale;
    r.date_of_birth = *Date::FromYmd(2014, 3, 9);
    r.core_provenance = p;
    r.address = {
        domain::AddressStatus::kCurrent, "4 Larkspur Lane", "", "Northtown", "ZQ9 9ZZ", {}, p};
    r.carers.push_back({"Marigold " + family, "mother", "07700 900417", "", p});
    r.involvements.push_back({0,
                              "social_care",
                              "Hortensia Vane",
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
    r.id = *children_->Create(r);
    return *children_->Get(r.id);
  }

  static Actor Manager() {
    return {"mo", "LA-NORTH", "LA-NORTH", {Role::kManagement}, "r", "ip", false};
  }
  static Actor Blake() {
    return {"blake", "POL-N", "LA-NORTH", {Role::kBreakGlass, Role::kPractitioner},
            "r",     "ip",    false};
  }
  static Actor Pat() {
    return {"pat", "POL-N", "LA-NORTH", {Role::kPractitioner}, "r", "ip", false};
  }

  // Runs `sql` on the test's connection.
  void Exec(const std::string& sql, const std::function<void(store::sqlite::Statement&)>& bind) {
    ASSERT_TRUE(conn_
                    ->With([&](store::sqlite::Database& db) -> Status {
                      CP_ASSIGN_OR_RETURN(store::sqlite::Statement s, db.Prepare(sql));
                      bind(s);
                      return s.Run();
                    })
                    .ok())
        << sql;
  }

  // Makes `absorbed` a duplicate merged into `survivor`, as a confirmed merge leaves them:
  // the absorbed row marked merged and both records kept as snapshots.
  void Merge(const domain::ChildRecord& survivor, const domain::ChildRecord& absorbed) {
    Exec("UPDATE child SET merged_into=? WHERE id=?",
         [&](store::sqlite::Statement& s) { s.Bind(1, survivor.id).Bind(2, absorbed.id); });
    Exec(
        "INSERT INTO child_merge(id, survivor_id, absorbed_id, survivor_uin, absorbed_uin,"
        " authority, merged_by, merged_at) VALUES (1,?,?,?,?,'LA-NORTH','mo',0)",
        [&](store::sqlite::Statement& s) {
          s.Bind(1, survivor.id)
              .Bind(2, absorbed.id)
              .Bind(3, survivor.uin.str())
              .Bind(4, absorbed.uin.str());
        });
    Exec("UPDATE child_merge SET survivor_snapshot=?, absorbed_snapshot=? WHERE id=1",
         [&](store::sqlite::Statement& s) {
           s.BindBlob(1, children_->SealSnapshot(survivor, "child_merge:1:survivor"))
               .BindBlob(2, children_->SealSnapshot(absorbed, "child_merge:1:absorbed"));
         });
  }

  // A feed's superseded item about the child (migration 6), sealed as the feed store seals it.
  void FeedHistory(const domain::ChildRecord& r) {
    Exec(
        "INSERT INTO source_item_history(id, source, ref, child_id, superseded_at, sealed)"
        " VALUES (1,'SCH-1','P-17',?,0,?)",
        [&](store::sqlite::Statement& s) {
          s.Bind(1, r.id).BindBlob(2, box_.Seal("Feedhistoria Quillfeather",
                                                "source_item:SCH-1:P-17:" + std::to_string(r.id)));
        });
    // The source's own items for its reference (migration 9), sealed as the feed store seals
    // them.
    Exec(
        "INSERT INTO source_ref(source, ref, child_id, row_digest, items)"
        " VALUES ('SCH-1','P-17',?,'digest',?)",
        [&](store::sqlite::Statement& s) {
          s.Bind(1, r.id).BindBlob(
              2, box_.Seal("Feedsourceitems Quillfeather ZQ9 9ZZ", "source_ref:SCH-1:P-17"));
        });
  }

  // Every place a sealed value of `table.column` in row `row` may be bound to (the stores'
  // conventions); the row's clear columns by name.
  static std::vector<std::string> PlacesOf(const std::string& table, const std::string& column,
                                           const std::map<std::string, std::string>& row) {
    const std::string id = row.count("id") ? row.at("id") : "";
    std::string prefix = column;
    if (prefix.size() > 7 && prefix.ends_with("_sealed")) prefix.resize(prefix.size() - 7);
    std::vector<std::string> places = {table + ":" + id, table + "." + prefix + ":" + id};
    if (table == "child") places.push_back("child:" + row.at("uin"));
    if (table == "shield_document") {
      places.push_back("shield_document:" + id + ":request:" + row.at("request_id"));
    }
    if (table == "child_merge") {
      places.push_back("snapshot:child_merge:" + id + ":" +
                       (column == "survivor_snapshot" ? "survivor" : "absorbed"));
    }
    if (table == "source_item_history") {
      places.push_back("source_item:" + row.at("source") + ":" + row.at("ref") + ":" +
                       row.at("child_id"));
    }
    if (table == "source_ref")
      places.push_back("source_ref:" + row.at("source") + ":" + row.at("ref"));
    return places;
  }

  // Every text and blob value in the database file, sealed values opened; fails the test for
  // a sealed value it cannot open (a new sealed column must be added to PlacesOf, and to the
  // purge). Each value is prefixed with "table.column: " for the failure message.
  std::vector<std::string> EverythingStored() {
    std::vector<std::string> out;
    auto status = conn_->With([&](store::sqlite::Database& db) -> Status {
      CP_ASSIGN_OR_RETURN(store::sqlite::Statement tables,
                          db.Prepare("SELECT name FROM sqlite_master WHERE type='table'"
                                     " AND name NOT LIKE 'sqlite_%'"));
      std::vector<std::string> names;
      while (true) {
        CP_ASSIGN_OR_RETURN(bool row, tables.Step());
        if (!row) break;
        names.push_back(tables.ColumnText(0));
      }
      for (const std::string& table : names) {
        CP_ASSIGN_OR_RETURN(store::sqlite::Statement info,
                            db.Prepare("SELECT name FROM pragma_table_info('" + table + "')"));
        std::vector<std::string> columns;
        std::string select;
        while (true) {
          CP_ASSIGN_OR_RETURN(bool row, info.Step());
          if (!row) break;
          columns.push_back(info.ColumnText(0));
          select += std::string(select.empty() ? "" : ", ") + "typeof(\"" + columns.back() +
                    "\"), \"" + columns.back() + "\"";
        }
        CP_ASSIGN_OR_RETURN(store::sqlite::Statement s,
                            db.Prepare("SELECT " + select + " FROM \"" + table + "\""));
        while (true) {
          CP_ASSIGN_OR_RETURN(bool row, s.Step());
          if (!row) break;
          std::map<std::string, std::string> clear;
          std::vector<std::pair<std::string, std::string>> blobs;
          for (size_t c = 0; c < columns.size(); ++c) {
            const std::string& column = columns[c];
            const std::string type = s.ColumnText(static_cast<int>(2 * c));
            const int value = static_cast<int>(2 * c + 1);
            if (type == "text" || type == "integer") {
              clear[column] = s.ColumnText(value);
              out.push_back(table + "." + column + ": " + s.ColumnText(value));
            } else if (type == "blob") {
              blobs.emplace_back(column, s.ColumnBlob(value));
              out.push_back(table + "." + column + " (raw): " + s.ColumnBlob(value));
            }
          }
          for (const auto& [column, sealed] : blobs) {
            if (sealed.empty() || table == "credential") continue;
            std::optional<std::string> plain;
            for (const std::string& place : PlacesOf(table, column, clear)) {
              auto opened = box_.Open(sealed, place);
              if (opened.ok()) plain = *opened;
            }
            EXPECT_TRUE(plain.has_value())
                << "a sealed value of " << table << "." << column << " that the test cannot open";
            if (plain) out.push_back(table + "." + column + " (opened): " + *plain);
          }
        }
      }
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return out;
  }

  FakeClock clock_;
  SeededRandom random_;
  crypto::SecretBox box_;
  std::filesystem::path dir_;
  std::shared_ptr<store::sqlite::SharedConnection> conn_;
  std::unique_ptr<store::sqlite::SqliteChildStore> children_;
  std::unique_ptr<store::sqlite::SqliteOrganisationStore> orgs_;
  std::unique_ptr<store::sqlite::SqliteUserStore> users_;
  std::unique_ptr<store::sqlite::SqliteShieldStore> shields_;
  std::unique_ptr<store::sqlite::SqliteBreakGlassStore> bg_store_;
  std::unique_ptr<store::sqlite::SqliteRetentionStore> retention_store_;
  std::unique_ptr<StoreNamedPersonDirectory> named_;
  std::unique_ptr<ShieldingService> shielding_;
  std::unique_ptr<BreakGlassService> break_glass_;
  std::unique_ptr<BrokeringService> brokering_;
  audit::testing::MemoryAuditStore trail_;
  audit::testing::FakeAuditSink audit_;
  std::unique_ptr<ReportsService> reports_;
  std::unique_ptr<MaintenanceService> maintenance_;
  std::unique_ptr<RetentionService> retention_;
};

TEST_F(PurgeTest, NoPersonalDataOfThePurgedChildSurvivesAnywhereAndTheReadersStillWork) {
  const domain::ChildRecord child = Child("Zephyrine", "Quillfeather");
  const domain::ChildRecord duplicate = Child("Zephyrine", "Absorbwell");
  Merge(child, duplicate);
  FeedHistory(child);

  // Shielding: a telephone request by management with its Appendix 4 form, a document, a
  // review, an appeal.
  ShieldInput in;
  in.uin = child.uin.str();
  in.criteria = {"child_at_risk"};
  in.category = "refuge";
  in.requester = {"Havenhold Refuge", "01632 960417", "keyworkerish"};
  in.comments = "Calledbyphone";
  in.telephone = true;
  in.form.forenames = "Formforename";
  in.form.surname = "Formsurname";
  in.form.date_of_birth = "2014-03-09";
  in.form.caseworker = "Caseworkerly";
  in.form.recent_addresses = {"9 Other Road, ZQ8 8ZZ"};
  auto shield = shielding_->RequestShield(Manager(), in);
  ASSERT_TRUE(shield.ok()) << shield.status().ToString();
  ASSERT_TRUE(shielding_->FormReceived(Manager(), shield->request_id).ok());
  ASSERT_TRUE(
      shielding_
          ->AddDocument(Manager(), shield->request_id, "application/pdf", "%PDF-1.4 DOCSECRETBYTES")
          .ok());
  auto appeal = shielding_->RecordAppeal(Manager(), child.uin.str(), "Appellantia", "Groundsworth");
  ASSERT_TRUE(appeal.ok()) << appeal.status().ToString();
  ASSERT_TRUE(shielding_->DecideAppeal(Manager(), *appeal, "not_upheld", "Appealnotesy").ok());
  auto review = shielding_->RecordReview(Manager(), child.uin.str(),
                                         {{"Consultedperson"}, "continue", "Reviewnotesy"});
  ASSERT_TRUE(review.ok()) << review.status().ToString();

  // Break Glass, with an investigation note.
  ASSERT_TRUE(break_glass_->Nominate(Manager(), "blake").ok());
  ASSERT_TRUE(break_glass_
                  ->RecordApproval(Manager(), "blake",
                                   {"Chair, Northshire LSCB", "2026-06-01", "LSCB/2026/7"})
                  .ok());
  auto grant = break_glass_->Use(Blake(), child.uin.str(), "ae_attendance", "Breakreasonx",
                                 [] { return Status::Ok(); });
  ASSERT_TRUE(grant.ok()) << grant.status().ToString();
  auto investigations = break_glass_->Investigations(Manager());
  ASSERT_TRUE(investigations.ok());
  ASSERT_EQ(investigations->size(), 1u);
  ASSERT_TRUE(
      break_glass_->AddInvestigationNote(Manager(), investigations->at(0).id, "Investnotex").ok());

  // Brokering, through to the requester's reasons after a decline.
  auto brokered = brokering_->Request(Pat(), child.uin.str(), "Brokerreasonx");
  ASSERT_TRUE(brokered.ok()) << brokered.status().ToString();
  ContactInput contact;
  contact.practitioner = "Practitionerx, Northshire social care";
  ASSERT_TRUE(brokering_->RecordContact(Manager(), *brokered, contact).ok());
  ASSERT_TRUE(brokering_->Decide(Manager(), *brokered, "decline", "").ok());
  ASSERT_TRUE(brokering_->Acknowledge(Pat(), *brokered, "Declinedbecause", true).ok());

  // Before: the test's strings are really stored (the scan would find them).
  std::string before;
  for (const std::string& v : EverythingStored()) before += v + "\n";
  for (const char* secret : kPersonal) {
    EXPECT_NE(before.find(secret), std::string::npos) << "not stored before the purge: " << secret;
  }

  // The identity change archives the child today, with the restricted link.
  IdentityChangeInput change;
  change.former_uin = child.uin.str();
  change.reason = "witness_protection";
  change.given_names = "Nova";
  change.family_name = "Starling";
  auto changed = retention_->ChangeIdentity(Manager(), change);
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  ASSERT_EQ(retention_->IdentityLinks(Manager(), changed->new_uin)->size(), 1u);

  // The day before the sixth anniversary nothing is purged; on it, the child is.
  clock_.Set(At(2032, 11, 22, 10));
  ASSERT_TRUE(maintenance_->RunDailyRules().ok());
  EXPECT_EQ(children_->Get(child.id)->retention.state, domain::RecordState::kArchived);
  clock_.Set(At(2032, 11, 23, 10));
  auto summary = maintenance_->RunDailyRules();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->purged, 1u);
  EXPECT_EQ(children_->Get(child.id)->retention.state, domain::RecordState::kPurged);
  // The duplicate merged into it is the same child: purged with it.
  int64_t merged_state = -1;
  ASSERT_TRUE(conn_
                  ->With([&](store::sqlite::Database& db) -> Status {
                    CP_ASSIGN_OR_RETURN(store::sqlite::Statement s,
                                        db.Prepare("SELECT record_state FROM child WHERE id=?"));
                    s.Bind(1, duplicate.id);
                    CP_ASSIGN_OR_RETURN(bool row, s.Step());
                    if (row) merged_state = s.ColumnInt(0);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(merged_state, static_cast<int64_t>(domain::RecordState::kPurged));

  // Nothing personal is left in the database file.
  for (const std::string& value : EverythingStored()) {
    for (const char* secret : kPersonal) {
      EXPECT_EQ(value.find(secret), std::string::npos) << value;
    }
  }
  // The audit trail names the child by UIN only.
  bool uin_in_audit = false;
  for (const audit::AuditEvent& e : audit_.events()) {
    const std::string all = e.actor + e.organisation + e.action + e.target + e.outcome + e.reason +
                            e.request_id + e.client_address + e.details_json;
    for (const char* secret : kPersonal) {
      EXPECT_EQ(all.find(secret), std::string::npos) << e.action << ": " << all;
    }
    uin_in_audit = uin_in_audit || e.target == "child:" + child.uin.str();
  }
  EXPECT_TRUE(uin_in_audit);
  EXPECT_EQ(audit_.EventsWithAction("child.purge").back().target, "child:" + child.uin.str());

  // What stays: the UIN, the date of birth, ids, codes, statuses and dates.
  auto purged = children_->Get(child.id);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(purged->uin, child.uin);
  EXPECT_EQ(purged->date_of_birth, child.date_of_birth);
  auto request = shielding_->GetRequest(Manager(), shield->request_id);
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->child_uin, child.uin.str());
  EXPECT_EQ(request->status, domain::RequestStatus::kActive);
  EXPECT_TRUE(request->form.empty());
  EXPECT_TRUE(request->requester.name.empty());
  EXPECT_TRUE(shielding_->Documents(Manager(), shield->request_id)->empty());
  // The new identity is another child: untouched, but no longer linked.
  auto fresh = children_->GetByUin(*domain::Uin::Parse(changed->new_uin));
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->name.family_name, "Starling");
  EXPECT_TRUE(retention_->IdentityLinks(Manager(), changed->new_uin)->empty());

  // The readers behind the shielding desk, the Break Glass and brokering pages and the
  // reports still work on the blanked rows.
  auto log = shielding_->Log(Manager());
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_FALSE(log->empty());
  EXPECT_TRUE(shielding_->LogCsv(Manager()).ok());
  EXPECT_TRUE(shielding_->RequestsForRecord(Manager(), child.uin.str()).ok());
  auto appeals = shielding_->Appeals(Manager());
  ASSERT_TRUE(appeals.ok()) << appeals.status().ToString();
  ASSERT_EQ(appeals->size(), 1u);
  EXPECT_EQ(appeals->at(0).outcome, "not_upheld");
  EXPECT_TRUE(shielding_->Reviews(Manager(), ReviewFilter::kAllOpen).ok());
  auto investigation = break_glass_->GetInvestigation(Manager(), investigations->at(0).id);
  ASSERT_TRUE(investigation.ok()) << investigation.status().ToString();
  EXPECT_TRUE(investigation->reason_text.empty());
  auto broker = brokering_->Get(Manager(), *brokered);
  ASSERT_TRUE(broker.ok()) << broker.status().ToString();
  EXPECT_EQ(broker->status, "acknowledged");
  EXPECT_TRUE(brokering_->List(Manager()).ok());
  for (std::string_view name : kReportNames) {
    auto table = reports_->Run(Manager(), name, ReportParams{child.uin.str(), "pat", ""}, "csv");
    EXPECT_TRUE(table.ok()) << name << ": " << table.status().ToString();
  }
}

}  // namespace
}  // namespace cp::workflow
