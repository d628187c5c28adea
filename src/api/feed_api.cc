#include "api/feed_api.h"

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "http/errors.h"

namespace cp::api {

namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

// The source the bearer token is limited to; Unauthenticated otherwise.
Result<workflow::FeedSource> Authenticate(workflow::FeedTokens& tokens, const Request& request) {
  const auto header = request.Header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!header || header->size() <= kBearer.size() || header->substr(0, kBearer.size()) != kBearer) {
    return Status::Unauthenticated("Send the source's API token as Authorization: Bearer TOKEN");
  }
  return tokens.Authenticate(std::string(header->substr(kBearer.size())));
}

Response Refuse(const Status& status) {
  Response r = http::ErrorResponse(status);
  if (status.code() == StatusCode::kUnauthenticated) {
    r.headers().Set("WWW-Authenticate", "Bearer realm=\"contactpoint-feeds\"");
  }
  return r;
}

workflow::Actor FeedActor(const workflow::FeedSource& source, const Request& request) {
  workflow::Actor actor;
  actor.username = "feed:" + source.code;
  actor.organisation_code = source.code;
  actor.authority = source.authority;
  actor.roles.Add(domain::Role::kDataSource);
  actor.request_id = request.request_id();
  actor.client_address = request.client_ip();
  return actor;
}

// The rows of the body: an array, or {"source": ..., `list_field`: [...]}. PermissionDenied
// if the body names a source other than the token's.
Result<json::array> RowsOf(const Request& request, const workflow::FeedSource& source,
                           std::string_view list_field) {
  boost::system::error_code ec;
  json::value body = json::parse(request.body(), ec);
  if (ec) return Status::InvalidArgument("The body must be JSON", "body");
  if (body.is_object()) {
    json::object& o = body.as_object();
    for (const auto& [key, value] : o) {
      if (key != "source" && key != list_field) {
        return Status::InvalidArgument("Unknown field", std::string(key));
      }
    }
    if (const json::value* s = o.if_contains("source")) {
      if (!s->is_string()) return Status::InvalidArgument("Must be a string", "source");
      if (std::string_view(s->as_string()) != source.code) {
        return Status::PermissionDenied("This token is limited to another source");
      }
    }
    json::value* list = o.if_contains(list_field);
    if (list == nullptr || !list->is_array()) {
      return Status::InvalidArgument("Must be an array", std::string(list_field));
    }
    body = std::move(*list);
  }
  if (!body.is_array()) return Status::InvalidArgument("The body must be a JSON array", "body");
  if (body.as_array().size() > kMaxFeedRows) {
    return Status::InvalidArgument("At most 10000 rows per request", "body");
  }
  return std::move(body.as_array());
}

// Copies a row object's string fields through `field_of` (nullptr: outside the closed list).
template <typename Row, typename FieldOf>
Result<std::vector<Row>> ReadRows(const json::array& rows, FieldOf field_of) {
  std::vector<Row> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    if (!rows[i].is_object()) return Status::InvalidArgument("Each row must be an object", at);
    Row row;
    for (const auto& [key, value] : rows[i].as_object()) {
      std::string* field = field_of(row, std::string_view(key));
      if (field == nullptr) {
        return Status::InvalidArgument("Not an item ContactPoint may hold",
                                       at + "." + std::string(key));
      }
      if (value.is_string()) {
        *field = std::string(value.as_string());
      } else if (value.is_bool()) {
        *field = value.as_bool() ? "true" : "false";
      } else if (!value.is_null()) {
        return Status::InvalidArgument("Must be a string", at + "." + std::string(key));
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

Response ResultsResponse(const std::vector<workflow::RowResult>& results,
                         const workflow::ImportCounts& counts) {
  json::array list;
  list.reserve(results.size());
  for (const auto& r : results) {
    list.push_back(json::object{{"source_ref", r.source_ref},
                                {"outcome", workflow::RowOutcomeName(r.outcome)},
                                {"uin", r.uin},
                                {"reason", r.reason}});
  }
  json::object c{{"created", counts.created},   {"updated", counts.updated},
                 {"matched", counts.matched},   {"possible_duplicate", counts.possible_duplicate},
                 {"rejected", counts.rejected}, {"unchanged", counts.unchanged}};
  return Response::Json(json::object{{"results", std::move(list)}, {"counts", std::move(c)}});
}

}  // namespace

Status RegisterFeedApi(http::Router& router, FeedApiDeps deps) {
  workflow::FeedTokens& tokens = deps.tokens;
  workflow::FeedImporter& importer = deps.importer;
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/feeds/records", [&tokens, &importer](const Request& request) {
        auto source = Authenticate(tokens, request);
        if (!source.ok()) return Refuse(source.status());
        auto list = RowsOf(request, *source, "records");
        if (!list.ok()) return Refuse(list.status());
        auto rows =
            ReadRows<workflow::FeedRow>(*list, [](workflow::FeedRow& row, std::string_view key) {
              return workflow::FeedField(row, key);
            });
        if (!rows.ok()) return Refuse(rows.status());
        std::vector<workflow::RowResult> results;
        auto counts = importer.ImportRecords(FeedActor(*source, request), *source, *rows, results);
        if (!counts.ok()) return Refuse(counts.status());
        return ResultsResponse(results, *counts);
      }));
  CP_RETURN_IF_ERROR(router.Post("/api/v1/feeds/involvements", [&tokens,
                                                                &importer](const Request& request) {
    auto source = Authenticate(tokens, request);
    if (!source.ok()) return Refuse(source.status());
    auto list = RowsOf(request, *source, "involvements");
    if (!list.ok()) return Refuse(list.status());
    auto rows = ReadRows<workflow::InvolvementRow>(
        *list, [](workflow::InvolvementRow& row, std::string_view key) {
          return workflow::InvolvementField(row, key);
        });
    if (!rows.ok()) return Refuse(rows.status());
    std::vector<workflow::RowResult> results;
    auto counts = importer.ImportInvolvements(FeedActor(*source, request), *source, *rows, results);
    if (!counts.ok()) return Refuse(counts.status());
    return ResultsResponse(results, *counts);
  }));
  return Status::Ok();
}

}  // namespace cp::api
