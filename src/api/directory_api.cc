#include "api/directory_api.h"

#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/deferred_audit.h"
#include "api/json_body.h"
#include "domain/uin.h"
#include "http/errors.h"
#include "policy/access_reasons.h"
#include "policy/permission.h"

namespace cp::api {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

json::object Sourced(const policy::SourcedText& s) {
  return {{"source", s.source}, {"updated_at", s.updated_at}};
}

json::object NameJson(const policy::NameView& n) {
  return {{"given_names", n.given_names},
          {"family_name", n.family_name},
          {"provenance", Sourced(n.provenance)}};
}

json::value SettingJson(const std::optional<policy::SettingView>& s) {
  if (!s) return nullptr;
  json::object o{{"name", s->name}, {"provenance", Sourced(s->provenance)}};
  if (!s->phone.empty()) o["phone"] = s->phone;
  if (!s->start_date.empty()) o["start_date"] = s->start_date;
  return o;
}

json::object FullJson(const policy::FullChildView& v) {
  json::array former, known, carers, involvements;
  for (const auto& n : v.former_names) former.emplace_back(NameJson(n));
  for (const auto& n : v.known_as) known.emplace_back(NameJson(n));
  for (const auto& c : v.carers) {
    carers.emplace_back(json::object{{"name", c.name},
                                     {"relationship", c.relationship},
                                     {"phone", c.phone},
                                     {"email", c.email},
                                     {"provenance", Sourced(c.provenance)}});
  }
  for (const auto& i : v.involvements) {
    involvements.emplace_back(json::object{{"service_type", i.service_type},
                                           {"service", i.service_label},
                                           {"practitioner", i.practitioner},
                                           {"organisation", i.organisation},
                                           {"phone", i.phone},
                                           {"email", i.email},
                                           {"start_date", i.start_date},
                                           {"end_date", i.end_date},
                                           {"lead_professional", i.lead_professional},
                                           {"caf_complete", i.caf_complete},
                                           {"provenance", Sourced(i.provenance)}});
  }
  return {{"uin", v.uin},
          {"given_names", v.name.given_names},
          {"family_name", v.name.family_name},
          {"name_provenance", Sourced(v.name.provenance)},
          {"former_names", std::move(former)},
          {"known_as", std::move(known)},
          {"gender", v.gender},
          {"date_of_birth", v.date_of_birth},
          {"address",
           {{"status", v.address.status},
            {"line_1", v.address.line_1},
            {"line_2", v.address.line_2},
            {"town", v.address.town},
            {"postcode", v.address.postcode},
            {"intent_to_return", v.address.intent_to_return},
            {"provenance", Sourced(v.address.provenance)}}},
          {"carers", std::move(carers)},
          {"education", SettingJson(v.education)},
          {"gp_practice", SettingJson(v.gp)},
          {"involvements", std::move(involvements)},
          {"responsible_authority", v.responsible_authority},
          {"extended_with_consent", v.extended_with_consent},
          {"shielded", false},
          {"record_shielded", v.shielded},
          {"break_glass", v.break_glass}};
}

}  // namespace

json::object ChildViewJson(const policy::ChildView& view) {
  if (const auto* s = std::get_if<policy::ShieldedChildView>(&view)) {
    return {
        {"uin", s->uin},       {"given_names", s->given_names},     {"family_name", s->family_name},
        {"gender", s->gender}, {"date_of_birth", s->date_of_birth}, {"shielded", true},
        {"notice", s->notice}};
  }
  return FullJson(std::get<policy::FullChildView>(view));
}

