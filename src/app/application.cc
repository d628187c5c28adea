#include "app/application.h"

#include <sys/stat.h>

#include <filesystem>

#include "api/break_glass_api.h"
#include "api/directory_api.h"
#include "api/duplicate_api.h"
#include "api/feed_api.h"
#include "api/json_api.h"
#include "api/reports_api.h"
#include "api/retention_api.h"
#include "api/shielding_api.h"
#include "app/task_mail_sources.h"
#include "crypto/key_file.h"
#include "http/static_files.h"
#include "linkage/fellegi_sunter_matcher.h"
#include "web/duplicate_ui.h"
#include "web/reports_web.h"
#include "web/retention_ui.h"
#include "web/web_ui.h"

namespace cp::app {

std::string MainDatabasePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "contactpoint.db").string();
}
std::string AuditDatabasePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "audit.db").string();
}
std::string AuditHeadPath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "audit.head").string();
}
std::string AuditKeyPath(const std::string& keys_dir) {
  return (std::filesystem::path(keys_dir) / "audit-signing.key").string();
}

namespace {

Status EnsurePrivateDirectory(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::Unavailable("cannot create directory " + path);
  ::chmod(path.c_str(), 0700);
  return Status::Ok();
}

}  // namespace

Application::Application(ServerConfig config, const Clock& clock, RandomSource& random)
    : config_(std::move(config)),
      clock_(clock),
      random_(random),
      argon2_(config_.fast_password_hashing ? crypto::Argon2Params::ForTests()
                                            : crypto::Argon2Params::Production()) {}

Application::~Application() { (void)Stop(); }

Result<std::unique_ptr<Application>> Application::Open(ServerConfig config, const Clock& clock,
                                                       RandomSource& random) {
  std::unique_ptr<Application> app(new Application(std::move(config), clock, random));
  CP_RETURN_IF_ERROR(app->Build());
  return app;
}

