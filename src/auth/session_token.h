// Session tokens and the session timeout policy.
//
// A session token is 32 random bytes, base64url-encoded, held only by the browser (in a
// cookie). The server stores only its SHA-256 (hex), so a copy of the session table cannot be
// used to sign in. Tokens are looked up by hash, so no secret comparison happens in
// application code.
//
// Timeouts (defaults; see SessionTimeouts):
//   - idle: a session not used for 15 minutes has expired;
//   - absolute: a session older than 12 hours has expired, however active;
//   - warning: the page warns the user 2 minutes before the session will expire.
// Each limit is reached at exactly its duration: after 14:59 idle a session is active; after
// 15:00 it has expired.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"

namespace cp::auth {

inline constexpr size_t kSessionTokenBytes = 32;

struct NewSessionToken {
  std::string token;       // base64url (no padding) of 32 random bytes: give to the client.
  std::string token_hash;  // Lower-case hex SHA-256 of `token`: store this.
};

// A new token from `random` (SecureRandom in production).
NewSessionToken MakeSessionToken(RandomSource& random);

// Lower-case hex SHA-256 of `token` (the bytes of its text form), to look a session up.
std::string HashSessionToken(std::string_view token);

enum class SessionState { kActive, kIdleExpired, kAbsoluteExpired };

// The timeout policy. Immutable; thread-safe.
class SessionTimeouts {
 public:
  static constexpr Duration kDefaultIdle = std::chrono::minutes(15);
  static constexpr Duration kDefaultAbsolute = std::chrono::hours(12);
  static constexpr Duration kDefaultWarning = std::chrono::minutes(2);

  SessionTimeouts() = default;
  // All durations must be positive and warning < idle <= absolute.
  SessionTimeouts(Duration idle, Duration absolute, Duration warning)
      : idle_(idle), absolute_(absolute), warning_(warning) {}

  // The state at `now` of a session created at `created` and last used at `last_seen`.
  // kAbsoluteExpired once now - created >= absolute (this takes precedence); otherwise
  // kIdleExpired once now - last_seen >= idle; otherwise kActive.
  SessionState Evaluate(TimePoint created, TimePoint last_seen, TimePoint now) const;

  // When the session will expire for being idle, if not used again: last_seen + idle.
  TimePoint IdleDeadline(TimePoint last_seen) const { return last_seen + idle_; }
  // When the session will expire however active: created + absolute.
  TimePoint AbsoluteDeadline(TimePoint created) const { return created + absolute_; }
  // The earlier of the two: the first instant at which Evaluate stops returning kActive.
  TimePoint ExpiresAt(TimePoint created, TimePoint last_seen) const;

  // True when the session is still active at `now` but will expire (for either reason) within
  // the warning period: ExpiresAt - warning <= now < ExpiresAt.
  bool ShouldWarn(TimePoint created, TimePoint last_seen, TimePoint now) const;

  Duration idle() const { return idle_; }
  Duration absolute() const { return absolute_; }
  Duration warning() const { return warning_; }

 private:
  Duration idle_ = kDefaultIdle;
  Duration absolute_ = kDefaultAbsolute;
  Duration warning_ = kDefaultWarning;
};

}  // namespace cp::auth
