// The home page a signed-in user lands on: a greeting and shortcuts for their roles
// (taken from ctx.roles).
#pragma once

#include <cstdint>
#include <string>

#include "web/html.h"
#include "web/layout.h"

namespace cp::web {

struct HomeView {
  std::string display_name;
  std::string organisation_name;  // Empty: not shown.
  // How many notifications the user (and their team) has; shown with a link to
  // /notifications. Negative: not shown.
  int64_t notifications = -1;
};
Html RenderHomePage(const PageContext& ctx, const HomeView& view);

}  // namespace cp::web