Status Application::Build() {
  CP_RETURN_IF_ERROR(EnsurePrivateDirectory(config_.data_dir));
  CP_RETURN_IF_ERROR(EnsurePrivateDirectory(config_.keys_dir));
  CP_ASSIGN_OR_RETURN(main_db_,
                      store::sqlite::OpenMainDatabase(MainDatabasePath(config_.data_dir)));
  orgs_ = std::make_unique<store::sqlite::SqliteOrganisationStore>(main_db_);
  users_ = std::make_unique<store::sqlite::SqliteUserStore>(main_db_);
  sessions_ = std::make_unique<store::sqlite::SqliteSessionStore>(main_db_);

  store::sqlite::OpenOptions audit_options;
  audit_options.busy_timeout = std::chrono::milliseconds(2000);
  CP_ASSIGN_OR_RETURN(audit_store_, store::sqlite::SqliteAuditStore::Open(
                                        AuditDatabasePath(config_.data_dir), audit_options));
  CP_ASSIGN_OR_RETURN(crypto::SigningKey signing_key,
                      crypto::SigningKey::LoadOrCreate(AuditKeyPath(config_.keys_dir)));
  audit::AuditLogOptions log_options;
  log_options.head_path = AuditHeadPath(config_.data_dir);
  CP_ASSIGN_OR_RETURN(audit_log_, audit::AuditLog::Open(*audit_store_, std::move(signing_key),
                                                        clock_, log_options));
  CP_ASSIGN_OR_RETURN(crypto::SecretBox box,
                      crypto::SecretBox::LoadOrCreate(
                          (std::filesystem::path(config_.keys_dir) / "field.key").string()));
  field_box_ = std::make_unique<crypto::SecretBox>(std::move(box));

  auto key_path = [&](const char* name) {
    return (std::filesystem::path(config_.keys_dir) / name).string();
  };
  CP_ASSIGN_OR_RETURN(std::string address_key,
                      crypto::LoadOrCreateKeyFile(key_path("address.key"), 32));
  CP_ASSIGN_OR_RETURN(std::string search_audit_key,
                      crypto::LoadOrCreateKeyFile(key_path("search-audit.key"), 32));
  children_ = std::make_unique<store::sqlite::SqliteChildStore>(main_db_, *field_box_, address_key,
                                                                &clock_);
  directory_index_ = std::make_unique<workflow::DirectoryIndex>(*children_);
  // Break Glass and brokering (docs/break-glass.md). The directory asks the Break Glass
  // service for the viewer's live grant before every view, and ends grants on leaving a record.
  break_glass_store_ =
      std::make_unique<store::sqlite::SqliteBreakGlassStore>(main_db_, *field_box_);
  break_glass_ = std::make_unique<workflow::BreakGlassService>(
      *children_, *break_glass_store_, *users_, *orgs_, *audit_log_, clock_);
  brokering_ = std::make_unique<workflow::BrokeringService>(*children_, *break_glass_store_,
                                                            *users_, *audit_log_, clock_);
  directory_ = std::make_unique<workflow::DirectoryService>(
      *children_, *directory_index_, *audit_log_, search_audit_key, break_glass_.get());
  // Shielding: its tables share the main database, so a shield and the record's flag commit
  // together. Needs the user stores (named persons) and the audit log, made below.
  shield_store_ = std::make_unique<store::sqlite::SqliteShieldStore>(main_db_, *field_box_, clock_);

  throttle_ = std::make_unique<auth::LoginThrottle>(clock_);
  identity::SignInConfig sign_in_config;
  sign_in_config.argon2 = argon2_;
  sign_in_ =
      std::make_unique<identity::SignInService>(*users_, *orgs_, *sessions_, *audit_log_, clock_,
                                                random_, *field_box_, *throttle_, sign_in_config);
  auth::SessionTimeouts timeouts(std::chrono::seconds(config_.session_idle_seconds),
                                 auth::SessionTimeouts::kDefaultAbsolute,
                                 std::chrono::seconds(config_.session_warn_seconds));
  sessions_service_ = std::make_unique<identity::SessionService>(
      *users_, *orgs_, *sessions_, *audit_log_, clock_, timeouts,
      std::min<Duration>(std::chrono::seconds(15),
                         std::chrono::seconds(config_.session_idle_seconds / 4 + 1)));
  // Sessions, users and organisations share main_db_, so its change stamp covers all three.
  sessions_service_->CachePrincipals();
  accounts_ = std::make_unique<workflow::AccountAdmin>(*users_, *orgs_, *sessions_, *audit_log_,
                                                       *throttle_, random_, argon2_);
  gate_ = std::make_unique<api::Gate>(*sessions_service_, *audit_log_);
  named_persons_ = std::make_unique<workflow::StoreNamedPersonDirectory>(*users_, *orgs_);
  shielding_ = std::make_unique<workflow::ShieldingService>(*children_, *shield_store_,
                                                            *named_persons_, *audit_log_, clock_);
  shielding_maintenance_ = std::make_unique<workflow::ShieldingMaintenance>(*shielding_, clock_);
  if (!config_.smtp_relay.empty()) {  // Task e-mails: fixed words, never child data.
    CP_ASSIGN_OR_RETURN(SmtpEndpoint relay, ParseSmtpEndpoint(config_.smtp_relay));
    notice_feed_ = std::make_unique<SqliteNoticeFeed>(main_db_);
    mail_recipients_ = std::make_unique<UserRecipientDirectory>(*users_, *orgs_);
    mail_relay_ = std::make_unique<SmtpMailRelay>(relay, config_.mail_from);
    task_mailer_ = std::make_unique<TaskMailer>(*notice_feed_, *mail_recipients_, *mail_relay_);
    task_mail_loop_ = std::make_unique<TaskMailLoop>(*task_mailer_, std::chrono::seconds(30));
  }
  // Retention: archive, purge, identity changes (docs/retention.md).
  retention_store_ =
      std::make_unique<store::sqlite::SqliteRetentionStore>(main_db_, *children_, &clock_);
  maintenance_ =
      std::make_unique<workflow::MaintenanceService>(*retention_store_, *audit_log_, clock_);
  retention_maintenance_ = std::make_unique<workflow::RetentionMaintenance>(*maintenance_);
  retention_ = std::make_unique<workflow::RetentionService>(
      *children_, *retention_store_, shielding_.get(), *audit_log_, clock_, random_);
  // Possible duplicates and merges (docs/duplicates.md): a merge is one transaction across the
  // child, shield and duplicate tables of the main database.
  duplicate_store_ =
      std::make_unique<store::sqlite::SqliteDuplicateStore>(main_db_, *children_, *shield_store_);
  duplicates_ = std::make_unique<workflow::DuplicateService>(
      *children_, *shield_store_, *duplicate_store_, *shielding_, *audit_log_, clock_);
  // The purge blanks these stores' details about the child in its own transaction.
  retention_store_->AddPurgeParticipant(*shield_store_);
  retention_store_->AddPurgeParticipant(*break_glass_store_);
  // Feeds: a batch, its records, references and shields commit in one transaction on the main
  // database. The matcher's population is loaded on the first import, not at start.
  feed_store_ = std::make_unique<store::sqlite::SqliteFeedStore>(
      main_db_, *children_, *shield_store_, *field_box_, clock_);
  duplicates_->UseSourceItems(*feed_store_);  // Unmerges choose from per-source items.
  CP_ASSIGN_OR_RETURN(std::string feed_digest_key,
                      crypto::LoadOrCreateKeyFile(key_path("feed-digest.key"), 32));
  feed_importer_ = std::make_unique<workflow::FeedImporter>(
      *children_, *feed_store_, *shielding_,
      [] { return std::make_unique<linkage::FellegiSunterMatcher>(); }, *audit_log_, clock_,
      random_, feed_digest_key);
  feed_tokens_ =
      std::make_unique<workflow::FeedTokens>(*feed_store_, *orgs_, *audit_log_, clock_, random_);
  // Subject access and reports: they read the audit trail (accesses, the trawling monitor).
  dsar_store_ = std::make_unique<store::sqlite::SqliteDsarStore>(main_db_);
  disclosure_ = std::make_unique<workflow::DisclosureService>(*children_, *dsar_store_, *orgs_,
                                                              *audit_store_, *audit_log_, clock_);
  reports_ = std::make_unique<workflow::ReportsService>(*shielding_, *break_glass_, *brokering_,
                                                        *children_, *users_, *orgs_, *audit_store_,
                                                        *audit_log_, clock_);
  return RegisterRoutes();
}

