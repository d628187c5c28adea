#include "api/break_glass_api.h"

#include <boost/json.hpp>
#include <charconv>

#include "api/json_body.h"
#include "http/errors.h"
#include "http/logger.h"

namespace cp::api {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;
using workflow::Actor;

Result<int64_t> PathId(const Request& request) {
  std::string_view text = request.PathParam("id");
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return Status::InvalidArgument("must be a positive whole number", "id");
  }
  return value;
}

Result<std::string> StringOr(const json::object& obj, std::string_view field) {
  CP_ASSIGN_OR_RETURN(std::optional<std::string> v, OptionalString(obj, field));
  return v.value_or("");
}

json::value TimeOrNull(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(http::FormatUtcIso8601(*t));
}

// The workflow's "not_shielded" refusal as the contract's 400; every other status as usual.
Response ErrorOf(const Status& s, std::string_view not_shielded_message) {
  if (s.code() == StatusCode::kFailedPrecondition && s.message() == "not_shielded") {
    return Response::Json(
        json::object{
            {"error", "not_shielded"}, {"message", not_shielded_message}, {"field", "uin"}},
        400);
  }
  return http::ErrorResponse(s);
}

json::object HolderJson(const workflow::HolderInfo& h) {
  json::value approved_on = nullptr;
  if (h.holder.approved_on) approved_on = h.holder.approved_on->ToString();
  json::value expires_on = nullptr;
  if (h.expires_on) expires_on = h.expires_on->ToString();
  return {{"username", h.holder.username},
          {"authority", h.holder.authority},
          {"status", domain::HolderStatusName(h.status)},
          {"has_role", h.has_role},
          {"nominated_by", h.holder.nominated_by},
          {"nominated_at", http::FormatUtcIso8601(h.holder.nominated_at)},
          {"approved_by", h.holder.approved_by},
          {"approved_on", approved_on},
          {"reference", h.holder.approval_reference},
          {"expires_on", expires_on},
          {"revoked_at", TimeOrNull(h.holder.revoked_at)}};
}

json::object InvestigationSummary(const domain::Investigation& i) {
  return {{"id", i.id},
          {"uin", i.child_uin},
          {"user", i.username},
          {"opened_at", http::FormatUtcIso8601(i.opened_at)},
          {"due", i.due.ToString()},
          {"status", domain::InvestigationStatusName(i.status)}};
}

json::object InvestigationJson(const domain::Investigation& i) {
  json::object o = InvestigationSummary(i);
  json::array notes;
  for (const auto& n : i.notes) {
    notes.emplace_back(json::object{{"id", n.id},
                                    {"author", n.author},
                                    {"at", http::FormatUtcIso8601(n.created_at)},
                                    {"text", n.text}});
  }
  o["organisation"] = i.user_organisation;
  o["authority"] = i.authority;
  o["reason_code"] = i.reason_code;
  o["reason_text"] = i.reason_text;
  o["finding"] = domain::FindingName(i.finding);
  o["concluded_at"] = TimeOrNull(i.concluded_at);
  o["notes"] = std::move(notes);
  return o;
}

// A brokering request as its viewer may see it. The requester's view (full == false) has no
// practitioner, involvement or authority: only what was released.
json::object BrokeringJson(const workflow::BrokeringView& v) {
  json::array timeline;
  for (const auto& s : v.timeline) {
    timeline.emplace_back(json::object{{"at", http::FormatUtcIso8601(s.at)},
                                       {"actor", s.actor},
                                       {"kind", s.kind},
                                       {"note", s.note}});
  }
  json::object o{{"id", v.id},
                 {"uin", v.uin},
                 {"status", v.status},
                 {"requester", v.requester},
                 {"requester_organisation", v.requester_organisation},
                 {"created_at", http::FormatUtcIso8601(v.created_at)},
                 {"reason", v.reason},
                 {"released", v.released},
                 {"decline_reasons", v.decline_reasons},
                 {"acknowledged_at", TimeOrNull(v.acknowledged_at)},
                 {"timeline", std::move(timeline)}};
  if (v.full) {
    o["authority"] = v.authority;
    o["involvement_id"] = v.involvement_id;
    o["practitioner"] = v.practitioner;
    o["practitioner_username"] = v.practitioner_username;
    json::array candidates;
    for (const auto& c : v.candidates) {
      candidates.emplace_back(json::object{{"involvement_id", c.involvement_id},
                                           {"practitioner", c.practitioner},
                                           {"organisation", c.organisation},
                                           {"service_type", c.service_type}});
    }
    o["candidates"] = std::move(candidates);
  }
  return o;
}

