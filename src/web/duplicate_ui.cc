#include "web/duplicate_ui.h"

#include <cstdio>
#include <memory>

#include "http/logger.h"
#include "web/duplicate_pages.h"
#include "web/page_kit.h"

namespace cp::web {
namespace {

using http::Request;
using http::Response;
using identity::Principal;

std::string FormatWeight(double w) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", w);
  return buffer;
}

DuplicateRow RowOf(const workflow::DuplicatePair& p) {
  return {p.id,
          p.record_uin,
          p.other_uin,
          std::string(domain::DuplicateStatusName(p.status)),
          p.source,
          FormatWeight(p.weight),
          http::FormatUtcIso8601(p.created_at),
          p.shielded};
}

// The sentence for a decision the state no longer allows, or "" for other failures.
std::string RefusalText(const Status& s) {
  const std::string& m = s.message();
  if (m == "already_decided") return "This pair has already been decided.";
  if (m == "already_undone") return "This merge has already been undone.";
  if (m == "record_merged") {
    return "One of these records has since been merged into another record.";
  }
  if (m == "survivor_merged_again") {
    return "The merged record has since been merged again. Undo that merge first.";
  }
  if (s.code() == StatusCode::kConflict) {
    return "One of the records was changed by someone else. Check them and try again.";
  }
  return "";
}

class DuplicateUi {
 public:
  explicit DuplicateUi(DuplicateUiDeps deps)
      : d_(deps), kit_(deps.gate, deps.idle_seconds, deps.warn_seconds, deps.grants) {}

  Response List(const Request& request) {
    return kit_.Guarded(request, policy::Permission::kManageShielding,
                        [&](const Principal& p, const PageContext& ctx, const FormData&) {
                          DuplicateListView view;
                          view.filter = std::string(request.Query("status").value_or("open"));
                          std::optional<domain::DuplicateStatus> status;
                          if (view.filter != "all") {
                            status = domain::ParseDuplicateStatus(view.filter);
                            if (!status)
                              return PageKit::Failure(ctx, Status::InvalidArgument("status"));
                          }
                          auto pairs = d_.duplicates.List(api::Gate::ActorFor(p, request), status);
                          if (!pairs.ok()) return PageKit::Failure(ctx, pairs.status());
                          for (const auto& pair : *pairs) view.rows.push_back(RowOf(pair));
                          return PageKit::Page(RenderDuplicateListPage(ctx, view));
                        });
  }

  Response Detail(const Request& request) {
    return kit_.Guarded(request, policy::Permission::kManageShielding,
                        [&](const Principal& p, const PageContext& ctx, const FormData&) {
                          return Show(p, ctx, request, "", 200);
                        });
  }

  enum class Decision { kConfirm, kReject, kUndo };

  Response Decide(const Request& request, Decision decision) {
    return kit_.Guarded(
        request, policy::Permission::kManageShielding,
        [&](const Principal& p, const PageContext& ctx, const FormData&) {
          auto id = PageKit::PathId(request);
          if (!id.ok()) return PageKit::Failure(ctx, id.status());
          const workflow::Actor actor = api::Gate::ActorFor(p, request);
          Status st;
          switch (decision) {
            case Decision::kConfirm:
              st = d_.duplicates.Confirm(actor, *id).status();
              break;
            case Decision::kReject:
              st = d_.duplicates.Reject(actor, *id);
              break;
            case Decision::kUndo: {
              auto detail = d_.duplicates.Get(actor, *id);
              if (!detail.ok()) return PageKit::Failure(ctx, detail.status());
              if (detail->pair.live_merge_id == 0) {
                st = Status::Conflict("already_undone");
              } else {
                st = d_.duplicates.Undo(actor, detail->pair.live_merge_id).status();
              }
              break;
            }
          }
          if (st.ok()) return Response::Redirect("/management/duplicates/" + std::to_string(*id));
          const std::string refusal = RefusalText(st);
          if (refusal.empty()) return PageKit::Failure(ctx, st);
          return Show(p, ctx, request, refusal,
                      st.code() == StatusCode::kFailedPrecondition ? 422 : 409);
        });
  }

 private:
  Response Show(const Principal& p, const PageContext& ctx, const Request& request,
                const std::string& error, int status) {
    auto id = PageKit::PathId(request);
    if (!id.ok()) return PageKit::Failure(ctx, id.status());
    auto detail = d_.duplicates.Get(api::Gate::ActorFor(p, request), *id);
    if (!detail.ok()) return PageKit::Failure(ctx, detail.status());
    DuplicateDetailView view;
    view.pair = RowOf(detail->pair);
    view.record = detail->record;
    view.other = detail->other;
    view.merge_id = detail->pair.live_merge_id;
    view.error = error;
    return PageKit::Page(RenderDuplicateDetailPage(ctx, view), status);
  }

  DuplicateUiDeps d_;
  PageKit kit_;
};

}  // namespace

Status RegisterDuplicateUi(http::Router& router, DuplicateUiDeps deps) {
  auto ui = std::make_shared<DuplicateUi>(deps);
  CP_RETURN_IF_ERROR(
      router.Get("/management/duplicates", [ui](const Request& r) { return ui->List(r); }));
  CP_RETURN_IF_ERROR(
      router.Get("/management/duplicates/{id}", [ui](const Request& r) { return ui->Detail(r); }));
  CP_RETURN_IF_ERROR(router.Post("/management/duplicates/{id}/confirm", [ui](const Request& r) {
    return ui->Decide(r, DuplicateUi::Decision::kConfirm);
  }));
  CP_RETURN_IF_ERROR(router.Post("/management/duplicates/{id}/reject", [ui](const Request& r) {
    return ui->Decide(r, DuplicateUi::Decision::kReject);
  }));
  CP_RETURN_IF_ERROR(router.Post("/management/duplicates/{id}/undo", [ui](const Request& r) {
    return ui->Decide(r, DuplicateUi::Decision::kUndo);
  }));
  return Status::Ok();
}

}  // namespace cp::web
