// GrantLookup: how DirectoryService learns about Break Glass grants without depending on the
// Break Glass workflow. Implemented by BreakGlassService.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "workflow/actor.h"

namespace cp::workflow {

class GrantLookup {
 public:
  virtual ~GrantLookup() = default;
  // The id of `actor`'s live grant on the child `child_id`, or 0. A grant counts only while
  // its holder still holds an active right (a revocation applies on the next request).
  // Unavailable when the store cannot be read: callers fail closed.
  virtual Result<int64_t> LiveGrantFor(const Actor& actor, int64_t child_id) = 0;
  // "Leaving the record": ends `actor`'s live grants on every record but `child_id` (0: all),
  // each audited first ("break_glass.end", with `reason`).
  virtual Status EndGrantsExcept(const Actor& actor, int64_t child_id, std::string_view reason) = 0;
};

}  // namespace cp::workflow
