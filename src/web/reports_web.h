// The browser pages for subject access (the DPO) and management reports.
//
// Routes:
//   GET  /dpo                                   DSAR cases and the form to record one (dpo)
//   POST /dpo/cases                             record a case received (uin, requester_kind,
//                                               received_on-day/-month/-year)
//   POST /dpo/cases/{id}/verify-identity | extend | complete
//   GET  /dpo/children/{uin}/disclosure?copy=requester|internal[&case=REF]
//                                               the disclosure's HTML print view (the PDF is
//                                               GET /api/v1/children/{uin}/disclosure.pdf)
//   GET  /reports                               the reports (management)
//   GET  /reports/{name}[?uin=][&username=][&status=]
//
// Contract: identity from the session (api::Gate), CSRF and Origin on every POST, the
// permission (kRunDisclosure / kViewReports) through Gate::Require (audited); scope, the
// disclosure views and the auditing of every disclosure and report are the workflow services'
// (workflow/disclosure_service.h, workflow/reports_service.h). Unavailable -> 503 page (nothing
// shown), PermissionDenied -> 403, NotFound -> 404; a bad form re-renders with the GOV.UK error
// summary (400). Thread-safe when the dependencies are.
#pragma once

#include "api/gate.h"
#include "http/router.h"
#include "workflow/disclosure_service.h"
#include "workflow/reports_service.h"

namespace cp::web {

struct ReportsWebDeps {
  api::Gate& gate;
  workflow::DisclosureService& disclosure;
  workflow::ReportsService& reports;
  int idle_seconds;
  int warn_seconds;
};

Status RegisterReportsWebUi(http::Router& router, ReportsWebDeps deps);

}  // namespace cp::web
