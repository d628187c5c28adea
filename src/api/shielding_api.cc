#include "api/shielding_api.h"

#include <boost/json.hpp>
#include <cctype>
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

Result<int64_t> ParseId(std::string_view text, std::string_view field) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return Status::InvalidArgument("must be a positive whole number", std::string(field));
  }
  return value;
}

json::value DateOrNull(const std::optional<Date>& d) {
  if (!d) return nullptr;
  return json::value(d->ToString());
}

json::value TimeOrNull(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(http::FormatUtcIso8601(*t));
}

Result<std::string> StringOr(const json::object& obj, std::string_view field) {
  CP_ASSIGN_OR_RETURN(std::optional<std::string> v, OptionalString(obj, field));
  return v.value_or("");
}

// Reads the optional Appendix 4 form.
Status ReadForm(const json::object& body, domain::ShieldForm& form) {
  const json::value* v = body.if_contains("form");
  if (v == nullptr || v->is_null()) return Status::Ok();
  if (!v->is_object()) return Status::InvalidArgument("must be an object", "form");
  const json::object& f = v->as_object();
  for (auto [field, target] :
       {std::pair{"requester_reference", &form.requester_reference},
        std::pair{"surname", &form.surname}, std::pair{"known_as_surname", &form.known_as_surname},
        std::pair{"forenames", &form.forenames}, std::pair{"date_of_birth", &form.date_of_birth},
        std::pair{"gender", &form.gender}, std::pair{"service_name", &form.service_name},
        std::pair{"caseworker", &form.caseworker}, std::pair{"service_phone", &form.service_phone},
        std::pair{"service_email", &form.service_email},
        std::pair{"office_decision", &form.office_decision},
        std::pair{"decided_by", &form.decided_by}, std::pair{"reviewer", &form.reviewer},
        std::pair{"review_when", &form.review_when}}) {
    auto value = OptionalString(f, field);
    if (!value.ok()) {
      return Status::InvalidArgument(value.status().message(), "form." + std::string(field));
    }
    if (*value) *target = **value;
  }
  auto addresses = OptionalStringArray(f, "recent_addresses");
  if (!addresses.ok()) {
    return Status::InvalidArgument(addresses.status().message(), "form.recent_addresses");
  }
  if (*addresses) form.recent_addresses = **addresses;
  return Status::Ok();
}

Result<workflow::ShieldInput> ReadShieldInput(const Request& request) {
  CP_ASSIGN_OR_RETURN(json::object body, ParseJsonObject(request.body()));
  workflow::ShieldInput in;
  in.uin = std::string(request.PathParam("uin"));
  CP_ASSIGN_OR_RETURN(auto criteria, OptionalStringArray(body, "criteria"));
  if (!criteria) return Status::InvalidArgument("is required (it may be empty)", "criteria");
  in.criteria = *criteria;
  CP_ASSIGN_OR_RETURN(in.category, StringOr(body, "category"));
  CP_ASSIGN_OR_RETURN(in.comments, StringOr(body, "comments"));
  if (const json::value* r = body.if_contains("requester"); r != nullptr && !r->is_null()) {
    if (!r->is_object()) return Status::InvalidArgument("must be an object", "requester");
    const json::object& o = r->as_object();
    for (auto [field, target] :
         {std::pair{"name", &in.requester.name}, std::pair{"contact", &in.requester.contact},
          std::pair{"relationship", &in.requester.relationship}}) {
      auto value = OptionalString(o, field);
      if (!value.ok()) {
        return Status::InvalidArgument(value.status().message(), "requester." + std::string(field));
      }
      if (*value) *target = **value;
    }
  }
  CP_ASSIGN_OR_RETURN(std::string channel, StringOr(body, "channel"));
  if (channel == "telephone") {
    in.telephone = true;
  } else if (!channel.empty() && channel != "online") {
    return Status::InvalidArgument("is 'online' or 'telephone'", "channel");
  }
  CP_ASSIGN_OR_RETURN(auto possible, OptionalBool(body, "possible_match"));
  in.possible_match = possible.value_or(false);
  CP_ASSIGN_OR_RETURN(auto created, OptionalBool(body, "new_record"));
  in.new_record = created.value_or(false);
  CP_RETURN_IF_ERROR(ReadForm(body, in.form));
  return in;
}

