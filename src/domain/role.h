// Roles a user may hold. Roles are a closed list; the policy layer decides what each allows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cp::domain {

enum class Role : uint8_t {
  kPractitioner = 0,  // Searches and views records for their work.
  kShielder,          // An organisation's named person who may shield records.
  kManagement,        // The local authority's ContactPoint management team (own authority).
  kBreakGlass,        // Named child-protection worker with the emergency override right.
  kDpo,               // Data protection officer: subject access disclosures.
  kAdministrator,     // Manages accounts and organisations; sees no child data.
  kDataSource,        // System account for data feeds.
  kArchiveReader,     // Reads archived records for child-protection enquiries and serious case
                      // reviews (docs/retention.md).
};

inline constexpr Role kAllRoles[] = {Role::kPractitioner, Role::kShielder,     Role::kManagement,
                                     Role::kBreakGlass,   Role::kDpo,          Role::kAdministrator,
                                     Role::kDataSource,   Role::kArchiveReader};

// "practitioner", "shielder", "management", "break_glass", "dpo", "administrator",
// "data_source", "archive_reader".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// A set of roles as a bit mask. Value type.
class RoleSet {
 public:
  RoleSet() = default;
  RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) Add(r);
  }
  void Add(Role r) { bits_ |= Bit(r); }
  void Remove(Role r) { bits_ &= static_cast<uint32_t>(~Bit(r)); }
  bool Has(Role r) const { return (bits_ & Bit(r)) != 0; }
  bool empty() const { return bits_ == 0; }
  uint32_t bits() const { return bits_; }
  static RoleSet FromBits(uint32_t bits);
  std::vector<std::string> Names() const;
  bool operator==(const RoleSet&) const = default;

 private:
  static uint32_t Bit(Role r) { return 1u << static_cast<unsigned>(r); }
  uint32_t bits_ = 0;
};

}  // namespace cp::domain
