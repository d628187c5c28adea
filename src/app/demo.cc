#include "app/demo.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>

#include "app/synthetic_children.h"
#include "crypto/encoding.h"
#include "domain/child_validation.h"
#include "identity/sign_in_service.h"

namespace cp::app {
namespace {

using domain::OrganisationType;
using domain::Role;

struct DemoOrganisation {
  const char* code;
  const char* name;
  OrganisationType type;
  const char* area;
};

constexpr DemoOrganisation kOrganisations[] = {
    {"LA-NORTHSHIRE", "Northshire County Council", OrganisationType::kLocalAuthority,
     "LA-NORTHSHIRE"},
    {"LA-EASTBOROUGH", "Eastborough City Council", OrganisationType::kLocalAuthority,
     "LA-EASTBOROUGH"},
    {"LA-WESTMERE", "Westmere Borough Council", OrganisationType::kLocalAuthority, "LA-WESTMERE"},
    {"SCH-NS-OAKFIELD", "Oakfield Primary School", OrganisationType::kSchool, "LA-NORTHSHIRE"},
    {"SCH-EB-RIVERSIDE", "Riverside Academy", OrganisationType::kSchool, "LA-EASTBOROUGH"},
    {"HLT-NS-ELMTREE", "Elm Tree Medical Practice", OrganisationType::kHealth, "LA-NORTHSHIRE"},
    {"POL-NS", "Northshire Constabulary", OrganisationType::kPolice, "LA-NORTHSHIRE"},
    {"PRB-NS", "Northshire Probation Service", OrganisationType::kProbation, "LA-NORTHSHIRE"},
    {"VOL-NS-HAVEN", "Safe Haven Women's Refuge", OrganisationType::kVoluntary, "LA-NORTHSHIRE"},
    {"NP-FAMCOURT", "Family Court Advisory Service", OrganisationType::kNationalPartner,
     "LA-WESTMERE"},
};

struct DemoUser {
  const char* username;
  const char* display_name;
  const char* organisation;
  std::initializer_list<Role> roles;
  bool enrolled;
};

const DemoUser kUsers[] = {
    {"pat.teacher", "Pat Okafor", "SCH-NS-OAKFIELD", {Role::kPractitioner}, true},
    {"sam.shielder", "Sam Whitfield", "VOL-NS-HAVEN", {Role::kShielder, Role::kPractitioner}, true},
    {"kim.keyworker", "Kim Reyes", "VOL-NS-HAVEN", {Role::kPractitioner}, true},
    {"morgan.manager", "Morgan Ellery", "LA-NORTHSHIRE", {Role::kManagement}, true},
    {"eve.manager", "Eve Castellano", "LA-EASTBOROUGH", {Role::kManagement}, true},
    {"blake.duty", "Blake Ransome", "POL-NS", {Role::kBreakGlass, Role::kPractitioner}, true},
    {"dana.dpo", "Dana Whitlock", "LA-NORTHSHIRE", {Role::kDpo}, true},
    // Reads archived records for child-protection enquiries and serious case reviews only.
    {"avery.archive", "Avery Lindqvist", "LA-NORTHSHIRE", {Role::kArchiveReader}, true},
    {"alex.admin", "Alex Brannigan", "LA-NORTHSHIRE", {Role::kAdministrator}, true},
    {"feed.oakfield", "Oakfield School Feed", "SCH-NS-OAKFIELD", {Role::kDataSource}, true},
    {"nina.newstarter", "Nina Adeyemi", "HLT-NS-ELMTREE", {Role::kPractitioner}, false},
};

std::string DemoPassword(RandomSource& random) {
  static constexpr std::string_view kAlphabet =
      "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out = "demo-";
  for (int i = 0; i < 16; ++i) out += kAlphabet[random.Uniform(kAlphabet.size())];
  return out;
}

Status WriteAccountsFile(const std::string& path, const std::vector<DemoAccount>& accounts) {
  boost::json::array out;
  for (const DemoAccount& a : accounts) {
    boost::json::array roles;
    for (const auto& r : a.roles) roles.emplace_back(r);
    out.emplace_back(boost::json::object{{"username", a.username},
                                         {"password", a.password},
                                         {"totp_secret", a.totp_secret_base32},
                                         {"roles", roles},
                                         {"organisation", a.organisation},
                                         {"display_name", a.display_name}});
  }
  std::string text = boost::json::serialize(out) + "\n";
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Unavailable("cannot write " + path);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::Unavailable("cannot write " + path);
  }
  return Status::Ok();
}

}  // namespace

Result<bool> IsSeeded(Application& app) {
  CP_ASSIGN_OR_RETURN(auto orgs, app.organisations().List());
  return !orgs.empty();
}