// The 422 of a request that meets no criterion (§3, §2.8).
Response RejectedResponse(int64_t id) {
  return Response::Json(
      json::object{{"error", "no_shielding_criteria"},
                   {"message",
                    "None of the shielding criteria applies, so the request was rejected and "
                    "logged. " +
                        std::string(domain::kObjectionInPrincipleNotice)},
                   {"field", "criteria"},
                   {"id", id},
                   {"log_action", domain::LogActionName(domain::LogAction::kRejected)},
                   {"log_action_code", static_cast<int>(domain::LogAction::kRejected)}},
      422);
}

Response OutcomeResponse(const workflow::ShieldOutcome& out) {
  if (out.status == domain::RequestStatus::kRejected) return RejectedResponse(out.request_id);
  if (out.status == domain::RequestStatus::kPending) {
    return Response::Json(
        json::object{{"id", out.request_id}, {"status", "pending"}, {"routed_to", out.routed_to}},
        202);
  }
  json::object body{{"id", out.request_id}, {"status", "active"}};
  if (out.log_action) {
    body["log_action"] = domain::LogActionName(*out.log_action);
    body["log_action_code"] = static_cast<int>(*out.log_action);
  }
  body["co_residents_shielded"] = out.co_residents_shielded;
  if (out.form_due) body["form_due"] = out.form_due->ToString();
  return Response::Json(body, 201);
}

json::object ReviewJson(const domain::Review& r, bool overdue) {
  json::array consulted;
  for (const auto& c : r.consulted) consulted.emplace_back(c);
  return {{"id", r.id},
          {"uin", r.child_uin},
          {"due", r.due.ToString()},
          {"overdue", overdue},
          {"completed_at", TimeOrNull(r.completed_at)},
          {"reviewer", r.reviewer},
          {"consulted", std::move(consulted)},
          {"outcome",
           r.outcome ? json::value(domain::ReviewOutcomeName(*r.outcome)) : json::value(nullptr)}};
}

json::object AppealJson(const domain::Appeal& a) {
  return {{"id", a.id},
          {"uin", a.child_uin},
          {"appellant", a.appellant},
          {"grounds", a.grounds},
          {"outcome", a.outcome.empty() ? json::value(nullptr) : json::value(a.outcome)},
          {"notes", a.notes},
          {"recorded_by", a.recorded_by},
          {"created_at", http::FormatUtcIso8601(a.created_at)},
          {"decided_at", TimeOrNull(a.decided_at)},
          {"decided_by", a.decided_by}};
}

json::array RequestsJson(const std::vector<domain::ShieldRequest>& requests) {
  json::array out;
  for (const auto& r : requests) out.emplace_back(ShieldRequestJson(r));
  return out;
}

