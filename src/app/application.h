// Application: the one place that wires concrete implementations together (SQLite stores, the
// audit log, identity services, workflows, the JSON API, the web UI and the HTTP server).
//
// Files under the data directory:
//   contactpoint.db   the main SQLite database (WAL)
//   audit.db          the audit trail (its own SQLite database, group-committed)
//   audit.head        the latest signed checkpoint, outside both databases
//   keys/audit-signing.key   Ed25519 seed for audit checkpoints (0600)
//   keys/field.key           XChaCha20-Poly1305 key for secrets at rest: TOTP keys and
//                            every child record's hidden items (0600)
//   keys/address.key         HMAC key of the co-residence address hash (0600)
//   keys/search-audit.key    HMAC key for search criteria in the audit trail (0600)
// Not thread-safe to Open/Start/Stop concurrently; the running server is.
#pragma once

#include <memory>
#include <string>

#include "api/gate.h"
#include "app/config.h"
#include "app/mail_relay.h"
#include "audit/audit_log.h"
#include "auth/throttle.h"
#include "core/clock.h"
#include "core/random.h"
#include "crypto/password_hash.h"
#include "crypto/secret_box.h"
#include "http/router.h"
#include "http/server.h"
#include "identity/session_service.h"
#include "identity/sign_in_service.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_audit_store.h"
#include "store/sqlite/sqlite_break_glass_store.h"
#include "store/sqlite/sqlite_child_store.h"
#include "store/sqlite/sqlite_dsar_store.h"
#include "store/sqlite/sqlite_duplicate_store.h"
#include "store/sqlite/sqlite_feed_store.h"
#include "store/sqlite/sqlite_organisation_store.h"
#include "store/sqlite/sqlite_retention_store.h"
#include "store/sqlite/sqlite_session_store.h"
#include "store/sqlite/sqlite_shield_store.h"
#include "store/sqlite/sqlite_user_store.h"
#include "workflow/account_admin.h"
#include "workflow/break_glass_service.h"
#include "workflow/brokering_service.h"
#include "workflow/directory_index.h"
#include "workflow/directory_service.h"
#include "workflow/disclosure_service.h"
#include "workflow/duplicate_service.h"
#include "workflow/feed_import.h"
#include "workflow/feed_tokens.h"
#include "workflow/maintenance_service.h"
#include "workflow/reports_service.h"
#include "workflow/retention_service.h"
#include "workflow/shielding_service.h"

namespace cp::app {

class Application {
 public:
  // Opens (creating if needed) the data directory, databases and keys, and builds the
  // services. Does not listen yet. `clock` and `random` are owned by the caller and must
  // outlive the Application.
  static Result<std::unique_ptr<Application>> Open(ServerConfig config, const Clock& clock,
                                                   RandomSource& random);
  ~Application();

  // Starts serving HTTP(S).
  Status Start();
  // Stops serving and flushes the audit trail.
  Status Stop();
  uint16_t port() const;
  std::string url() const;

  const ServerConfig& config() const { return config_; }
  workflow::AccountAdmin& accounts() { return *accounts_; }
  store::OrganisationStore& organisations() { return *orgs_; }
  store::UserStore& users() { return *users_; }
  store::ChildStore& children() { return *children_; }
  workflow::DirectoryIndex& directory_index() { return *directory_index_; }
  workflow::BreakGlassService& break_glass() { return *break_glass_; }
  workflow::ShieldingService& shielding() { return *shielding_; }
  workflow::MaintenanceService& maintenance() { return *maintenance_; }
  workflow::RetentionService& retention() { return *retention_; }
  workflow::DuplicateService& duplicates() { return *duplicates_; }
  workflow::FeedImporter& feed_importer() { return *feed_importer_; }
  workflow::FeedTokens& feed_tokens() { return *feed_tokens_; }
  store::FeedStore& feeds() { return *feed_store_; }
  audit::AuditSink& audit() { return *audit_log_; }
  const crypto::SecretBox& field_box() const { return *field_box_; }
  crypto::Argon2Params argon2() const { return argon2_; }

