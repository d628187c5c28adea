// One-time passwords for two-factor sign-in: HOTP (RFC 4226) and TOTP (RFC 6238).
//
// ContactPoint uses HMAC-SHA-1, 6-digit codes and a 30-second time step, the settings every
// common authenticator app supports. A code is accepted for the current step and one step
// either side (to allow for clock drift and typing time), and at most once per account: the
// caller stores the step of the last accepted code and passes it back to VerifyTotp, which
// reports a code whose step is not newer as a replay.
//
// Keys are the raw secret bytes (not base32). All functions are pure and thread-safe except
// where they take a RandomSource, whose own thread-safety rules apply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/random.h"

namespace cp::auth {

inline constexpr int kTotpDigits = 6;
inline constexpr int64_t kTotpPeriodSeconds = 30;
// Steps accepted either side of the current one.
inline constexpr int64_t kTotpWindowSteps = 1;
// Bytes of a new TOTP secret (160 bits, the HMAC-SHA-1 block-aligned size RFC 4226 recommends).
inline constexpr size_t kTotpSecretSize = 20;

// The HOTP value of `key` at `counter`, as exactly `digits` decimal digits (zero-padded).
// `digits` must be in [1, 9]; other values are a programming error and abort.
std::string Hotp(std::string_view key, uint64_t counter, int digits = kTotpDigits);

// The TOTP time step containing `t`: floor(unix_seconds / 30). Negative before 1970.
int64_t TotpStep(TimePoint t);

// The TOTP value of `key` at time `t` (HOTP of TotpStep(t)). `digits` as for Hotp. Instants
// before 1970 have no TOTP value; returns an empty string for them.
std::string Totp(std::string_view key, TimePoint t, int digits = kTotpDigits);

// Normalises a code as a user typed or pasted it: removes spaces and tabs anywhere
// ("123 456" -> "123456"). Returns nullopt unless the result is exactly 6 ASCII digits.
std::optional<std::string> NormalizeTotpCode(std::string_view code);

// The time step, within one step of `now`, whose 6-digit TOTP value equals `code` (after
// NormalizeTotpCode), or nullopt. Compares in constant time. Does not check for replays;
// prefer VerifyTotp.
std::optional<int64_t> MatchTotpStep(std::string_view key, std::string_view code, TimePoint now);

struct TotpCheck {
  // True iff the code is valid now and newer than the last accepted one. The caller must then
  // store `step` as the account's last-used step before reporting success.
  bool accepted = false;
  // The matched time step when `accepted` or `replay`; otherwise -1.
  int64_t step = -1;
  // True when the code is valid for a step at or before `last_used_step`: it (or a later
  // code) was already used. Not accepted.
  bool replay = false;
};

// Checks `code` against `key` at `now`. `last_used_step` is the step of the account's last
// accepted code (pass -1 if none). Compares in constant time.
TotpCheck VerifyTotp(std::string_view key, std::string_view code, TimePoint now,
                     int64_t last_used_step);

// A new random TOTP secret of kTotpSecretSize raw bytes. Pass SecureRandom in production.
std::string NewTotpSecret(RandomSource& random);

// The otpauth:// URI authenticator apps read from a QR code:
//   otpauth://totp/ContactPoint:{username}?secret={BASE32}&issuer=ContactPoint
//       &algorithm=SHA1&digits=6&period=30
// `secret` is the raw key; `username` is percent-encoded (RFC 3986 unreserved characters are
// kept, every other byte becomes %XX).
std::string TotpProvisioningUri(std::string_view username, std::string_view secret);

// Percent-encodes every byte except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string PercentEncode(std::string_view text);

}  // namespace cp::auth
