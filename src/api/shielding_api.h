// The shielding JSON API: requests, withdrawal, approval, unshield, reviews, duplicates,
// telephone forms, documents, appeals, notifications and the shielding log. See docs/api.md
// ("Shielding") and docs/shielding.md. Handlers call workflow::ShieldingService, which checks
// rights and scope and audits; they never see a raw child record.
#pragma once

#include <boost/json/object.hpp>

#include "api/gate.h"
#include "http/router.h"
#include "workflow/shielding_service.h"

namespace cp::api {

struct ShieldingApiDeps {
  Gate& gate;
  workflow::ShieldingService& shielding;
};

Status RegisterShieldingApi(http::Router& router, ShieldingApiDeps deps);

// The JSON form of a request (without its Appendix 4 form).
boost::json::object ShieldRequestJson(const domain::ShieldRequest& request);
// The 8 fields of a log entry, plus its "id".
boost::json::object LogEntryJson(const domain::LogEntry& entry);

}  // namespace cp::api