constexpr std::string_view kBreakGlassNotShielded =
    "This record is not shielded: you can see it without Break Glass. Open it with a reason.";
constexpr std::string_view kBrokeringNotShielded =
    "This record is not shielded: its details are already visible, so there is nothing to "
    "broker.";

Status RegisterBreakGlass(http::Router& router, BreakGlassApiDeps deps) {
  CP_RETURN_IF_ERROR(router.Get("/api/v1/break-glass-reasons", [deps](const Request& request) {
    auto principal = deps.gate.Authenticate(request);
    if (!principal.ok()) return http::ErrorResponse(principal.status());
    json::array out;
    for (const auto& r : domain::AllBreakGlassReasons()) {
      out.emplace_back(json::object{{"code", r.code}, {"label", r.label}});
    }
    return Response::Json(out);
  }));

  // Whether to offer Break Glass at all: the UI shows the option only when this is true.
  CP_RETURN_IF_ERROR(router.Get("/api/v1/me/break-glass", [deps](const Request& request) {
    return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
      auto holds = deps.break_glass.HoldsRight(Gate::ActorFor(p, request));
      if (!holds.ok()) return http::ErrorResponse(holds.status());
      return Response::Json(json::object{{"available", *holds}});
    });
  }));

  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/children/{uin}/break-glass", [deps](const Request& request) {
        return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          auto code = StringOr(*body, "reason_code");
          if (!code.ok()) return http::ErrorResponse(code.status());
          auto text = StringOr(*body, "reason_text");
          if (!text.ok()) return http::ErrorResponse(text.status());
          auto totp = StringOr(*body, "totp");
          if (!totp.ok()) return http::ErrorResponse(totp.status());
          auto step_up = [&]() -> Status {
            if (totp->empty()) return Status::InvalidArgument("Enter a new security code", "totp");
            return deps.sign_in.StepUp(p.session, p.user, *totp, Gate::ClientFor(request));
          };
          auto grant =
              deps.break_glass.Use(Gate::ActorFor(p, request),
                                   std::string(request.PathParam("uin")), *code, *text, step_up);
          if (!grant.ok()) return ErrorOf(grant.status(), kBreakGlassNotShielded);
          return Response::Json(
              json::object{{"grant_id", grant->grant_id},
                           {"expires_at", http::FormatUtcIso8601(grant->expires_at)},
                           {"investigation_id", grant->investigation_id},
                           {"investigation_due", grant->investigation_due.ToString()}},
              201);
        });
      }));

  CP_RETURN_IF_ERROR(
      router.Delete("/api/v1/break-glass-grants/{id}", [deps](const Request& request) {
        return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
          auto id = PathId(request);
          if (!id.ok()) return http::ErrorResponse(id.status());
          Status st = deps.break_glass.EndGrant(Gate::ActorFor(p, request), *id);
          if (!st.ok()) return http::ErrorResponse(st);
          return Response::NoContent();
        });
      }));

  // --- Holders (management) -------------------------------------------------------------
  CP_RETURN_IF_ERROR(router.Get("/api/v1/break-glass-holders", [deps](const Request& request) {
    return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
      auto holders = deps.break_glass.Holders(Gate::ActorFor(p, request));
      if (!holders.ok()) return http::ErrorResponse(holders.status());
      json::array out;
      for (const auto& h : *holders) out.emplace_back(HolderJson(h));
      return Response::Json(out);
    });
  }));
  CP_RETURN_IF_ERROR(router.Post("/api/v1/break-glass-holders", [deps](const Request& request) {
    return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
      auto body = ParseJsonObject(request.body());
      if (!body.ok()) return http::ErrorResponse(body.status());
      auto username = RequiredString(*body, "username");
      if (!username.ok()) return http::ErrorResponse(username.status());
      auto holder = deps.break_glass.Nominate(Gate::ActorFor(p, request), *username);
      if (!holder.ok()) return http::ErrorResponse(holder.status());
      return Response::Json(HolderJson(*holder), 201);
    });
  }));
  CP_RETURN_IF_ERROR(router.Post(
      "/api/v1/break-glass-holders/{username}/approval", [deps](const Request& request) {
        return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          workflow::ApprovalInput in;
          for (auto [field, target] :
               {std::pair{"approved_by", &in.approved_by},
                std::pair{"approved_on", &in.approved_on}, std::pair{"reference", &in.reference}}) {
            auto value = RequiredString(*body, field);
            if (!value.ok()) return http::ErrorResponse(value.status());
            *target = *value;
          }
          auto holder = deps.break_glass.RecordApproval(
              Gate::ActorFor(p, request), std::string(request.PathParam("username")), in);
          if (!holder.ok()) return http::ErrorResponse(holder.status());
          return Response::Json(HolderJson(*holder));
        });
      }));
  CP_RETURN_IF_ERROR(
      router.Delete("/api/v1/break-glass-holders/{username}", [deps](const Request& request) {
        return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
          Status st = deps.break_glass.Revoke(Gate::ActorFor(p, request),
                                              std::string(request.PathParam("username")));
          if (!st.ok()) return http::ErrorResponse(st);
          return Response::NoContent();
        });
      }));

  // --- Investigations (management) ------------------------------------------------------
  CP_RETURN_IF_ERROR(router.Get("/api/v1/investigations", [deps](const Request& request) {
    return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
      auto list = deps.break_glass.Investigations(Gate::ActorFor(p, request));
      if (!list.ok()) return http::ErrorResponse(list.status());
      json::array out;
      for (const auto& i : *list) out.emplace_back(InvestigationSummary(i));
      return Response::Json(out);
    });
  }));
  CP_RETURN_IF_ERROR(router.Get("/api/v1/investigations/{id}", [deps](const Request& request) {
    return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
      auto id = PathId(request);
      if (!id.ok()) return http::ErrorResponse(id.status());
      auto inv = deps.break_glass.GetInvestigation(Gate::ActorFor(p, request), *id);
      if (!inv.ok()) return http::ErrorResponse(inv.status());
      return Response::Json(InvestigationJson(*inv));
    });
  }));
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/investigations/{id}/status", [deps](const Request& request) {
        return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
          auto id = PathId(request);
          if (!id.ok()) return http::ErrorResponse(id.status());
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          auto status = RequiredString(*body, "status");
          if (!status.ok()) return http::ErrorResponse(status.status());
          auto finding = StringOr(*body, "finding");
          if (!finding.ok()) return http::ErrorResponse(finding.status());
          Actor actor = Gate::ActorFor(p, request);
          Status st = deps.break_glass.SetInvestigationStatus(actor, *id, *status, *finding);
          if (!st.ok()) return http::ErrorResponse(st);
          auto inv = deps.break_glass.GetInvestigation(actor, *id);
          if (!inv.ok()) return http::ErrorResponse(inv.status());
          return Response::Json(InvestigationJson(*inv));
        });
      }));
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/investigations/{id}/notes", [deps](const Request& request) {
        return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
          auto id = PathId(request);
          if (!id.ok()) return http::ErrorResponse(id.status());
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          auto text = RequiredString(*body, "text");
          if (!text.ok()) return http::ErrorResponse(text.status());
          auto note = deps.break_glass.AddInvestigationNote(Gate::ActorFor(p, request), *id, *text);
          if (!note.ok()) return http::ErrorResponse(note.status());
          return Response::Json(json::object{{"id", *note}}, 201);
        });
      }));
  return Status::Ok();
}