Status Application::RegisterRoutes() {
  router_ = std::make_shared<http::Router>();
  CP_RETURN_IF_ERROR(
      router_->Get("/healthz", [](const http::Request&) { return http::Response::Text("ok\n"); }));
  auto assets = std::make_shared<http::StaticFiles>(config_.assets_dir, "path");
  CP_RETURN_IF_ERROR(router_->Add("GET", "/assets/{path...}", assets));
  CP_RETURN_IF_ERROR(api::RegisterJsonApi(
      *router_, api::JsonApiDeps{*gate_, *sign_in_, *accounts_, *orgs_, clock_}));
  CP_RETURN_IF_ERROR(
      api::RegisterDirectoryApi(*router_, api::DirectoryApiDeps{*gate_, *directory_}));
  CP_RETURN_IF_ERROR(api::RegisterBreakGlassApi(
      *router_, api::BreakGlassApiDeps{*gate_, *sign_in_, *break_glass_, *brokering_}));
  CP_RETURN_IF_ERROR(
      api::RegisterShieldingApi(*router_, api::ShieldingApiDeps{*gate_, *shielding_}));
  CP_RETURN_IF_ERROR(
      api::RegisterRetentionApi(*router_, api::RetentionApiDeps{*gate_, *retention_}));
  CP_RETURN_IF_ERROR(web::RegisterRetentionUi(
      *router_, web::RetentionUiDeps{*gate_, *retention_, config_.session_idle_seconds,
                                     config_.session_warn_seconds, break_glass_.get()}));
  CP_RETURN_IF_ERROR(
      api::RegisterDuplicateApi(*router_, api::DuplicateApiDeps{*gate_, *duplicates_}));
  CP_RETURN_IF_ERROR(web::RegisterDuplicateUi(
      *router_, web::DuplicateUiDeps{*gate_, *duplicates_, config_.session_idle_seconds,
                                     config_.session_warn_seconds, break_glass_.get()}));
  CP_RETURN_IF_ERROR(
      api::RegisterFeedApi(*router_, api::FeedApiDeps{*feed_tokens_, *feed_importer_}));
  CP_RETURN_IF_ERROR(
      api::RegisterReportsApi(*router_, api::ReportsApiDeps{*gate_, *disclosure_, *reports_}));
  CP_RETURN_IF_ERROR(web::RegisterReportsWebUi(
      *router_, web::ReportsWebDeps{*gate_, *disclosure_, *reports_, config_.session_idle_seconds,
                                    config_.session_warn_seconds}));
  CP_RETURN_IF_ERROR(web::RegisterWebUi(
      *router_,
      web::WebUiDeps{*gate_, *sign_in_, *accounts_, *orgs_, *directory_, *shielding_, clock_,
                     random_, config_.session_idle_seconds, config_.session_warn_seconds,
                     break_glass_.get(), brokering_.get()}));
  return Status::Ok();
}

