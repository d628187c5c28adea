// The directory's JSON API: search, open a record, list access reasons. See docs/api.md.
// Handlers see only views (policy/child_view.h) and search hits, never a raw record.
#pragma once

#include <boost/json/value.hpp>

#include "api/gate.h"
#include "http/router.h"
#include "policy/child_view.h"
#include "workflow/directory_service.h"

namespace cp::api {

struct DirectoryApiDeps {
  Gate& gate;
  workflow::DirectoryService& directory;
};

Status RegisterDirectoryApi(http::Router& router, DirectoryApiDeps deps);

// The JSON form of a view. A shielded view has exactly the keys uin, given_names,
// family_name, gender, date_of_birth, shielded (true) and notice.
boost::json::object ChildViewJson(const policy::ChildView& view);

}  // namespace cp::api