Status RegisterBrokering(http::Router& router, BreakGlassApiDeps deps) {
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/children/{uin}/brokering-requests", [deps](const Request& request) {
        return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          auto reason = StringOr(*body, "reason");
          if (!reason.ok()) return http::ErrorResponse(reason.status());
          auto id = deps.brokering.Request(Gate::ActorFor(p, request),
                                           std::string(request.PathParam("uin")), *reason);
          if (!id.ok()) return ErrorOf(id.status(), kBrokeringNotShielded);
          return Response::Json(json::object{{"id", *id}}, 201);
        });
      }));
  CP_RETURN_IF_ERROR(router.Get("/api/v1/brokering-requests", [deps](const Request& request) {
    return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
      auto list = deps.brokering.List(Gate::ActorFor(p, request));
      if (!list.ok()) return http::ErrorResponse(list.status());
      json::array out;
      for (const auto& v : *list) out.emplace_back(BrokeringJson(v));
      return Response::Json(out);
    });
  }));
  CP_RETURN_IF_ERROR(router.Get("/api/v1/brokering-requests/{id}", [deps](const Request& request) {
    return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
      auto id = PathId(request);
      if (!id.ok()) return http::ErrorResponse(id.status());
      auto view = deps.brokering.Get(Gate::ActorFor(p, request), *id);
      if (!view.ok()) return http::ErrorResponse(view.status());
      return Response::Json(BrokeringJson(*view));
    });
  }));
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/brokering-requests/{id}/contacted", [deps](const Request& request) {
        return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
          auto id = PathId(request);
          if (!id.ok()) return http::ErrorResponse(id.status());
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          workflow::ContactInput in;
          if (const json::value* v = body->if_contains("involvement_id");
              v != nullptr && !v->is_null()) {
            if (!v->is_int64() || v->as_int64() <= 0) {
              return http::ErrorResponse(
                  Status::InvalidArgument("must be a positive whole number", "involvement_id"));
            }
            in.involvement_id = v->as_int64();
          }
          auto practitioner = StringOr(*body, "practitioner");
          if (!practitioner.ok()) return http::ErrorResponse(practitioner.status());
          in.practitioner = *practitioner;
          auto username = StringOr(*body, "practitioner_username");
          if (!username.ok()) return http::ErrorResponse(username.status());
          in.practitioner_username = *username;
          Status st = deps.brokering.RecordContact(Gate::ActorFor(p, request), *id, in);
          if (!st.ok()) return http::ErrorResponse(st);
          return Response::NoContent();
        });
      }));
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/brokering-requests/{id}/decision", [deps](const Request& request) {
        return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
          auto id = PathId(request);
          if (!id.ok()) return http::ErrorResponse(id.status());
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          auto decision = RequiredString(*body, "decision");
          if (!decision.ok()) return http::ErrorResponse(decision.status());
          auto released = StringOr(*body, "released");
          if (!released.ok()) return http::ErrorResponse(released.status());
          Status st = deps.brokering.Decide(Gate::ActorFor(p, request), *id, *decision, *released);
          if (!st.ok()) return http::ErrorResponse(st);
          return Response::NoContent();
        });
      }));
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/brokering-requests/{id}/acknowledge", [deps](const Request& request) {
        return WithPrincipal(deps.gate, request, [&](const identity::Principal& p) {
          auto id = PathId(request);
          if (!id.ok()) return http::ErrorResponse(id.status());
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          auto reasons = StringOr(*body, "reasons");
          if (!reasons.ok()) return http::ErrorResponse(reasons.status());
          auto confirm = OptionalBool(*body, "confirm");
          if (!confirm.ok()) return http::ErrorResponse(confirm.status());
          Status st = deps.brokering.Acknowledge(Gate::ActorFor(p, request), *id, *reasons,
                                                 confirm->value_or(false));
          if (!st.ok()) return http::ErrorResponse(st);
          return Response::NoContent();
        });
      }));
  return Status::Ok();
}

}  // namespace

Status RegisterBreakGlassApi(http::Router& router, BreakGlassApiDeps deps) {
  CP_RETURN_IF_ERROR(RegisterBreakGlass(router, deps));
  return RegisterBrokering(router, deps);
}

}  // namespace cp::api