Result<std::vector<DemoAccount>> SeedDemo(Application& app, RandomSource& random,
                                          const Clock& clock) {
  workflow::Actor system{"system", "", "", {}, "demo-seed", "", true};
  for (const DemoOrganisation& o : kOrganisations) {
    domain::Organisation org;
    org.code = o.code;
    org.name = o.name;
    org.type = o.type;
    org.local_authority_code = o.area;
    CP_RETURN_IF_ERROR(app.accounts().CreateOrganisation(system, org).status());
  }
  Date today = Date::FromTime(clock.Now());
  std::vector<DemoAccount> accounts;
  for (const DemoUser& u : kUsers) {
    CP_ASSIGN_OR_RETURN(domain::Organisation org, app.organisations().GetByCode(u.organisation));
    domain::User user;
    user.username = u.username;
    user.display_name = u.display_name;
    user.organisation_id = org.id;
    user.email = std::string(u.username) + "@example.org.uk";
    user.roles = domain::RoleSet(u.roles);
    user.vetting.crb_check_date = today.AddYears(-1);
    user.vetting.isa_registered = true;
    user.vetting.training_completed = today.AddMonths(-11);
    user.vetting.agreement_signed = today.AddMonths(-11);
    std::string password = DemoPassword(random);
    CP_ASSIGN_OR_RETURN(workflow::NewAccount created,
                        app.accounts().CreateUser(system, user, password));
    DemoAccount account{u.username,         password,       "",
                        user.roles.Names(), u.organisation, u.display_name};
    if (u.enrolled) {
      std::string key = random.Bytes(20);
      CP_RETURN_IF_ERROR(app.users().SetTotpSecret(
          created.user.id, app.field_box().Seal(key, identity::TotpAssociatedData(created.user.id)),
          true));
      account.totp_secret_base32 = crypto::Base32Encode(key);
    }
    accounts.push_back(std::move(account));
  }
  // blake.duty (police) holds an active Break Glass right: nominated by Northshire's
  // management, its LSCB approval recorded today (fictional approver and reference).
  CP_RETURN_IF_ERROR(app.break_glass().Nominate(system, "blake.duty").status());
  CP_RETURN_IF_ERROR(app.break_glass()
                         .RecordApproval(system, "blake.duty",
                                         {"Chair, Northshire Safeguarding Children Board",
                                          today.ToString(), "NSCB-DEMO-001"})
                         .status());
  CP_RETURN_IF_ERROR(WriteAccountsFile(
      (std::filesystem::path(app.config().data_dir) / "demo-accounts.json").string(), accounts));
  return accounts;
}

SyntheticOptions DemoSyntheticOptions(Date today) {
  SyntheticOptions options;
  options.seed = 20261122;
  options.today = today;
  options.authority_codes = {"LA-NORTHSHIRE", "LA-EASTBOROUGH", "LA-WESTMERE"};
  return options;
}

