#include "crypto/password_hash.h"

#include <sodium.h>

namespace cp::crypto {

Argon2Params Argon2Params::Production() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

Argon2Params Argon2Params::ForTests() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<std::string> HashPassword(std::string_view password, const Argon2Params& params) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.ops_limit,
                            params.mem_limit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Unavailable("not enough memory to hash the password");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  std::string stored(encoded);  // Needs a NUL terminator.
  if (stored.rfind("$argon2id$", 0) != 0) return false;
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

}  // namespace cp::crypto
