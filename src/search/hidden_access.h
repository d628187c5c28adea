// HiddenFieldAccess: the caller's per-viewer policy for shielded children's hidden fields.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace cp::search {

// Decides whether the viewer running a search may see the hidden fields (postcode, former
// names, known-as names) of a shielded child. The index asks only about shielded children that
// are candidates for the search, from the searching thread, while it holds its read lock:
// implementations must be fast, thread-safe for concurrent calls, and must not call back into
// the index. For children that are not shielded every field is visible and nobody is asked.
class HiddenFieldAccess {
 public:
  virtual ~HiddenFieldAccess() = default;
  virtual bool CanSeeHidden(uint64_t uin, std::string_view authority) const = 0;
};

// Sees no shielded child's hidden fields (an ordinary user).
class NoHiddenAccess final : public HiddenFieldAccess {
 public:
  bool CanSeeHidden(uint64_t, std::string_view) const override { return false; }
};

// Sees every shielded child's hidden fields.
class AllHiddenAccess final : public HiddenFieldAccess {
 public:
  bool CanSeeHidden(uint64_t, std::string_view) const override { return true; }
};

// Sees hidden fields of shielded children whose responsible authority is in a fixed set.
class AuthorityHiddenAccess final : public HiddenFieldAccess {
 public:
  explicit AuthorityHiddenAccess(std::set<std::string, std::less<>> authorities)
      : authorities_(std::move(authorities)) {}
  bool CanSeeHidden(uint64_t, std::string_view authority) const override {
    return authorities_.find(authority) != authorities_.end();
  }

 private:
  std::set<std::string, std::less<>> authorities_;
};

}  // namespace cp::search