 private:
  Application(ServerConfig config, const Clock& clock, RandomSource& random);
  Status Build();
  Status RegisterRoutes();

  ServerConfig config_;
  const Clock& clock_;
  RandomSource& random_;
  crypto::Argon2Params argon2_;

  std::shared_ptr<store::sqlite::SharedConnection> main_db_;
  std::unique_ptr<store::sqlite::SqliteOrganisationStore> orgs_;
  std::unique_ptr<store::sqlite::SqliteUserStore> users_;
  std::unique_ptr<store::sqlite::SqliteSessionStore> sessions_;
  std::unique_ptr<store::sqlite::SqliteChildStore> children_;
  std::unique_ptr<store::sqlite::SqliteAuditStore> audit_store_;
  std::unique_ptr<audit::AuditLog> audit_log_;
  std::unique_ptr<crypto::SecretBox> field_box_;
  std::unique_ptr<auth::LoginThrottle> throttle_;
  std::unique_ptr<identity::SignInService> sign_in_;
  std::unique_ptr<identity::SessionService> sessions_service_;
  std::unique_ptr<workflow::AccountAdmin> accounts_;
  std::unique_ptr<workflow::DirectoryIndex> directory_index_;
  // Before directory_, which holds a pointer to break_glass_ (destroyed after it).
  std::unique_ptr<store::sqlite::SqliteBreakGlassStore> break_glass_store_;
  std::unique_ptr<workflow::BreakGlassService> break_glass_;
  std::unique_ptr<workflow::BrokeringService> brokering_;
  std::unique_ptr<workflow::DirectoryService> directory_;
  std::unique_ptr<store::sqlite::SqliteShieldStore> shield_store_;
  std::unique_ptr<workflow::StoreNamedPersonDirectory> named_persons_;
  std::unique_ptr<workflow::ShieldingService> shielding_;
  std::unique_ptr<workflow::ShieldingMaintenance> shielding_maintenance_;
  // Task e-mails (mail_relay.h), only when config_.smtp_relay is set.
  std::unique_ptr<NoticeFeed> notice_feed_;
  std::unique_ptr<RecipientDirectory> mail_recipients_;
  std::unique_ptr<MailRelay> mail_relay_;
  std::unique_ptr<TaskMailer> task_mailer_;
  std::unique_ptr<TaskMailLoop> task_mail_loop_;
  // Retention (docs/retention.md): the lifecycle store, the daily job and its thread.
  std::unique_ptr<store::sqlite::SqliteRetentionStore> retention_store_;
  std::unique_ptr<workflow::MaintenanceService> maintenance_;
  std::unique_ptr<workflow::RetentionMaintenance> retention_maintenance_;
  std::unique_ptr<workflow::RetentionService> retention_;
  std::unique_ptr<store::sqlite::SqliteDuplicateStore> duplicate_store_;
  std::unique_ptr<workflow::DuplicateService> duplicates_;
  // Feeds (docs/feeds.md); after the stores and services they use.
  std::unique_ptr<store::sqlite::SqliteFeedStore> feed_store_;
  std::unique_ptr<workflow::FeedImporter> feed_importer_;
  std::unique_ptr<workflow::FeedTokens> feed_tokens_;
  // Subject access and management reports (docs/disclosure-and-reports.md).
  std::unique_ptr<store::sqlite::SqliteDsarStore> dsar_store_;
  std::unique_ptr<workflow::DisclosureService> disclosure_;
  std::unique_ptr<workflow::ReportsService> reports_;
  std::unique_ptr<api::Gate> gate_;
  std::shared_ptr<http::Router> router_;
  std::unique_ptr<http::Server> server_;
};

// Paths inside a data directory.
std::string MainDatabasePath(const std::string& data_dir);
std::string AuditDatabasePath(const std::string& data_dir);
std::string AuditHeadPath(const std::string& data_dir);
std::string AuditKeyPath(const std::string& keys_dir);

}  // namespace cp::app
