// contactpoint: the server and its operator commands. Run with no arguments for usage.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "app/application.h"
#include "app/cli_args.h"
#include "app/demo.h"
#include "app/feed_cli.h"
#include "audit/verifier.h"
#include "crypto/encoding.h"
#include "crypto/signing.h"
#include "store/sqlite/sqlite_audit_store.h"

namespace cp::app {
namespace {

constexpr char kUsage[] = R"(usage: contactpoint COMMAND [options]

Server:
  serve --data DIR [--port P] [--bind ADDR] [--tls-cert FILE --tls-key FILE] [--assets DIR]
        [--threads N] [--access-log FILE] [--smtp HOST:PORT]
  demo  --data DIR [--port P] [--children N]
        Seeds DIR with demo organisations and users if it is empty (writing
        DIR/demo-accounts.json), then serves it on http://127.0.0.1:P/ (default 8080).

Audit:
  audit verify --data DIR     exit 0 if the trail is intact, 1 naming the first bad entry

Retention (docs/retention.md):
  maintenance --data DIR      runs the daily rules now (archive at 18/25, a year after a
                              notified death; purge 6 years after archiving) and prints what
                              it did; `serve` runs them daily. May run while the server runs.

Organisations and users (the server must not be running on DIR; use the web UI or API then):
  org list --data DIR
  org add  --data DIR --code CODE --name NAME --type TYPE --area LA-CODE [--networks CIDRS]
  org set-networks --data DIR --code CODE --networks CIDRS
  user list --data DIR
  user add --data DIR --username U --name "Full Name" --org CODE --roles r1,r2
           [--email E] [--phone P] [--crb-date YYYY-MM-DD] [--isa] [--training-date D]
           [--agreement-date D] [--password P]
  user set-roles --data DIR --username U --roles r1,r2
  user set-vetting --data DIR --username U [--crb-date D] [--isa|--no-isa]
           [--training-date D] [--agreement-date D]
  user disable|enable|unlock|reset-token --data DIR --username U

Data-source feeds (docs/feeds.md; import may run while the server runs on DIR, and its rows
reach the server's search within a second; token needs the server stopped, like org and user):
  import --data DIR --source ORG_CODE [--report OUT.csv] [--batch N] FILE.csv
  generate --children N --out FILE.csv [--seed S]
  token issue|list --data DIR --source ORG_CODE [--label L]
  token revoke --data DIR --source ORG_CODE --id N

Types: local_authority school health police probation voluntary national_partner
Roles: practitioner shielder management break_glass dpo administrator data_source
       archive_reader
)";

int Fail(const Status& status) {
  std::cerr << "contactpoint: " << status.message();
  if (!status.field().empty()) std::cerr << " (" << status.field() << ")";
  std::cerr << "\n";
  return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

Result<uint16_t> ParsePort(const std::string& text) {
  int value = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > 65535) {
    return Status::InvalidArgument("--port must be a number from 0 to 65535", "port");
  }
  return static_cast<uint16_t>(value);
}

// Holds an exclusive lock on DIR/serve.lock for as long as the process lives, so that two
// servers, or a server and an `org`/`user`/`token` command, never run on one directory at once:
// those keep state in memory that another process's writes would not reach (the sign-in
// throttle, which `user unlock` resets; the periodic jobs and the task mailer's position).
// `import` and `maintenance` do not take it (OpenBesideServer): every store they write is
// shared safely across processes (the audit chain is continued from the stored tail under
// SQLite's write lock, docs/audit-log.md) and the server follows their writes through the
// change feed and PRAGMA data_version.
Status LockDataDir(const std::string& data_dir, bool wait) {
  std::filesystem::create_directories(data_dir);
  std::string path = (std::filesystem::path(data_dir) / "serve.lock").string();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Unavailable("cannot open " + path);
  if (::flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
    ::close(fd);
    return Status::FailedPrecondition(
        "a ContactPoint server is running on this data directory; stop it, or make the change "
        "in the web UI or API");
  }
  return Status::Ok();  // fd intentionally kept open: released at exit.
}

int WaitForSignalAndStop(Application& app) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  std::cerr << "contactpoint: stopping\n";
  Status s = app.Stop();
  if (!s.ok()) return Fail(s);
  return 0;
}

void BlockStopSignals() {
  // Blocked before any thread starts, so only sigwait in the main thread receives them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

const std::set<std::string> kServeOptions = {"data",    "port",     "bind",    "tls-cert",
                                             "tls-key", "assets",   "threads", "access-log",
                                             "keys",    "children", "smtp"};

Result<ServerConfig> ServerConfigFrom(const ParsedArgs& args, const std::string& argv0) {
  ServerConfig config;
  config.data_dir = args.Get("data");
  config.keys_dir = args.Get("keys");
  config.bind_address = args.Get("bind", "127.0.0.1");
  if (args.Has("port")) {
    CP_ASSIGN_OR_RETURN(config.port, ParsePort(args.Get("port")));
  }
  if (args.Has("threads")) {
    config.threads = std::max(1, std::atoi(args.Get("threads").c_str()));
  }
  config.tls_cert_file = args.Get("tls-cert");
  config.tls_key_file = args.Get("tls-key");
  config.assets_dir = args.Get("assets");
  config.access_log_file = args.Get("access-log");
  config.smtp_relay = args.Get("smtp");  // Task e-mails (app/mail_relay.h).
  CP_RETURN_IF_ERROR(FinishConfig(config, argv0));
  return config;
}

int Serve(const std::vector<std::string>& argv, const std::string& argv0, bool demo) {
  auto args = ParseArgs(argv, kServeOptions, {});
  if (!args.ok()) return Fail(args.status());
  auto config = ServerConfigFrom(*args, argv0);
  if (!config.ok()) return Fail(config.status());
  Status lock = LockDataDir(config->data_dir, /*wait=*/false);
  if (!lock.ok()) return Fail(lock);
  BlockStopSignals();
  SystemClock clock;
  SecureRandom random;
  auto app = Application::Open(*config, clock, random);
  if (!app.ok()) return Fail(app.status());
  if (demo) {
    auto seeded = IsSeeded(**app);
    if (!seeded.ok()) return Fail(seeded.status());
    if (!*seeded) {
      auto accounts = SeedDemo(**app, random, clock);
      if (!accounts.ok()) return Fail(accounts.status());
      std::cout << "Demo directory created in " << config->data_dir
                << " (accounts in demo-accounts.json)" << std::endl;
    }
    size_t children = 2000;
    if (args->Has("children")) {
      char* end = nullptr;
      const std::string text = args->Get("children");
      unsigned long long n = std::strtoull(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || n > 20'000'000ULL) {
        return Fail(
            Status::InvalidArgument("--children must be a number up to 20000000", "children"));
      }
      children = static_cast<size_t>(n);
    }
    auto added = SeedDemoChildren(**app, random, clock, children);
    if (!added.ok()) return Fail(added.status());
    if (*added > 0) std::cout << "Added " << *added << " demo children" << std::endl;
  }
  Status started = (*app)->Start();
  if (!started.ok()) return Fail(started);
  std::cout << "ContactPoint is serving " << (*app)->url() << std::endl;
  return WaitForSignalAndStop(**app);
}

int AuditVerify(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, {"data", "keys"}, {});
  if (!args.ok()) return Fail(args.status());
  std::string data = args->Get("data");
  if (data.empty()) return Fail(Status::InvalidArgument("--data DIR is required"));
  std::string keys = args->Get("keys", (std::filesystem::path(data) / "keys").string());
  if (!std::filesystem::exists(AuditDatabasePath(data))) {
    return Fail(Status::NotFound("no audit trail in " + data));
  }
  store::sqlite::OpenOptions options;
  options.read_only = true;
  auto store = store::sqlite::SqliteAuditStore::Open(AuditDatabasePath(data), options);
  if (!store.ok()) return Fail(store.status());
  if (!std::filesystem::exists(AuditKeyPath(keys))) {
    return Fail(Status::NotFound("no audit signing key in " + keys));
  }
  auto key = crypto::SigningKey::LoadOrCreate(AuditKeyPath(keys));
  if (!key.ok()) return Fail(key.status());
  auto report = audit::VerifyAuditTrail(**store, key->public_key(), AuditHeadPath(data));
  if (!report.ok()) {
    std::cerr << "contactpoint: " << report.status().message() << "\n";
    return 1;
  }
  std::cout << "audit trail intact: " << report->entries << " entries, " << report->checkpoints
            << " signed checkpoints, last sequence " << report->last_sequence << "\n";
  return 0;
}

// Opens the application for an operator command (no HTTP). With `lock`, holds the data-dir
// lock (LockDataDir) and so refuses while a server runs; without it (`import`, `maintenance`),
// may run beside a server or another such command (see LockDataDir for why those are safe).
Result<std::unique_ptr<Application>> OpenForCommand(const ParsedArgs& args,
                                                    const std::string& argv0, const Clock& clock,
                                                    RandomSource& random, bool lock) {
  ServerConfig config;
  config.data_dir = args.Get("data");
  config.keys_dir = args.Get("keys");
  CP_RETURN_IF_ERROR(FinishConfig(config, argv0));
  if (lock) CP_RETURN_IF_ERROR(LockDataDir(config.data_dir, /*wait=*/false));
  return Application::Open(config, clock, random);
}

Result<std::unique_ptr<Application>> OpenForAdmin(const ParsedArgs& args, const std::string& argv0,
                                                  const Clock& clock, RandomSource& random) {
  return OpenForCommand(args, argv0, clock, random, /*lock=*/true);
}

Result<std::unique_ptr<Application>> OpenBesideServer(const ParsedArgs& args,
                                                      const std::string& argv0, const Clock& clock,
                                                      RandomSource& random) {
  return OpenForCommand(args, argv0, clock, random, /*lock=*/false);
}

Result<domain::RoleSet> ParseRoles(const std::string& text) {
  domain::RoleSet roles;
  std::stringstream in(text);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (name.empty()) continue;
    auto role = domain::ParseRole(name);
    if (!role) return Status::InvalidArgument("unknown role " + name, "roles");
    roles.Add(*role);
  }
  return roles;
}

