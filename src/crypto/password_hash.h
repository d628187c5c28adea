// Argon2id password hashing (libsodium crypto_pwhash_str), with its parameters stored in the
// encoded hash so they can be raised later without invalidating old hashes.
// Thread-safe. Hashing is deliberately slow and memory-hard.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace cp::crypto {

struct Argon2Params {
  unsigned long long ops_limit;
  size_t mem_limit_bytes;
  // OWASP-recommended interactive strength (libsodium "moderate": 3 passes, 256 MiB) is too
  // heavy for 400,000 users on 2 cores; "interactive" (2 passes, 64 MiB) meets OWASP's Argon2id
  // minimum (19 MiB, 2 passes) with margin.
  static Argon2Params Production();
  // The lowest strength libsodium allows; for tests only.
  static Argon2Params ForTests();
};

// Returns the encoded "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string.
Result<std::string> HashPassword(std::string_view password, const Argon2Params& params);
// True iff `password` matches `encoded`. Constant-time in the comparison.
bool VerifyPassword(std::string_view password, std::string_view encoded);

}  // namespace cp::crypto
