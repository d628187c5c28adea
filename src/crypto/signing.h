// Ed25519 signatures (libsodium), used for the audit trail's signed checkpoints.
// Thread-safe: keys are immutable after construction.
#pragma once

#include <string>
#include <string_view>

#include "core/random.h"
#include "core/result.h"

namespace cp::crypto {

class SigningKey {
 public:
  // A fresh key pair from libsodium's CSPRNG.
  static SigningKey Generate();
  // From a 32-byte seed (deterministic; for tests).
  static Result<SigningKey> FromSeed(std::string_view seed);
  // Loads the key file at `path` (the 32-byte seed, hex), creating it with mode 0600 if it does
  // not exist. The key must live outside the database so that whoever can edit the database
  // cannot forge checkpoints.
  static Result<SigningKey> LoadOrCreate(const std::string& path);

  // 64-byte detached signature.
  std::string Sign(std::string_view message) const;
  // 32-byte public key.
  const std::string& public_key() const { return public_key_; }

 private:
  SigningKey(std::string seed, std::string public_key, std::string secret_key);
  std::string seed_;
  std::string public_key_;
  std::string secret_key_;
};

// True when `signature` is a valid signature of `message` by `public_key`.
bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature);

}  // namespace cp::crypto
