#include "domain/dsar.h"

#include <cstdio>

namespace cp::domain {

std::string_view DsarStatusName(DsarStatus status) {
  switch (status) {
    case DsarStatus::kReceived:
      return "received";
    case DsarStatus::kIdentityVerified:
      return "identity_verified";
    case DsarStatus::kExtended:
      return "extended";
    case DsarStatus::kCompleted:
      return "completed";
  }
  return "received";
}

std::optional<DsarStatus> ParseDsarStatus(std::string_view name) {
  for (DsarStatus s : {DsarStatus::kReceived, DsarStatus::kIdentityVerified, DsarStatus::kExtended,
                       DsarStatus::kCompleted}) {
    if (DsarStatusName(s) == name) return s;
  }
  return std::nullopt;
}

bool IsDsarRequesterKind(std::string_view kind) {
  for (std::string_view k : kDsarRequesterKinds) {
    if (k == kind) return true;
  }
  return false;
}

Date DsarDueDate(Date received_on) { return received_on.AddMonths(1); }

Date DsarExtendedDueDate(Date received_on) { return received_on.AddMonths(3); }

std::string DsarReference(Date received_on, int64_t id) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "DSAR-%04d-%04lld", received_on.year(),
                static_cast<long long>(id));
  return buffer;
}

}  // namespace cp::domain