namespace {

// The search endpoint's response for an authenticated, CSRF-checked request.
Response SearchResponse(const DirectoryApiDeps& deps, const Request& request,
                        const identity::Principal& principal) {
  auto body = ParseJsonObject(request.body());
  if (!body.ok()) return http::ErrorResponse(body.status());
  workflow::SearchRequest search;
  for (auto [field, target] :
       {std::pair{"given_name", &search.given_name}, std::pair{"family_name", &search.family_name},
        std::pair{"date_of_birth", &search.date_of_birth}, std::pair{"gender", &search.gender},
        std::pair{"postcode", &search.postcode}}) {
    auto value = OptionalString(*body, field);
    if (!value.ok()) return http::ErrorResponse(value.status());
    if (*value) *target = **value;
  }
  workflow::Actor actor = Gate::ActorFor(principal, request);
  auto hits = deps.directory.Search(actor, search);
  if (!hits.ok()) {
    const Status& s = hits.status();
    if (s.code() == StatusCode::kFailedPrecondition && s.message() == "too_many_matches") {
      return Response::Json(
          json::object{{"error", "too_many_matches"},
                       {"limit", workflow::TrawlingLimit(actor)},
                       {"message",
                        "Too many children match. Add more detail, such as a date of birth "
                        "or a postcode, and search again."}},
          422);
    }
    if (s.code() == StatusCode::kInvalidArgument &&
        s.message().rfind("insufficient_criteria", 0) == 0) {
      return Response::Json(
          json::object{{"error", "insufficient_criteria"},
                       {"message", "Enter a family name and a given name or date of birth"},
                       {"field", s.field()}},
          400);
    }
    return http::ErrorResponse(s);
  }
  json::array results;
  for (const auto& h : *hits) {
    results.emplace_back(json::object{{"uin", h.uin},
                                      {"given_names", h.given_names},
                                      {"family_name", h.family_name},
                                      {"gender", h.gender},
                                      {"date_of_birth", h.date_of_birth},
                                      {"shielded", h.shielded},
                                      {"score", h.score},
                                      {"confidence", h.confidence}});
  }
  return Response::Json(json::object{{"results", std::move(results)}});
}

}  // namespace

Status RegisterDirectoryApi(http::Router& router, DirectoryApiDeps deps) {
  CP_RETURN_IF_ERROR(router.Get("/api/v1/access-reasons", [deps](const Request& request) {
    auto principal = deps.gate.Authenticate(request);
    if (!principal.ok()) return http::ErrorResponse(principal.status());
    json::array out;
    for (const auto& r : policy::AllAccessReasons()) {
      out.emplace_back(
          json::object{{"code", r.code}, {"label", r.label}, {"needs_text", r.needs_text}});
    }
    return Response::Json(out);
  }));

  CP_RETURN_IF_ERROR(router.Post("/api/v1/children/search", [deps](const Request& request) {
    auto principal = deps.gate.Authenticate(request);
    if (!principal.ok()) return http::ErrorResponse(principal.status());
    Status st = deps.gate.CheckStateChange(request, *principal);
    if (!st.ok()) return http::ErrorResponse(st);
    // The search's audit entry ("child.search", whatever the outcome) is queued without
    // parking this thread in the group commit; the response waits for it (fail closed).
    return RespondWhenAudited(SearchAuditActions(),
                              [&] { return SearchResponse(deps, request, *principal); });
  }));

  CP_RETURN_IF_ERROR(router.Get("/api/v1/children/{uin}", [deps](const Request& request) {
    auto principal = deps.gate.Authenticate(request);
    if (!principal.ok()) return http::ErrorResponse(principal.status());
    std::string reason(request.Query("reason").value_or(""));
    std::string reason_text(request.Query("reason_text").value_or(""));
    // As for a search: the view's audit entry ("child.view") is committed before the view
    // leaves, without parking this thread.
    return RespondWhenAudited(RecordViewAuditActions(), [&] {
      auto view = deps.directory.Open(Gate::ActorFor(*principal, request),
                                      std::string(request.PathParam("uin")), reason, reason_text);
      if (!view.ok()) return http::ErrorResponse(view.status());
      json::object body = ChildViewJson(*view);
      // A UIN that a merge took away answers with the record it was merged into, as the view
      // policy shows that record, and says so (docs/duplicates.md).
      auto asked = domain::Uin::Parse(request.PathParam("uin"));
      if (asked.ok() && asked->str() != body["uin"].as_string()) {
        body["merged_from"] = asked->str();
      }
      return Response::Json(std::move(body));
    });
  }));
  return Status::Ok();
}

}  // namespace cp::api
