// Authenticated encryption of small values at rest (XChaCha20-Poly1305 IETF, libsodium).
//
// Used for the hidden fields of shielded records and for supporting documents, so that a copy
// of the database file alone does not reveal them. The key lives in a file outside the
// database. Thread-safe: the key is immutable after construction.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace cp::crypto {

class SecretBox {
 public:
  static constexpr size_t kKeySize = 32;
  static Result<SecretBox> FromKey(std::string_view key);
  static Result<SecretBox> LoadOrCreate(const std::string& key_path);

  // Returns nonce || ciphertext || tag. `associated_data` (e.g. the record id and field name)
  // binds the ciphertext to its place, so it cannot be swapped into another row.
  std::string Seal(std::string_view plaintext, std::string_view associated_data) const;
  // InvalidArgument if the box was tampered with, or sealed under another key or place.
  Result<std::string> Open(std::string_view sealed, std::string_view associated_data) const;

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace cp::crypto