Result<size_t> SeedDemoChildren(Application& app, RandomSource& random, const Clock& clock,
                                size_t synthetic) {
  CP_ASSIGN_OR_RETURN(int64_t existing, app.children().Count());
  if (existing > 0) return size_t{0};
  Date today = Date::FromTime(clock.Now());
  domain::Provenance school{"SCH-NS-OAKFIELD", clock.Now()};
  domain::Provenance council{"LA-NORTHSHIRE", clock.Now()};
  domain::Provenance gp{"HLT-NS-ELMTREE", clock.Now()};

  domain::ChildRecord amelia;
  amelia.uin = domain::Uin::Generate(random);
  amelia.name = {"Amelia", "Okafor", school};
  amelia.known_as.push_back({"Millie", "Okafor", school});
  amelia.gender = domain::Gender::kFemale;
  amelia.date_of_birth = today.AddYears(-9).AddDays(-40);
  amelia.core_provenance = school;
  amelia.address = {
      domain::AddressStatus::kCurrent, "14 Larch Avenue", "", "Northtown", "NT4 7QP", {}, council};
  amelia.carers.push_back({"Grace Okafor", "mother", "07700 900412", "", school});
  amelia.education =
      domain::EducationSetting{"Oakfield Primary School", today.AddYears(-5), school};
  amelia.gp = domain::GpPractice{"Elm Tree Medical Practice", "01632 960 114", gp};
  amelia.involvements.push_back({0,
                                 "education",
                                 "Pat Okafor (class teacher)",
                                 "Oakfield Primary School",
                                 "01632 960 201",
                                 "pat.teacher@example.org.uk",
                                 today.AddYears(-1),
                                 {},
                                 false,
                                 false,
                                 domain::SensitiveBasis::kNone,
                                 school});
  amelia.involvements.push_back({0,
                                 "school_nursing",
                                 "Hannah Reyes",
                                 "Northshire Community Health",
                                 "01632 960 330",
                                 "",
                                 today.AddMonths(-8),
                                 {},
                                 false,
                                 false,
                                 domain::SensitiveBasis::kNone,
                                 gp});
  amelia.involvements.push_back({0,
                                 "family_support",
                                 "Dev Mistry",
                                 "Northshire County Council",
                                 "01632 960 450",
                                 "dev.mistry@example.org.uk",
                                 today.AddMonths(-3),
                                 {},
                                 true,
                                 true,
                                 domain::SensitiveBasis::kNone,
                                 council});
  amelia.responsible_authority = "LA-NORTHSHIRE";

  domain::Provenance refuge{"VOL-NS-HAVEN", clock.Now()};
  domain::ChildRecord ruby;
  ruby.uin = domain::Uin::Generate(random);
  ruby.name = {"Ruby", "Stone", refuge};
  ruby.former_names.push_back({"Ruby", "Marsh", refuge});
  ruby.gender = domain::Gender::kFemale;
  ruby.date_of_birth = today.AddYears(-7).AddDays(-100);
  ruby.core_provenance = refuge;
  ruby.address = {domain::AddressStatus::kCurrent,
                  "Flat 3, 9 Willow Court",
                  "",
                  "Northtown",
                  "NT2 5RB",
                  {},
                  refuge};
  ruby.carers.push_back({"Laura Stone", "mother", "07700 900733", "", refuge});
  ruby.involvements.push_back({0,
                               "social_care",
                               "Sally Ward",
                               "Northshire County Council",
                               "01632 960 512",
                               "",
                               today.AddMonths(-2),
                               {},
                               true,
                               false,
                               domain::SensitiveBasis::kNone,
                               council});
  ruby.responsible_authority = "LA-NORTHSHIRE";
  // Shielded below through the shielding service, with a request, a log entry and a review.
  ruby.shielded = false;

  domain::ChildRecord leo = ruby;
  leo.uin = domain::Uin::Generate(random);
  leo.name = {"Leo", "Stone", refuge};
  leo.former_names = {{"Leo", "Marsh", refuge}};
  leo.gender = domain::Gender::kMale;
  leo.date_of_birth = today.AddYears(-4).AddDays(-20);
  leo.involvements.clear();

  std::vector<domain::ChildRecord> named = {amelia, ruby, leo};
  for (auto& r : named) CP_RETURN_IF_ERROR(domain::ValidateChildRecord(r, today));
  CP_RETURN_IF_ERROR(app.children().CreateBatch(named));
  // The refuge's request shields Ruby, and so (§10) her brother Leo at the same address.
  workflow::Actor seeder;
  seeder.username = "system";
  seeder.organisation_code = "VOL-NS-HAVEN";
  seeder.request_id = "demo-seed";
  seeder.system = true;
  workflow::ShieldInput shield;
  shield.uin = named[1].uin.str();
  shield.criteria = {"child_at_risk", "cohabitant_at_risk"};
  shield.category = "refuge";
  shield.requester = {"Safe Haven Women's Refuge", "01632 960 700", "refuge key worker"};
  CP_RETURN_IF_ERROR(app.shielding().RequestShield(seeder, shield).status());
  // A possible duplicate for the management team's queue (docs/duplicates.md): the GP
  // practice's record of "Rubie Stone", queued against Ruby. §11 shields it at once.
  domain::ChildRecord rubie;
  rubie.uin = domain::Uin::Generate(random);
  rubie.name = {"Rubie", "Stone", gp};
  rubie.gender = domain::Gender::kFemale;
  rubie.date_of_birth = ruby.date_of_birth;
  rubie.core_provenance = gp;
  rubie.address = {
      domain::AddressStatus::kLastKnown, "22 Mill Lane", "", "Northtown", "NT3 1AA", {}, gp};
  rubie.carers.push_back({"Laura Stone", "mother", "07700 900733", "", gp});
  rubie.gp = domain::GpPractice{"Elm Tree Surgery", "01632 960 300", gp};
  rubie.responsible_authority = "LA-NORTHSHIRE";
  CP_RETURN_IF_ERROR(domain::ValidateChildRecord(rubie, today));
  CP_RETURN_IF_ERROR(app.children().Create(rubie).status());
  CP_RETURN_IF_ERROR(app.duplicates()
                         .Propose(seeder, rubie.uin.str(), named[1].uin.str(), 9.5, gp.source)
                         .status());
  if (synthetic > 0) {
    CP_RETURN_IF_ERROR(
        LoadSyntheticChildren(app.children(), synthetic, DemoSyntheticOptions(today)));
  }
  return named.size() + 1 + synthetic;
}

}  // namespace cp::app
