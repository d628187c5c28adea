// Internal: big-endian, length-prefixed encoding helpers for the canonical serialisations.
// Not part of the public API of cp_audit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cp::audit::internal {

inline void PutU32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xFF));
  }
}

inline void PutU64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xFF));
  }
}

// Two's complement, big-endian.
inline void PutI64(std::string* out, int64_t v) { PutU64(out, static_cast<uint64_t>(v)); }

// u32 big-endian length, then the bytes. ValidateEvent caps fields far below 4 GiB.
inline void PutBytes(std::string* out, std::string_view bytes) {
  PutU32(out, static_cast<uint32_t>(bytes.size()));
  out->append(bytes);
}

}  // namespace cp::audit::internal