Result<std::optional<Date>> OptionalDateArg(const ParsedArgs& args, const std::string& name) {
  if (!args.Has(name)) return std::optional<Date>();
  CP_ASSIGN_OR_RETURN(Date d, Date::Parse(args.Get(name), name));
  return std::optional<Date>(d);
}

const workflow::Actor kOperator{"system", "", "", {}, "cli", "local", true};

int OrgCommand(const std::vector<std::string>& argv, const std::string& argv0) {
  auto args = ParseArgs(argv, {"data", "keys", "code", "name", "type", "area", "networks"}, {});
  if (!args.ok()) return Fail(args.status());
  if (args->positional.empty()) return Fail(Status::InvalidArgument("org needs a subcommand"));
  SystemClock clock;
  SecureRandom random;
  auto app = OpenForAdmin(*args, argv0, clock, random);
  if (!app.ok()) return Fail(app.status());
  auto& accounts = (*app)->accounts();
  const std::string& sub = args->positional[0];
  if (sub == "list") {
    auto orgs = accounts.ListOrganisations(kOperator);
    if (!orgs.ok()) return Fail(orgs.status());
    for (const auto& o : *orgs) {
      std::cout << o.code << "\t" << domain::OrganisationTypeName(o.type) << "\t"
                << o.local_authority_code << "\t" << o.name << "\t"
                << (o.allowed_networks.empty() ? "-" : o.allowed_networks) << "\n";
    }
    return 0;
  }
  if (sub == "add") {
    domain::Organisation org;
    org.code = args->Get("code");
    org.name = args->Get("name");
    auto type = domain::ParseOrganisationType(args->Get("type"));
    if (!type) return Fail(Status::InvalidArgument("unknown organisation type", "type"));
    org.type = *type;
    org.local_authority_code = args->Get("area", org.code);
    org.allowed_networks = args->Get("networks");
    auto created = accounts.CreateOrganisation(kOperator, org);
    if (!created.ok()) return Fail(created.status());
    std::cout << "created organisation " << created->code << "\n";
    return 0;
  }
  if (sub == "set-networks") {
    auto org = (*app)->organisations().GetByCode(args->Get("code"));
    if (!org.ok()) return Fail(Status::NotFound("no such organisation"));
    org->allowed_networks = args->Get("networks");
    auto updated = accounts.UpdateOrganisation(kOperator, *org);
    if (!updated.ok()) return Fail(updated.status());
    std::cout << "updated organisation " << updated->code << "\n";
    return 0;
  }
  return Fail(Status::InvalidArgument("unknown org subcommand " + sub));
}

