#include "api/reports_api.h"

#include <boost/json.hpp>
#include <charconv>

#include "api/json_body.h"
#include "http/errors.h"

namespace cp::api {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;
using workflow::Actor;

Response Bytes(std::string body, std::string content_type, const std::string& filename) {
  Response response(200);
  response.set_content_type(std::move(content_type));
  response.headers().Set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  response.set_body(std::move(body));
  return response;
}

json::value DateOrNull(const std::optional<Date>& d) {
  if (!d) return nullptr;
  return json::value(d->ToString());
}

// A reference or report name fit for a file name (letters, digits, '-', '_', '.').
std::string FileSafe(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    out += ok ? c : '_';
  }
  return out;
}

json::object TableJson(const workflow::ReportTable& t) {
  json::array rows;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    json::object row;
    for (size_t c = 0; c < t.keys.size() && c < t.rows[r].size(); ++c) {
      row[t.keys[c]] = t.rows[r][c];
    }
    if (r < t.row_flagged.size()) row["flagged"] = static_cast<bool>(t.row_flagged[r]);
    if (r < t.row_links.size()) row["link"] = t.row_links[r];
    rows.emplace_back(std::move(row));
  }
  json::array columns;
  for (size_t c = 0; c < t.keys.size(); ++c) {
    columns.emplace_back(json::object{{"key", t.keys[c]}, {"heading", t.columns[c]}});
  }
  return {{"report", t.name},
          {"title", t.title},
          {"description", t.description},
          {"columns", std::move(columns)},
          {"rows", std::move(rows)}};
}

}  // namespace

json::object DsarCaseJson(const domain::DsarCase& c) {
  return {{"id", c.id},
          {"reference", c.reference},
          {"uin", c.child_uin},
          {"requester_kind", c.requester_kind},
          {"status", domain::DsarStatusName(c.status)},
          {"received_on", c.received_on.ToString()},
          {"identity_verified_on", DateOrNull(c.identity_verified_on)},
          {"due", c.due.ToString()},
          {"extended_on", DateOrNull(c.extended_on)},
          {"completed_on", DateOrNull(c.completed_on)},
          {"created_by", c.created_by}};
}

Status RegisterReportsApi(http::Router& router, ReportsApiDeps deps) {
  Gate& gate = deps.gate;
  workflow::DisclosureService& disclosure = deps.disclosure;
  workflow::ReportsService& reports = deps.reports;

  CP_RETURN_IF_ERROR(router.Get(
      "/api/v1/children/{uin}/disclosure.pdf", [&gate, &disclosure](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto copy = policy::ParseDisclosureCopy(request.Query("copy").value_or("requester"));
          if (!copy) {
            return http::ErrorResponse(
                Status::InvalidArgument("is 'requester' or 'internal'", "copy"));
          }
          auto d = disclosure.Produce(actor, std::string(request.PathParam("uin")), *copy,
                                      std::string(request.Query("case").value_or("")));
          if (!d.ok()) return http::ErrorResponse(d.status());
          return Bytes(workflow::RenderDisclosurePdf(*d), "application/pdf",
                       "disclosure-" + FileSafe(d->reference) + "-" +
                           std::string(policy::DisclosureCopyName(*copy)) + ".pdf");
        });
      }));

  CP_RETURN_IF_ERROR(router.Get("/api/v1/dsar-cases", [&gate, &disclosure](const Request& request) {
    return WithActor(gate, request, [&](const Actor& actor) {
      auto cases = disclosure.Cases(actor);
      if (!cases.ok()) return http::ErrorResponse(cases.status());
      json::array out;
      for (const auto& c : *cases) out.emplace_back(DsarCaseJson(c));
      return Response::Json(out);
    });
  }));
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/dsar-cases", [&gate, &disclosure](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          workflow::NewDsarCase input;
          for (auto [field, target] :
               {std::pair{"uin", &input.uin}, std::pair{"requester_kind", &input.requester_kind},
                std::pair{"received_on", &input.received_on}}) {
            auto value = OptionalString(*body, field);
            if (!value.ok()) return http::ErrorResponse(value.status());
            if (*value) *target = **value;
          }
          auto c = disclosure.OpenCase(actor, input);
          if (!c.ok()) return http::ErrorResponse(c.status());
          return Response::Json(DsarCaseJson(*c), 201);
        });
      }));
  using StepFn = Result<domain::DsarCase> (workflow::DisclosureService::*)(const Actor&, int64_t);
  for (auto [verb, step] :
       {std::pair<const char*, StepFn>{"verify-identity",
                                       &workflow::DisclosureService::VerifyIdentity},
        std::pair<const char*, StepFn>{"extend", &workflow::DisclosureService::Extend},
        std::pair<const char*, StepFn>{"complete", &workflow::DisclosureService::Complete}}) {
    CP_RETURN_IF_ERROR(router.Post(
        "/api/v1/dsar-cases/{id}/" + std::string(verb),
        [&gate, &disclosure, step](const Request& request) {
          return WithActor(gate, request, [&](const Actor& actor) {
            std::string_view text = request.PathParam("id");
            int64_t id = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
            if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
              return http::ErrorResponse(
                  Status::InvalidArgument("must be a positive whole number", "id"));
            }
            auto c = (disclosure.*step)(actor, id);
            if (!c.ok()) return http::ErrorResponse(c.status());
            return Response::Json(DsarCaseJson(*c));
          });
        }));
  }

  CP_RETURN_IF_ERROR(router.Get("/api/v1/reports", [&gate](const Request& request) {
    auto principal = gate.Authenticate(request);
    if (!principal.ok()) return http::ErrorResponse(principal.status());
    Status st = gate.Require(*principal, policy::Permission::kViewReports, request);
    if (!st.ok()) return http::ErrorResponse(st);
    json::array out;
    for (const auto& info : workflow::ReportCatalogue()) {
      out.emplace_back(json::object{{"report", info.name},
                                    {"title", info.title},
                                    {"description", info.description},
                                    {"href", "/api/v1/reports/" + std::string(info.name)}});
    }
    return Response::Json(out);
  }));
  CP_RETURN_IF_ERROR(
      router.Get("/api/v1/reports/{name}", [&gate, &reports](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          std::string name(request.PathParam("name"));
          std::string format = "json";
          for (std::string_view suffix : {".csv", ".pdf"}) {
            if (name.size() > suffix.size() && name.ends_with(suffix)) {
              format = std::string(suffix.substr(1));
              name.resize(name.size() - suffix.size());
            }
          }
          if (name == "shielding-log" && format == "csv") {
            auto csv = reports.ShieldingLogCsv(actor);
            if (!csv.ok()) return http::ErrorResponse(csv.status());
            return Bytes(std::move(*csv), "text/csv; charset=utf-8", "shielding-log.csv");
          }
          workflow::ReportParams params;
          params.uin = std::string(request.Query("uin").value_or(""));
          params.username = std::string(request.Query("username").value_or(""));
          params.status = std::string(request.Query("status").value_or(""));
          auto table = reports.Run(actor, name, params, format);
          if (!table.ok()) return http::ErrorResponse(table.status());
          if (format == "csv") {
            return Bytes(workflow::RenderReportCsv(*table), "text/csv; charset=utf-8",
                         FileSafe(name) + ".csv");
          }
          if (format == "pdf") {
            return Bytes(workflow::RenderReportPdf(*table, actor.username, table->produced_at,
                                                   actor.request_id),
                         "application/pdf", FileSafe(name) + ".pdf");
          }
          return Response::Json(TableJson(*table));
        });
      }));
  return Status::Ok();
}

}  // namespace cp::api
