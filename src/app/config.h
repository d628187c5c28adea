// Configuration of a ContactPoint server process, from the command line and the environment.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace cp::app {

struct ServerConfig {
  std::string data_dir;  // Holds contactpoint.db, audit.db, audit.head and keys/.
  std::string keys_dir;  // Default: <data_dir>/keys. Keep it off the database's backups.
  std::string bind_address = "127.0.0.1";
  uint16_t port = 8080;  // 0 = any free port.
  // Worker threads. Searches and record views do not park a thread while their audit entry is
  // group-committed (api/deferred_audit.h), so a few threads per core serve them best; more
  // only add contention (docs/performance.md). The spare threads keep pages responsive while
  // writes, which still wait for their commit (an fsync), and slow reports hold a thread.
  int threads = 8;
  std::string tls_cert_file;  // Both set: HTTPS only. Neither: plain HTTP, loopback only.
  std::string tls_key_file;
  std::string assets_dir;       // Default: <binary>/../share/contactpoint/assets.
  std::string access_log_file;  // Default: stderr.
  // Session timing. The defaults are the policy's (15 min idle, 2 min warning); the
  // environment variables CP_SESSION_IDLE_SECONDS and CP_SESSION_WARN_SECONDS override them
  // (the browser tests shorten them to see the warning).
  int session_idle_seconds = 15 * 60;
  int session_warn_seconds = 2 * 60;
  // Argon2id strength; tests and the demo's seeding may lower it via CP_ARGON2=test.
  bool fast_password_hashing = false;
  // Task e-mails (app/mail_relay.h): "HOST:PORT" of an SMTP relay (--smtp, or CP_SMTP_RELAY);
  // empty: no e-mail. The sender address comes from CP_MAIL_FROM.
  std::string smtp_relay;
  std::string mail_from = "noreply@contactpoint.invalid";
};

// Fills the fields that have defaults derived from others or from the environment.
Status FinishConfig(ServerConfig& config, const std::string& argv0);

}  // namespace cp::app
