#include "app/config.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "app/mail_relay.h"

namespace cp::app {
namespace {

Result<int> EnvSeconds(const char* name, int fallback) {
  const char* raw = std::getenv(name);
  if (raw == nullptr || *raw == '\0') return fallback;
  std::string_view text(raw);
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 86400) {
    return Status::InvalidArgument(std::string(name) + " must be a number of seconds");
  }
  return value;
}

}  // namespace

Status FinishConfig(ServerConfig& config, const std::string& argv0) {
  if (config.data_dir.empty()) return Status::InvalidArgument("--data DIR is required", "data");
  if (config.keys_dir.empty()) {
    config.keys_dir = (std::filesystem::path(config.data_dir) / "keys").string();
  }
  if (config.assets_dir.empty()) {
    std::error_code ec;
    std::filesystem::path exe = std::filesystem::canonical("/proc/self/exe", ec);
    if (ec) exe = std::filesystem::absolute(argv0);
    config.assets_dir =
        (exe.parent_path().parent_path() / "share" / "contactpoint" / "assets").string();
  }
  CP_ASSIGN_OR_RETURN(config.session_idle_seconds,
                      EnvSeconds("CP_SESSION_IDLE_SECONDS", config.session_idle_seconds));
  CP_ASSIGN_OR_RETURN(config.session_warn_seconds,
                      EnvSeconds("CP_SESSION_WARN_SECONDS", config.session_warn_seconds));
  if (config.session_warn_seconds >= config.session_idle_seconds) {
    config.session_warn_seconds = config.session_idle_seconds / 2;
  }
  const char* argon = std::getenv("CP_ARGON2");
  if (argon != nullptr && std::string_view(argon) == "test") config.fast_password_hashing = true;
  if (config.smtp_relay.empty()) {
    const char* relay = std::getenv("CP_SMTP_RELAY");
    if (relay != nullptr) config.smtp_relay = relay;
  }
  if (const char* from = std::getenv("CP_MAIL_FROM"); from != nullptr && *from != '\0') {
    config.mail_from = from;
  }
  if (!config.smtp_relay.empty()) {
    CP_RETURN_IF_ERROR(ParseSmtpEndpoint(config.smtp_relay).status());
    if (!IsSendableAddress(config.mail_from)) {
      return Status::InvalidArgument("CP_MAIL_FROM must be an e-mail address", "mail_from");
    }
  }
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return Status::InvalidArgument("--tls-cert and --tls-key go together", "tls");
  }
  return Status::Ok();
}

}  // namespace cp::app
