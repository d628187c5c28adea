// Generic error pages. They say what happened in plain words and never include details of
// the failure (no messages, ids or stack traces).
#pragma once

#include "web/html.h"
#include "web/layout.h"

namespace cp::web {

// The page for HTTP `status`: 403 "You do not have access", 404 "Page not found",
// 503 "Sorry, the service is unavailable"; any other status gets the 500 page
// "Sorry, there is a problem with the service". The caller sends the status code.
Html RenderErrorPage(const PageContext& ctx, int status);

}  // namespace cp::web