std::string ContentTypeOf(const Request& request) {
  std::string_view ct = request.Header("Content-Type").value_or("");
  ct = ct.substr(0, ct.find(';'));
  while (!ct.empty() && ct.back() == ' ') ct.remove_suffix(1);
  std::string out(ct);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

json::object ShieldRequestJson(const domain::ShieldRequest& r) {
  json::array criteria;
  for (auto c : r.criteria) criteria.emplace_back(domain::ShieldCriterionName(c));
  std::string routed = r.routed_to.substr(0, r.routed_to.find(':'));
  return {{"id", r.id},
          {"uin", r.child_uin},
          {"status", domain::RequestStatusName(r.status)},
          {"source", domain::ShieldSourceName(r.source)},
          {"criteria", std::move(criteria)},
          {"category", r.category},
          {"requester",
           {{"name", r.requester.name},
            {"contact", r.requester.contact},
            {"relationship", r.requester.relationship}}},
          {"comments", r.comments},
          {"requested_by", r.requested_by},
          {"routed_to", routed},
          {"linked_uin", r.linked_uin},
          {"origin_request_id",
           r.origin_request_id == 0 ? json::value(nullptr) : json::value(r.origin_request_id)},
          {"telephone", r.telephone},
          {"form_due", DateOrNull(r.form_due)},
          {"form_received", DateOrNull(r.form_received)},
          {"created_at", http::FormatUtcIso8601(r.created_at)},
          {"decided_at", TimeOrNull(r.decided_at)},
          {"decided_by", r.decided_by}};
}

json::object LogEntryJson(const domain::LogEntry& e) {
  return {{"id", e.id},
          {"uin", e.uin},
          {"action", static_cast<int>(e.action)},
          {"category", e.category},
          {"date", e.date.ToString()},
          {"requester_contact", e.requester_contact},
          {"relationship", e.relationship},
          {"confirmation_sent", DateOrNull(e.confirmation_sent)},
          {"comments", e.comments}};
}

Status RegisterShieldingApi(http::Router& router, ShieldingApiDeps deps) {
  Gate& gate = deps.gate;
  workflow::ShieldingService& svc = deps.shielding;

  // --- Reference data (any signed-in user) ------------------------------------------------
  CP_RETURN_IF_ERROR(router.Get("/api/v1/shield-categories", [&gate](const Request& request) {
    return WithActor(gate, request, [](const Actor&) {
      json::array out;
      for (const auto& c : domain::AllShieldCategories()) {
        out.emplace_back(json::object{{"code", c.code}, {"label", c.label}});
      }
      return Response::Json(out);
    });
  }));
  CP_RETURN_IF_ERROR(router.Get("/api/v1/shield-criteria", [&gate](const Request& request) {
    return WithActor(gate, request, [](const Actor&) {
      json::array criteria;
      for (const auto& c : domain::AllShieldCriteria()) {
        criteria.emplace_back(json::object{{"code", c.code}, {"question", c.question}});
      }
      return Response::Json(json::object{{"criteria", std::move(criteria)},
                                         {"notice", domain::kObjectionInPrincipleNotice}});
    });
  }));

  // --- Requests -----------------------------------------------------------------------------
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/children/{uin}/shields", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto input = ReadShieldInput(request);
          if (!input.ok()) return http::ErrorResponse(input.status());
          auto out = svc.RequestShield(actor, *input);
          if (!out.ok()) return http::ErrorResponse(out.status());
          return OutcomeResponse(*out);
        });
      }));
  CP_RETURN_IF_ERROR(
      router.Get("/api/v1/children/{uin}/shields", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto list = svc.RequestsForRecord(actor, std::string(request.PathParam("uin")));
          if (!list.ok()) return http::ErrorResponse(list.status());
          return Response::Json(RequestsJson(*list));
        });
      }));
  CP_RETURN_IF_ERROR(
      router.Delete("/api/v1/children/{uin}/shields/{id}", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto id = ParseId(request.PathParam("id"), "id");
          if (!id.ok()) return http::ErrorResponse(id.status());
          Status st = svc.Withdraw(actor, std::string(request.PathParam("uin")), *id);
          if (!st.ok()) return http::ErrorResponse(st);
          return Response::NoContent();
        });
      }));
  CP_RETURN_IF_ERROR(router.Post("/api/v1/children/{uin}/unshield", [&gate,
                                                                     &svc](const Request& request) {
    return WithActor(gate, request, [&](const Actor& actor) {
      std::string uin(request.PathParam("uin"));
      Status st = svc.Unshield(actor, uin);
      if (st.code() == StatusCode::kFailedPrecondition &&
          st.message() == "active_shield_requests") {
        return Response::Json(
            json::object{{"error", "active_shield_requests"},
                         {"message",
                          "The record cannot be unshielded while a shielding request is active. "
                          "Each requester must withdraw their request first."}},
            409);
      }
      if (!st.ok()) return http::ErrorResponse(st);
      return Response::Json(json::object{{"uin", uin}, {"shielded", false}});
    });
  }));
  CP_RETURN_IF_ERROR(router.Post("/api/v1/children/{uin}/possible-duplicate-of/{other_uin}",
                                 [&gate, &svc](const Request& request) {
                                   return WithActor(gate, request, [&](const Actor& actor) {
                                     auto out = svc.ShieldPossibleDuplicate(
                                         actor, std::string(request.PathParam("uin")),
                                         std::string(request.PathParam("other_uin")));
                                     if (!out.ok()) return http::ErrorResponse(out.status());
                                     return OutcomeResponse(*out);
                                   });
                                 }));
  CP_RETURN_IF_ERROR(router.Get("/api/v1/shield-requests", [&gate, &svc](const Request& request) {
    return WithActor(gate, request, [&](const Actor& actor) {
      auto lists = svc.Requests(actor);
      if (!lists.ok()) return http::ErrorResponse(lists.status());
      return Response::Json(
          json::object{{"own", RequestsJson(lists->own)},
                       {"awaiting_decision", RequestsJson(lists->awaiting_decision)}});
    });
  }));
  for (const char* verb : {"approve", "reject"}) {
    const bool approve = std::string_view(verb) == "approve";
    CP_RETURN_IF_ERROR(
        router.Post("/api/v1/shield-requests/{id}/" + std::string(verb),
                    [&gate, &svc, approve](const Request& request) {
                      return WithActor(gate, request, [&](const Actor& actor) {
                        auto id = ParseId(request.PathParam("id"), "id");
                        if (!id.ok()) return http::ErrorResponse(id.status());
                        std::string note;
                        if (!request.body().empty()) {
                          auto body = ParseJsonObject(request.body());
                          if (!body.ok()) return http::ErrorResponse(body.status());
                          auto n = StringOr(*body, "note");
                          if (!n.ok()) return http::ErrorResponse(n.status());
                          note = *n;
                        }
                        if (approve) {
                          auto out = svc.Approve(actor, *id, note);
                          if (!out.ok()) return http::ErrorResponse(out.status());
                          return OutcomeResponse(*out);
                        }
                        Status st = svc.Reject(actor, *id, note);
                        if (!st.ok()) return http::ErrorResponse(st);
                        return Response::Json(json::object{
                            {"id", *id},
                            {"status", "rejected"},
                            {"log_action", domain::LogActionName(domain::LogAction::kRejected)}});
                      });
                    }));
  }
  CP_RETURN_IF_ERROR(router.Post(
      "/api/v1/shield-requests/{id}/form-received", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto id = ParseId(request.PathParam("id"), "id");
          if (!id.ok()) return http::ErrorResponse(id.status());
          Status st = svc.FormReceived(actor, *id);
          if (!st.ok()) return http::ErrorResponse(st);
          return Response::Json(json::object{{"id", *id}, {"form_received", true}});
        });
      }));

  // --- Documents ------------------------------------------------------------------------------
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/shield-requests/{id}/documents", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto id = ParseId(request.PathParam("id"), "id");
          if (!id.ok()) return http::ErrorResponse(id.status());
          auto doc = svc.AddDocument(actor, *id, ContentTypeOf(request), request.body());
          if (!doc.ok()) return http::ErrorResponse(doc.status());
          return Response::Json(json::object{{"id", *doc}}, 201);
        });
      }));
  CP_RETURN_IF_ERROR(
      router.Get("/api/v1/shield-requests/{id}/documents", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto id = ParseId(request.PathParam("id"), "id");
          if (!id.ok()) return http::ErrorResponse(id.status());
          auto docs = svc.Documents(actor, *id);
          if (!docs.ok()) return http::ErrorResponse(docs.status());
          json::array out;
          for (const auto& d : *docs) {
            out.emplace_back(json::object{{"id", d.id},
                                          {"content_type", d.content_type},
                                          {"size", d.size},
                                          {"uploaded_by", d.uploaded_by},
                                          {"uploaded_at", http::FormatUtcIso8601(d.uploaded_at)}});
          }
          return Response::Json(out);
        });
      }));
  CP_RETURN_IF_ERROR(router.Get(
      "/api/v1/shield-requests/{id}/documents/{doc_id}", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto id = ParseId(request.PathParam("id"), "id");
          if (!id.ok()) return http::ErrorResponse(id.status());
          auto doc_id = ParseId(request.PathParam("doc_id"), "doc_id");
          if (!doc_id.ok()) return http::ErrorResponse(doc_id.status());
          auto doc = svc.ReadDocument(actor, *id, *doc_id);
          if (!doc.ok()) return http::ErrorResponse(doc.status());
          Response response(200);
          response.set_content_type(doc->info.content_type);
          response.headers().Set("Content-Disposition",
                                 "attachment; filename=\"document-" + std::to_string(*doc_id) +
                                     (doc->info.content_type == "application/pdf" ? ".pdf"
                                      : doc->info.content_type == "image/png"     ? ".png"
                                                                                  : ".jpg") +
                                     "\"");
          response.set_body(std::move(doc->bytes));
          return response;
        });
      }));

  // --- Reviews ----------------------------------------------------------------------------------
  CP_RETURN_IF_ERROR(router.Post("/api/v1/children/{uin}/reviews", [&gate,
                                                                    &svc](const Request& request) {
    return WithActor(gate, request, [&](const Actor& actor) {
      auto body = ParseJsonObject(request.body());
      if (!body.ok()) return http::ErrorResponse(body.status());
      workflow::ReviewInput input;
      if (const json::value* c = body->if_contains("consulted"); c != nullptr && !c->is_null()) {
        if (!c->is_array()) {
          return http::ErrorResponse(Status::InvalidArgument("must be an array", "consulted"));
        }
        for (const json::value& item : c->as_array()) {
          if (item.is_string()) {
            input.consulted.emplace_back(item.as_string());
          } else if (item.is_int64()) {
            input.consulted.push_back(std::to_string(item.as_int64()));
          } else {
            return http::ErrorResponse(
                Status::InvalidArgument("must hold request ids or names", "consulted"));
          }
        }
      }
      auto outcome = StringOr(*body, "outcome");
      auto notes = StringOr(*body, "notes");
      if (!outcome.ok()) return http::ErrorResponse(outcome.status());
      if (!notes.ok()) return http::ErrorResponse(notes.status());
      input.outcome = *outcome;
      input.notes = *notes;
      auto next = svc.RecordReview(actor, std::string(request.PathParam("uin")), input);
      if (!next.ok()) return http::ErrorResponse(next.status());
      return Response::Json(json::object{{"next_review", ReviewJson(*next, false)}}, 201);
    });
  }));
  CP_RETURN_IF_ERROR(router.Get("/api/v1/reviews", [&gate, &svc](const Request& request) {
    return WithActor(gate, request, [&](const Actor& actor) {
      std::string_view status = request.Query("status").value_or("all");
      workflow::ReviewFilter filter = workflow::ReviewFilter::kAllOpen;
      if (status == "due") {
        filter = workflow::ReviewFilter::kDue;
      } else if (status == "overdue") {
        filter = workflow::ReviewFilter::kOverdue;
      } else if (status != "all") {
        return http::ErrorResponse(
            Status::InvalidArgument("is 'due', 'overdue' or 'all'", "status"));
      }
      auto reviews = svc.Reviews(actor, filter);
      if (!reviews.ok()) return http::ErrorResponse(reviews.status());
      json::array out;
      for (const auto& item : *reviews) out.emplace_back(ReviewJson(item.review, item.overdue));
      return Response::Json(out);
    });
  }));

  // --- Appeals ----------------------------------------------------------------------------------
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/children/{uin}/appeals", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          auto appellant = StringOr(*body, "appellant");
          auto grounds = StringOr(*body, "grounds");
          if (!appellant.ok()) return http::ErrorResponse(appellant.status());
          if (!grounds.ok()) return http::ErrorResponse(grounds.status());
          auto id =
              svc.RecordAppeal(actor, std::string(request.PathParam("uin")), *appellant, *grounds);
          if (!id.ok()) return http::ErrorResponse(id.status());
          return Response::Json(json::object{{"id", *id}}, 201);
        });
      }));
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/appeals/{id}/outcome", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto id = ParseId(request.PathParam("id"), "id");
          if (!id.ok()) return http::ErrorResponse(id.status());
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          auto outcome = StringOr(*body, "outcome");
          auto notes = StringOr(*body, "notes");
          if (!outcome.ok()) return http::ErrorResponse(outcome.status());
          if (!notes.ok()) return http::ErrorResponse(notes.status());
          Status st = svc.DecideAppeal(actor, *id, *outcome, *notes);
          if (!st.ok()) return http::ErrorResponse(st);
          return Response::Json(json::object{{"id", *id}, {"outcome", *outcome}});
        });
      }));
  CP_RETURN_IF_ERROR(router.Get("/api/v1/appeals", [&gate, &svc](const Request& request) {
    return WithActor(gate, request, [&](const Actor& actor) {
      auto appeals = svc.Appeals(actor);
      if (!appeals.ok()) return http::ErrorResponse(appeals.status());
      json::array out;
      for (const auto& a : *appeals) out.emplace_back(AppealJson(a));
      return Response::Json(out);
    });
  }));

  // --- The shielding log, reports, notifications ------------------------------------------------
  CP_RETURN_IF_ERROR(router.Get("/api/v1/shielding-log", [&gate, &svc](const Request& request) {
    return WithActor(gate, request, [&](const Actor& actor) {
      std::string_view format = request.Query("format").value_or("json");
      if (format == "csv") {
        auto csv = svc.LogCsv(actor);
        if (!csv.ok()) return http::ErrorResponse(csv.status());
        Response response(200);
        response.set_content_type("text/csv; charset=utf-8");
        response.headers().Set("Content-Disposition", "attachment; filename=\"shielding-log.csv\"");
        response.set_body(std::move(*csv));
        return response;
      }
      if (format != "json") {
        return http::ErrorResponse(Status::InvalidArgument("is 'json' or 'csv'", "format"));
      }
      auto log = svc.Log(actor);
      if (!log.ok()) return http::ErrorResponse(log.status());
      json::array out;
      for (const auto& e : *log) out.emplace_back(LogEntryJson(e));
      return Response::Json(out);
    });
  }));
  CP_RETURN_IF_ERROR(router.Post(
      "/api/v1/shielding-log/{id}/confirmation-sent", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto id = ParseId(request.PathParam("id"), "id");
          if (!id.ok()) return http::ErrorResponse(id.status());
          std::optional<Date> date;
          if (!request.body().empty()) {
            auto body = ParseJsonObject(request.body());
            if (!body.ok()) return http::ErrorResponse(body.status());
            auto text = StringOr(*body, "date");
            if (!text.ok()) return http::ErrorResponse(text.status());
            if (!text->empty()) {
              auto parsed = Date::Parse(*text, "date");
              if (!parsed.ok()) return http::ErrorResponse(parsed.status());
              date = *parsed;
            }
          }
          Status st = svc.MarkConfirmationSent(actor, *id, date);
          if (!st.ok()) return http::ErrorResponse(st);
          return Response::Json(json::object{{"id", *id}, {"confirmation_sent", true}});
        });
      }));
  CP_RETURN_IF_ERROR(
      router.Get("/api/v1/shielding-reports/requests", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto report = svc.SubmittedRequestsReport(actor);
          if (!report.ok()) return http::ErrorResponse(report.status());
          return Response::Json(RequestsJson(*report));
        });
      }));
  CP_RETURN_IF_ERROR(router.Get("/api/v1/notifications", [&gate, &svc](const Request& request) {
    return WithActor(gate, request, [&](const Actor& actor) {
      auto notes = svc.Notifications(actor);
      if (!notes.ok()) return http::ErrorResponse(notes.status());
      json::array out;
      for (const auto& n : *notes) {
        out.emplace_back(json::object{{"id", n.id},
                                      {"kind", n.kind},
                                      {"text", n.text},
                                      {"uin", n.child_uin},
                                      {"request_id", n.request_id},
                                      {"created_at", http::FormatUtcIso8601(n.created_at)}});
      }
      return Response::Json(out);
    });
  }));
  return Status::Ok();
}

}  // namespace cp::api
