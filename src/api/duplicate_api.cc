#include "api/duplicate_api.h"

#include <boost/json.hpp>
#include <charconv>

#include "api/directory_api.h"
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

// State refusals carry their machine-readable reason as the error code: "already_decided",
// "already_undone" (409), "record_merged", "survivor_merged_again" (422).
Response ErrorOf(const Status& s) {
  if (s.code() == StatusCode::kConflict || s.code() == StatusCode::kFailedPrecondition) {
    const std::string& m = s.message();
    if (m == "already_decided" || m == "already_undone" || m == "record_merged" ||
        m == "survivor_merged_again") {
      return http::ErrorResponse(s, m);
    }
  }
  return http::ErrorResponse(s);
}

json::value TimeOrNull(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(http::FormatUtcIso8601(*t));
}

json::object PairJson(const workflow::DuplicatePair& p) {
  json::object out{{"id", p.id},
                   {"record_uin", p.record_uin},
                   {"other_uin", p.other_uin},
                   {"status", domain::DuplicateStatusName(p.status)},
                   {"weight", p.weight},
                   {"source", p.source},
                   {"created_at", http::FormatUtcIso8601(p.created_at)},
                   {"decided_by", p.decided_by},
                   {"decided_at", TimeOrNull(p.decided_at)},
                   {"shielded", p.shielded},
                   {"record_merged_away", p.record_merged_away},
                   {"closed_reason", p.closed_reason}};
  out["merge_id"] = p.live_merge_id > 0 ? json::value(p.live_merge_id) : json::value(nullptr);
  return out;
}

json::object MergeJson(const workflow::MergeOutcome& m) {
  return json::object{{"merge_id", m.merge_id},
                      {"survivor_uin", m.survivor_uin},
                      {"absorbed_uin", m.absorbed_uin},
                      {"shielded", m.shielded},
                      {"requests_moved", m.requests_moved}};
}

}  // namespace

Status RegisterDuplicateApi(http::Router& router, DuplicateApiDeps deps) {
  Gate& gate = deps.gate;
  workflow::DuplicateService& svc = deps.duplicates;
  CP_RETURN_IF_ERROR(
      router.Get("/api/v1/possible-duplicates", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          std::optional<domain::DuplicateStatus> status = domain::DuplicateStatus::kOpen;
          if (auto q = request.Query("status")) {
            if (*q == "all") {
              status.reset();
            } else {
              status = domain::ParseDuplicateStatus(*q);
              if (!status) {
                return http::ErrorResponse(Status::InvalidArgument(
                    "is 'open', 'confirmed', 'rejected' or 'all'", "status"));
              }
            }
          }
          auto pairs = svc.List(actor, status);
          if (!pairs.ok()) return ErrorOf(pairs.status());
          json::array list;
          for (const auto& p : *pairs) list.push_back(PairJson(p));
          const size_t count = list.size();
          return Response::Json(
              json::object{{"possible_duplicates", std::move(list)}, {"count", count}});
        });
      }));
  CP_RETURN_IF_ERROR(
      router.Get("/api/v1/possible-duplicates/{id}", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto id = PathId(request);
          if (!id.ok()) return http::ErrorResponse(id.status());
          auto detail = svc.Get(actor, *id);
          if (!detail.ok()) return ErrorOf(detail.status());
          json::object out = PairJson(detail->pair);
          out["record"] =
              detail->record ? json::value(ChildViewJson(*detail->record)) : json::value(nullptr);
          out["other"] =
              detail->other ? json::value(ChildViewJson(*detail->other)) : json::value(nullptr);
          return Response::Json(out);
        });
      }));
  CP_RETURN_IF_ERROR(router.Post("/api/v1/possible-duplicates/{id}/confirm",
                                 [&gate, &svc](const Request& request) {
                                   return WithActor(gate, request, [&](const Actor& actor) {
                                     auto id = PathId(request);
                                     if (!id.ok()) return http::ErrorResponse(id.status());
                                     auto merged = svc.Confirm(actor, *id);
                                     if (!merged.ok()) return ErrorOf(merged.status());
                                     return Response::Json(MergeJson(*merged));
                                   });
                                 }));
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/possible-duplicates/{id}/reject", [&gate, &svc](const Request& request) {
        return WithActor(gate, request, [&](const Actor& actor) {
          auto id = PathId(request);
          if (!id.ok()) return http::ErrorResponse(id.status());
          Status st = svc.Reject(actor, *id);
          if (!st.ok()) return ErrorOf(st);
          return Response::Json(json::object{{"id", *id}, {"status", "rejected"}});
        });
      }));
  CP_RETURN_IF_ERROR(router.Post("/api/v1/merges/{id}/undo", [&gate, &svc](const Request& request) {
    return WithActor(gate, request, [&](const Actor& actor) {
      auto id = PathId(request);
      if (!id.ok()) return http::ErrorResponse(id.status());
      auto undone = svc.Undo(actor, *id);
      if (!undone.ok()) return ErrorOf(undone.status());
      json::object out = MergeJson(*undone);
      out["undone"] = true;
      return Response::Json(out);
    });
  }));
  return Status::Ok();
}

}  // namespace cp::api
