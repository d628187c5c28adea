// The data-source feed API (docs/feeds.md, docs/api.md "Feeds"):
//   POST /api/v1/feeds/records       a JSON array of records (the CSV columns as fields)
//   POST /api/v1/feeds/involvements  a JSON array of involvements (by source_ref or uin)
// Either body may also be an object {"source": CODE, "records"|"involvements": [...]}.
//
// Authentication is `Authorization: Bearer <token>` only (no session cookie, so no CSRF): 401
// for a missing, unknown or revoked token; 403 when the body names another source than the
// token's (a token is limited to its source organisation). 400 for a body that is not JSON of
// that shape, a field outside the closed list, a value that is not a string, or more than
// kMaxFeedRows rows. 200 with one outcome per row otherwise:
//   {"results": [{"source_ref", "outcome", "uin", "reason"}...], "counts": {...}}
#pragma once

#include <cstddef>

#include "http/router.h"
#include "workflow/feed_import.h"
#include "workflow/feed_tokens.h"

namespace cp::api {

inline constexpr size_t kMaxFeedRows = 10000;

struct FeedApiDeps {
  workflow::FeedTokens& tokens;
  workflow::FeedImporter& importer;
};

Status RegisterFeedApi(http::Router& router, FeedApiDeps deps);

}  // namespace cp::api