// Runs the daily retention rules now (docs/retention.md) and prints what it did: a summary line
// and one line per archived or purged record (UINs only). Idempotent.
int MaintenanceCommand(const std::vector<std::string>& argv, const std::string& argv0) {
  auto args = ParseArgs(argv, {"data", "keys"}, {});
  if (!args.ok()) return Fail(args.status());
  if (args->Get("data").empty()) return Fail(Status::InvalidArgument("--data DIR is required"));
  SystemClock clock;
  SecureRandom random;
  auto app = OpenBesideServer(*args, argv0, clock, random);
  if (!app.ok()) return Fail(app.status());
  auto summary = (*app)->maintenance().RunDailyRules();
  if (!summary.ok()) return Fail(summary.status());
  std::cout << workflow::FormatMaintenanceSummary(*summary);
  Status stopped = (*app)->Stop();  // Flushes the audit trail.
  return stopped.ok() ? 0 : Fail(stopped);
}

int UserCommand(const std::vector<std::string>& argv, const std::string& argv0) {
  auto args = ParseArgs(argv,
                        {"data", "keys", "username", "name", "org", "roles", "email", "phone",
                         "crb-date", "training-date", "agreement-date", "password"},
                        {"isa", "no-isa"});
  if (!args.ok()) return Fail(args.status());
  if (args->positional.empty()) return Fail(Status::InvalidArgument("user needs a subcommand"));
  SystemClock clock;
  SecureRandom random;
  auto app = OpenForAdmin(*args, argv0, clock, random);
  if (!app.ok()) return Fail(app.status());
  auto& accounts = (*app)->accounts();
  const std::string& sub = args->positional[0];
  const std::string username = args->Get("username");
  if (sub == "list") {
    auto users = accounts.ListUsers(kOperator);
    if (!users.ok()) return Fail(users.status());
    for (const auto& u : *users) {
      std::string roles;
      for (const auto& r : u.roles.Names()) roles += (roles.empty() ? "" : ",") + r;
      std::cout << u.username << "\t" << roles << "\t"
                << (u.status == domain::AccountStatus::kActive ? "active" : "disabled") << "\t"
                << u.display_name << "\n";
    }
    return 0;
  }
  auto apply_vetting = [&](domain::User& user) -> Status {
    CP_ASSIGN_OR_RETURN(auto crb, OptionalDateArg(*args, "crb-date"));
    if (crb) user.vetting.crb_check_date = crb;
    CP_ASSIGN_OR_RETURN(auto training, OptionalDateArg(*args, "training-date"));
    if (training) user.vetting.training_completed = training;
    CP_ASSIGN_OR_RETURN(auto agreement, OptionalDateArg(*args, "agreement-date"));
    if (agreement) user.vetting.agreement_signed = agreement;
    if (args->Switch("isa")) user.vetting.isa_registered = true;
    if (args->Switch("no-isa")) user.vetting.isa_registered = false;
    return Status::Ok();
  };
  if (sub == "add") {
    domain::User user;
    user.username = username;
    user.display_name = args->Get("name");
    user.email = args->Get("email");
    user.phone = args->Get("phone");
    auto org = (*app)->organisations().GetByCode(args->Get("org"));
    if (!org.ok()) return Fail(Status::InvalidArgument("unknown organisation", "org"));
    user.organisation_id = org->id;
    auto roles = ParseRoles(args->Get("roles"));
    if (!roles.ok()) return Fail(roles.status());
    user.roles = *roles;
    Status st = apply_vetting(user);
    if (!st.ok()) return Fail(st);
    std::optional<std::string> password;
    if (args->Has("password")) password = args->Get("password");
    auto created = accounts.CreateUser(kOperator, user, password);
    if (!created.ok()) return Fail(created.status());
    std::cout << "created user " << created->user.username << "\n";
    if (!password) std::cout << "one-time password: " << created->initial_password << "\n";
    std::cout << "The user enrols their authenticator app at first sign-in.\n";
    return 0;
  }
  auto user = accounts.GetUser(kOperator, username);
  if (!user.ok()) return Fail(Status::NotFound("no such user"));
  Status st;
  if (sub == "set-roles") {
    auto roles = ParseRoles(args->Get("roles"));
    if (!roles.ok()) return Fail(roles.status());
    user->roles = *roles;
    st = accounts.UpdateUser(kOperator, *user).status();
  } else if (sub == "set-vetting") {
    st = apply_vetting(*user);
    if (st.ok()) st = accounts.UpdateUser(kOperator, *user).status();
  } else if (sub == "disable" || sub == "enable") {
    user->status =
        sub == "disable" ? domain::AccountStatus::kDisabled : domain::AccountStatus::kActive;
    st = accounts.UpdateUser(kOperator, *user).status();
  } else if (sub == "unlock") {
    st = accounts.Unlock(kOperator, username);
  } else if (sub == "reset-token") {
    st = accounts.ResetToken(kOperator, username);
  } else {
    return Fail(Status::InvalidArgument("unknown user subcommand " + sub));
  }
  if (!st.ok()) return Fail(st);
  std::cout << "updated user " << username << "\n";
  return 0;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "serve") return Serve(rest, argv[0], false);
  if (command == "demo") return Serve(rest, argv[0], true);
  if (command == "audit" && !rest.empty() && rest[0] == "verify") {
    return AuditVerify(std::vector<std::string>(rest.begin() + 1, rest.end()));
  }
  if (command == "org") return OrgCommand(rest, argv[0]);
  if (command == "user") return UserCommand(rest, argv[0]);
  if (command == "maintenance") return MaintenanceCommand(rest, argv[0]);
  if (command == "import" || command == "token") {
    const std::string argv0 = argv[0];
    const bool beside_server = command == "import";
    OpenForAdminFn open = [&argv0, beside_server](const ParsedArgs& parsed, const Clock& clock,
                                                  RandomSource& random) {
      return beside_server ? OpenBesideServer(parsed, argv0, clock, random)
                           : OpenForAdmin(parsed, argv0, clock, random);
    };
    Status done = command == "import" ? ImportCommand(rest, open) : TokenCommand(rest, open);
    return done.ok() ? 0 : Fail(done);
  }
  if (command == "generate") {
    Status done = GenerateCommand(rest);
    return done.ok() ? 0 : Fail(done);
  }
  std::cerr << kUsage;
  return 2;
}

}  // namespace
}  // namespace cp::app

int main(int argc, char** argv) { return cp::app::Main(argc, argv); }
