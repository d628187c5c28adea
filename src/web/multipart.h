// multipart/form-data bodies (RFC 7578), for the few pages that upload a file.
//
// Contract: ParseMultipart splits `body` on the boundary named in `content_type` and returns
// the parts in order, each with its form field name, the file name and Content-Type if the
// browser sent them, and its bytes unchanged (binary-safe; no transfer decoding: browsers
// send none). Malformed input (no or bad boundary, missing terminator, a part without a
// Content-Disposition name, more than `max_parts` parts) is InvalidArgument with field
// "form". Pure; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace cp::web {

struct MultipartPart {
  std::string name;          // The form field's name.
  std::string filename;      // Empty unless the part is a file.
  std::string content_type;  // As sent; empty if absent.
  std::string data;
};

// True for "multipart/form-data" (any parameters, any case).
bool IsMultipartContentType(std::string_view content_type);

Result<std::vector<MultipartPart>> ParseMultipart(std::string_view content_type,
                                                  std::string_view body, size_t max_parts = 16);

// The first part called `name`, or nullptr.
const MultipartPart* FindPart(const std::vector<MultipartPart>& parts, std::string_view name);

}  // namespace cp::web
