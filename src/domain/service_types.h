// The closed list of services a child may be involved with, and which are sensitive.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace cp::domain {

struct ServiceType {
  std::string_view code;   // e.g. "health_visiting".
  std::string_view label;  // e.g. "Health visiting".
  // Sexual health, mental health and substance misuse: held only with a recorded basis
  // (consent, or suspected significant harm).
  bool sensitive;
};

std::span<const ServiceType> AllServiceTypes();
std::optional<ServiceType> FindServiceType(std::string_view code);

}  // namespace cp::domain
