// Secret key files kept outside the database (signing seed, field-encryption key, HMAC key).
#pragma once

#include <string>

#include "core/result.h"

namespace cp::crypto {

// Reads a hex-encoded key of `size` bytes from `path`. If the file does not exist, creates it
// (mode 0600, written and fsynced before returning) with fresh random bytes. InvalidArgument if
// the file exists but does not hold a key of that size; Unavailable on I/O errors.
Result<std::string> LoadOrCreateKeyFile(const std::string& path, size_t size);

}  // namespace cp::crypto
