// The JSON API for subject access disclosures, DSAR cases and management reports. See
// docs/api.md ("Disclosure and reports") and docs/disclosure-and-reports.md. Handlers call
// workflow::DisclosureService and workflow::ReportsService, which check rights and scope and
// audit (fail closed); handlers never see a raw child record.
//
//   GET  /api/v1/children/{uin}/disclosure.pdf[?copy=requester|internal][&case=REF]   (dpo)
//   GET  /api/v1/dsar-cases                  POST /api/v1/dsar-cases                  (dpo)
//   POST /api/v1/dsar-cases/{id}/verify-identity | extend | complete                  (dpo)
//   GET  /api/v1/reports                     the catalogue                    (management)
//   GET  /api/v1/reports/{name}[.csv|.pdf][?uin=][&username=][&status=]       (management)
#pragma once

#include <boost/json/object.hpp>

#include "api/gate.h"
#include "http/router.h"
#include "workflow/disclosure_service.h"
#include "workflow/reports_service.h"

namespace cp::api {

struct ReportsApiDeps {
  Gate& gate;
  workflow::DisclosureService& disclosure;
  workflow::ReportsService& reports;
};

Status RegisterReportsApi(http::Router& router, ReportsApiDeps deps);

boost::json::object DsarCaseJson(const domain::DsarCase& c);

}  // namespace cp::api
