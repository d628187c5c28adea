#include "auth/totp.h"

#include <array>
#include <cstdlib>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace cp::auth {
namespace {

constexpr std::array<uint32_t, 10> kPowersOfTen = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

std::string Hotp(std::string_view key, uint64_t counter, int digits) {
  if (digits < 1 || digits > 9) std::abort();
  char message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<char>(counter & 0xff);
    counter >>= 8;
  }
  const std::string mac = crypto::HmacSha1(key, std::string_view(message, sizeof message));
  // Dynamic truncation (RFC 4226 section 5.3).
  const size_t offset = static_cast<uint8_t>(mac[mac.size() - 1]) & 0x0f;
  const uint32_t binary = (static_cast<uint32_t>(static_cast<uint8_t>(mac[offset]) & 0x7f) << 24) |
                          (static_cast<uint32_t>(static_cast<uint8_t>(mac[offset + 1])) << 16) |
                          (static_cast<uint32_t>(static_cast<uint8_t>(mac[offset + 2])) << 8) |
                          static_cast<uint32_t>(static_cast<uint8_t>(mac[offset + 3]));
  uint32_t value = binary % kPowersOfTen[static_cast<size_t>(digits)];
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out;
}

int64_t TotpStep(TimePoint t) { return FloorDiv(ToUnixSeconds(t), kTotpPeriodSeconds); }

std::string Totp(std::string_view key, TimePoint t, int digits) {
  const int64_t step = TotpStep(t);
  if (step < 0) return {};
  return Hotp(key, static_cast<uint64_t>(step), digits);
}

std::optional<std::string> NormalizeTotpCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '\t') continue;
    if (c < '0' || c > '9') return std::nullopt;
    if (out.size() == static_cast<size_t>(kTotpDigits)) return std::nullopt;
    out.push_back(c);
  }
  if (out.size() != static_cast<size_t>(kTotpDigits)) return std::nullopt;
  return out;
}

TotpCheck VerifyTotp(std::string_view key, std::string_view code, TimePoint now,
                     int64_t last_used_step) {
  TotpCheck check;
  const std::optional<std::string> normalized = NormalizeTotpCode(code);
  if (!normalized) return check;
  const int64_t current = TotpStep(now);
  // Every candidate step is computed and compared, so the time taken does not reveal which
  // step (if any) matched. The newest matching step wins.
  int64_t newest_fresh = -1;
  int64_t newest_stale = -1;
  for (int64_t step = current - kTotpWindowSteps; step <= current + kTotpWindowSteps; ++step) {
    if (step < 0) continue;
    const bool match = crypto::ConstantTimeEquals(
        Hotp(key, static_cast<uint64_t>(step), kTotpDigits), *normalized);
    if (!match) continue;
    if (step > last_used_step) {
      newest_fresh = step;
    } else {
      newest_stale = step;
    }
  }
  if (newest_fresh >= 0) {
    check.accepted = true;
    check.step = newest_fresh;
  } else if (newest_stale >= 0) {
    check.replay = true;
    check.step = newest_stale;
  }
  return check;
}

std::optional<int64_t> MatchTotpStep(std::string_view key, std::string_view code, TimePoint now) {
  const TotpCheck check = VerifyTotp(key, code, now, /*last_used_step=*/-1);
  if (!check.accepted) return std::nullopt;
  return check.step;
}

std::string NewTotpSecret(RandomSource& random) { return random.Bytes(kTotpSecretSize); }

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    const bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
                            (b >= '0' && b <= '9') || b == '-' || b == '.' || b == '_' || b == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0x0f]);
    }
  }
  return out;
}

std::string TotpProvisioningUri(std::string_view username, std::string_view secret) {
  std::string uri = "otpauth://totp/ContactPoint:";
  uri += PercentEncode(username);
  uri += "?secret=";
  uri += crypto::Base32Encode(secret);
  uri += "&issuer=ContactPoint&algorithm=SHA1&digits=";
  uri += std::to_string(kTotpDigits);
  uri += "&period=";
  uri += std::to_string(kTotpPeriodSeconds);
  return uri;
}

}  // namespace cp::auth
