#include "api/retention_api.h"

#include <boost/json.hpp>

#include "api/directory_api.h"
#include "api/json_body.h"
#include "http/errors.h"

namespace cp::api {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;
using workflow::Actor;

json::object LifecycleJson(const workflow::LifecycleView& v) {
  auto date = [](const std::string& d) -> json::value {
    if (d.empty()) return nullptr;
    return json::value(d);
  };
  return json::object{{"uin", v.uin},
                      {"state", v.state},
                      {"archive_reason", date(v.archive_reason)},
                      {"archived_on", date(v.archived_on)},
                      {"death_notified_on", date(v.death_notified_on)},
                      {"date_of_death", date(v.date_of_death)},
                      {"purged_on", date(v.purged_on)},
                      {"management_read_until", date(v.management_read_until)}};
}

Result<std::string> StringOr(const json::object& obj, std::string_view field) {
  CP_ASSIGN_OR_RETURN(std::optional<std::string> v, OptionalString(obj, field));
  return v.value_or("");
}

Result<workflow::IdentityChangeInput> ReadIdentityChange(const Request& request) {
  CP_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body()));
  workflow::IdentityChangeInput in;
  in.former_uin = std::string(request.PathParam("uin"));
  CP_ASSIGN_OR_RETURN(in.reason, RequiredString(body, "reason"));
  CP_ASSIGN_OR_RETURN(in.given_names, RequiredString(body, "given_names"));
  CP_ASSIGN_OR_RETURN(in.family_name, RequiredString(body, "family_name"));
  CP_ASSIGN_OR_RETURN(in.date_of_birth, StringOr(body, "date_of_birth"));
  CP_ASSIGN_OR_RETURN(in.gender, StringOr(body, "gender"));
  if (const json::value* a = body.if_contains("address"); a != nullptr && !a->is_null()) {
    if (!a->is_object()) return Status::InvalidArgument("must be an object", "address");
    const json::object& o = a->as_object();
    for (auto [field, target] :
         {std::pair{"line_1", &in.address_line_1}, std::pair{"line_2", &in.address_line_2},
          std::pair{"town", &in.town}, std::pair{"postcode", &in.postcode}}) {
      auto value = OptionalString(o, field);
      if (!value.ok()) {
        return Status::InvalidArgument(value.status().message(), "address." + std::string(field));
      }
      if (*value) *target = **value;
    }
  }
  return in;
}

}  // namespace

Status RegisterRetentionApi(http::Router& router, RetentionApiDeps deps) {
  // Management records a notified death; the record is archived a year later.
  CP_RETURN_IF_ERROR(router.Post("/api/v1/children/{uin}/death", [deps](const Request& request) {
    return WithActor(deps.gate, request, [&](const Actor& actor) {
      auto body = ParseJsonObject(request.body());
      if (!body.ok()) return http::ErrorResponse(body.status());
      auto died = RequiredString(*body, "date_of_death");
      if (!died.ok()) return http::ErrorResponse(died.status());
      const std::string uin(request.PathParam("uin"));
      Status st = deps.retention.NotifyDeath(actor, uin, *died);
      if (!st.ok()) return http::ErrorResponse(st);
      auto lifecycle = deps.retention.Lifecycle(actor, uin);
      if (!lifecycle.ok()) return http::ErrorResponse(lifecycle.status());
      return Response::Json(LifecycleJson(*lifecycle));
    });
  }));

  CP_RETURN_IF_ERROR(router.Get("/api/v1/children/{uin}/lifecycle", [deps](const Request& request) {
    return WithActor(deps.gate, request, [&](const Actor& actor) {
      auto lifecycle = deps.retention.Lifecycle(actor, std::string(request.PathParam("uin")));
      if (!lifecycle.ok()) return http::ErrorResponse(lifecycle.status());
      return Response::Json(LifecycleJson(*lifecycle));
    });
  }));

  // An archived record: management of its authority for a year, then the archive reader with
  // a child-protection-enquiry or serious-case-review reason.
  CP_RETURN_IF_ERROR(router.Get("/api/v1/children/{uin}/archived", [deps](const Request& request) {
    return WithActor(deps.gate, request, [&](const Actor& actor) {
      auto record =
          deps.retention.OpenArchived(actor, std::string(request.PathParam("uin")),
                                      std::string(request.Query("reason").value_or("")),
                                      std::string(request.Query("reason_text").value_or("")));
      if (!record.ok()) return http::ErrorResponse(record.status());
      return Response::Json(json::object{{"lifecycle", LifecycleJson(record->lifecycle)},
                                         {"record", ChildViewJson(record->view)}});
    });
  }));

  // Principle 13: the new identity, shielded; the former archived; the link restricted.
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/children/{uin}/identity-change", [deps](const Request& request) {
        return WithActor(deps.gate, request, [&](const Actor& actor) {
          auto input = ReadIdentityChange(request);
          if (!input.ok()) return http::ErrorResponse(input.status());
          auto out = deps.retention.ChangeIdentity(actor, *input);
          if (!out.ok()) return http::ErrorResponse(out.status());
          return Response::Json(json::object{{"new_uin", out->new_uin},
                                             {"shielded", true},
                                             {"shield_request_id", out->shield_request_id},
                                             {"former_uin", input->former_uin},
                                             {"former_state", "archived"}},
                                201);
        });
      }));

  CP_RETURN_IF_ERROR(
      router.Get("/api/v1/children/{uin}/identity-links", [deps](const Request& request) {
        return WithActor(deps.gate, request, [&](const Actor& actor) {
          auto links = deps.retention.IdentityLinks(actor, std::string(request.PathParam("uin")));
          if (!links.ok()) return http::ErrorResponse(links.status());
          json::array out;
          for (const auto& l : *links) {
            out.emplace_back(json::object{{"former_uin", l.former_uin},
                                          {"new_uin", l.new_uin},
                                          {"reason", l.reason},
                                          {"recorded_by", l.recorded_by},
                                          {"recorded_at", l.recorded_at}});
          }
          return Response::Json(json::object{{"links", std::move(out)}});
        });
      }));
  return Status::Ok();
}

}  // namespace cp::api
