// The reasons a user states before opening a child's record. The chosen code and the free
// text are audited with every view.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace cp::policy {

struct AccessReason {
  std::string_view code;
  std::string_view label;
  bool needs_text;  // "Other" must be explained.
};

std::span<const AccessReason> AllAccessReasons();
std::optional<AccessReason> FindAccessReason(std::string_view code);

// OK for a known code (with text where the code needs it; text at most 500 characters).
// InvalidArgument naming "reason" or "reason_text" otherwise.
Status ValidateAccessReason(std::string_view code, std::string_view text);

}  // namespace cp::policy
