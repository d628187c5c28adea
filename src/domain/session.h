// A signed-in session. The token itself is never stored: only its SHA-256 hash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"

namespace cp::domain {

// A session in its enrolment stage may only enrol a TOTP token; everything else needs kFull.
enum class SessionStage : uint8_t { kFull = 0, kEnrolment = 1 };

struct Session {
  std::string token_hash;  // Hex SHA-256 of the cookie token; the primary key.
  int64_t user_id = 0;
  TimePoint created_at;
  TimePoint last_seen_at;
  std::string csrf_token;  // Random per session; sent back in X-CSRF-Token / form field.
  // The last time the user re-entered a TOTP code for a sensitive action (step-up).
  std::optional<TimePoint> step_up_at;
  std::string client_address;
  SessionStage stage = SessionStage::kFull;
};

}  // namespace cp::domain
