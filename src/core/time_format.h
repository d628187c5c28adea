// Formatting instants for people and machines. Pure and thread-safe.
#pragma once

#include <string>

#include "core/clock.h"

namespace cp {

// ISO 8601 UTC to the second: "2026-11-22T09:30:00Z".
std::string FormatUtc(TimePoint t);

}  // namespace cp
