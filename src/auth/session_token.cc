#include "auth/session_token.h"

#include <algorithm>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cp::auth {

NewSessionToken MakeSessionToken(RandomSource& random) {
  NewSessionToken out;
  out.token = crypto::Base64UrlEncode(random.Bytes(kSessionTokenBytes));
  out.token_hash = HashSessionToken(out.token);
  return out;
}

std::string HashSessionToken(std::string_view token) {
  return crypto::HexEncode(crypto::Sha256(token));
}

SessionState SessionTimeouts::Evaluate(TimePoint created, TimePoint last_seen,
                                       TimePoint now) const {
  if (now - created >= absolute_) return SessionState::kAbsoluteExpired;
  if (now - last_seen >= idle_) return SessionState::kIdleExpired;
  return SessionState::kActive;
}

TimePoint SessionTimeouts::ExpiresAt(TimePoint created, TimePoint last_seen) const {
  return std::min(IdleDeadline(last_seen), AbsoluteDeadline(created));
}

bool SessionTimeouts::ShouldWarn(TimePoint created, TimePoint last_seen, TimePoint now) const {
  const TimePoint expires = ExpiresAt(created, last_seen);
  return now < expires && now >= expires - warning_;
}

}  // namespace cp::auth