Status Application::Start() {
  // The index is rebuilt from the store at every start, then kept in step with every write
  // (this process's or another's) by polling the store's change feed.
  CP_RETURN_IF_ERROR(directory_index_->Build());
  directory_index_->Start();
  if (task_mailer_) {
    CP_RETURN_IF_ERROR(task_mailer_->Start());
    task_mail_loop_->Start();
  }
  shielding_maintenance_->Start();  // Lapses late telephone requests (hourly).
  retention_maintenance_->Start();  // Archives and purges (daily).
  http::ServerOptions options;
  options.body_limit = 6 * 1024 * 1024;  // Shielding documents: up to 5 MiB each.
  options.bind_address = config_.bind_address;
  options.port = config_.port;
  options.threads = config_.threads;
  options.tls_cert_file = config_.tls_cert_file;
  options.tls_key_file = config_.tls_key_file;
  if (!config_.access_log_file.empty()) {
    CP_ASSIGN_OR_RETURN(auto logger, http::FileLogger::Open(config_.access_log_file));
    options.access_log = std::move(logger);
  } else {
    options.access_log = std::make_shared<http::StderrLogger>();
  }
  server_ = std::make_unique<http::Server>(options, web::WithHtmlErrors(router_));
  return server_->Start();
}

Status Application::Stop() {
  Status result;
  if (server_) {
    result = server_->Stop();
    server_.reset();
  }
  if (directory_index_) directory_index_->Stop();
  if (shielding_maintenance_) shielding_maintenance_->Stop();
  if (task_mail_loop_) task_mail_loop_->Stop();
  if (retention_maintenance_) retention_maintenance_->Stop();
  if (audit_log_) {
    Status s = audit_log_->Shutdown();
    if (result.ok()) result = s;
  }
  return result;
}

uint16_t Application::port() const { return server_ ? server_->port() : 0; }

std::string Application::url() const {
  std::string scheme = config_.tls_cert_file.empty() ? "http" : "https";
  return scheme + "://" + config_.bind_address + ":" + std::to_string(port()) + "/";
}

}  // namespace cp::app
