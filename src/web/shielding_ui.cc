#include "web/shielding_ui.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/shielding.h"
#include "domain/uin.h"
#include "http/logger.h"
#include "policy/rbac.h"
#include "web/directory_pages.h"
#include "web/multipart.h"
#include "web/shielding_pages.h"

namespace cp::web {
namespace {

using http::Request;
using http::Response;
using identity::Principal;
using policy::Permission;

// A positive decimal id from a path segment, or nullopt.
std::optional<int64_t> ParseId(std::string_view text) {
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string CriteriaText(const std::vector<domain::ShieldCriterion>& criteria) {
  std::string out;
  for (auto c : criteria) {
    if (!out.empty()) out += ", ";
    out += domain::ShieldCriterionName(c);
  }
  return out;
}

RequestRow RowOf(const domain::ShieldRequest& r) {
  return {r.id,
          r.child_uin,
          std::string(domain::RequestStatusName(r.status)),
          CriteriaText(r.criteria),
          r.category,
          r.requested_by,
          http::FormatUtcIso8601(r.created_at)};
}

// Lines of a textarea, trimmed, without blank ones.
std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t end = text.find_first_of("\r\n");
    std::string line = Trimmed(text.substr(0, end));
    if (!line.empty()) out.push_back(std::move(line));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return out;
}

Appendix4View ViewOf(const domain::ShieldForm& f) {
  Appendix4View v;
  v.reference = f.requester_reference;
  v.surname = f.surname;
  v.known_as_surname = f.known_as_surname;
  v.forenames = f.forenames;
  v.date_of_birth = f.date_of_birth;
  v.gender = f.gender;
  for (const std::string& a : f.recent_addresses) {
    if (!v.addresses.empty()) v.addresses += '\n';
    v.addresses += a;
  }
  v.service = f.service_name;
  v.caseworker = f.caseworker;
  v.service_phone = f.service_phone;
  v.service_email = f.service_email;
  v.office_decision = f.office_decision;
  v.decided_by = f.decided_by;
  v.reviewer = f.reviewer;
  v.review_when = f.review_when;
  return v;
}

// The telephone form's field for a service error's field name ("" when it has none).
std::string TelephoneFieldFor(std::string_view field) {
  static const std::map<std::string, std::string, std::less<>> kFields = {
      {"uin", "uin"},
      {"criteria", "criteria"},
      {"category", "category"},
      {"requester.name", "requester_name"},
      {"requester.contact", "requester_contact"},
      {"requester.relationship", "requester_relationship"},
      {"comments", "comments"},
      {"form.requester_reference", "form_reference"},
      {"form.surname", "form_surname"},
      {"form.known_as_surname", "form_known_as_surname"},
      {"form.forenames", "form_forenames"},
      {"form.date_of_birth", "form_date_of_birth"},
      {"form.gender", "form_gender"},
      {"form.recent_addresses", "form_addresses"},
      {"form.service_name", "form_service"},
      {"form.caseworker", "form_caseworker"},
      {"form.service_phone", "form_service_phone"},
      {"form.service_email", "form_service_email"},
      {"form.office_decision", "form_office_decision"},
      {"form.decided_by", "form_decided_by"},
      {"form.reviewer", "form_reviewer"},
      {"form.review_when", "form_review_when"}};
  auto it = kFields.find(field);
  return it == kFields.end() ? std::string() : it->second;
}

constexpr std::string_view kUinHint = "Enter a UIN of 4 groups of characters, like 4PX2 8KQJ 7M3T";

class ShieldingUi {
 public:
  ShieldingUi(const WebUiDeps& deps, ShieldingUiHooks hooks) : d_(deps), h_(std::move(hooks)) {}

  // ---- The user's own requests and the named person's decisions ------------------------------

  Response MyRequests(const Request& request) {
    return h_.guarded(request, Permission::kRequestShield,
                      [&](const Principal& p, PageContext& ctx, const FormData&) {
                        auto lists = d_.shielding.Requests(api::Gate::ActorFor(p, request));
                        if (!lists.ok()) return h_.failure_page(ctx, lists.status());
                        MyShieldRequestsView view;
                        for (const auto& r : lists->own) view.own.push_back(RowOf(r));
                        view.named_person =
                            p.user.roles.Has(domain::Role::kShielder) &&
                            policy::IsGranted(p.user.roles, Permission::kApplyShield);
                        for (const auto& r : lists->awaiting_decision) {
                          // Requests routed to management are decided on its desk.
                          if (r.status == domain::RequestStatus::kPending &&
                              r.routed_to.starts_with("organisation:")) {
                            view.awaiting.push_back(RowOf(r));
                          }
                        }
                        return Response::Html(RenderMyShieldRequestsPage(ctx, view).str(), 200);
                      });
  }

  Response NamedPersonDecision(const Request& request, bool approve) {
    return h_.guarded(
        request, Permission::kApplyShield,
        [&](const Principal& p, PageContext& ctx, const FormData&) {
          auto id = ParseId(request.PathParam("id"));
          if (!id) return h_.failure_page(ctx, Status::NotFound("request"));
          const workflow::Actor actor = api::Gate::ActorFor(p, request);
          Status st = approve ? d_.shielding.Approve(actor, *id, "").status()
                              : d_.shielding.Reject(actor, *id, "");
          if (st.code() == StatusCode::kFailedPrecondition || st.code() == StatusCode::kConflict) {
            // Someone else decided first: the list shows the current state.
            return h_.redirect_with_flash("/shield-requests", "request-decided");
          }
          if (!st.ok()) return h_.failure_page(ctx, st);
          return h_.redirect_with_flash("/shield-requests",
                                        approve ? "request-approved" : "request-rejected");
        });
  }
  Response NamedPersonApprove(const Request& r) { return NamedPersonDecision(r, true); }
  Response NamedPersonReject(const Request& r) { return NamedPersonDecision(r, false); }

  // ---- Withdrawing ---------------------------------------------------------------------------

  // The withdraw page's view, or the error page to show instead.
  std::variant<WithdrawView, Response> WithdrawViewFor(const Principal& p, const Request& request,
                                                       const PageContext& ctx) {
    auto uin = domain::Uin::Parse(request.PathParam("uin"));
    if (!uin.ok()) {
      return Response::Html(RenderBadUinPage(ctx, uin.status().message()).str(), 400);
    }
    auto id = ParseId(request.PathParam("id"));
    if (!id) return h_.failure_page(ctx, Status::NotFound("request"));
    auto found = d_.shielding.GetRequest(api::Gate::ActorFor(p, request), *id);
    if (!found.ok()) return h_.failure_page(ctx, found.status());
    if (found->child_uin != uin->str()) return h_.failure_page(ctx, Status::NotFound("request"));
    WithdrawView view;
    view.request = RowOf(*found);
    view.withdrawable = found->status == domain::RequestStatus::kPending ||
                        found->status == domain::RequestStatus::kActive;
    return view;
  }

  Response WithdrawForm(const Request& request) {
    return h_.guarded(request, Permission::kRequestShield,
                      [&](const Principal& p, PageContext& ctx, const FormData&) {
                        auto view = WithdrawViewFor(p, request, ctx);
                        if (auto* r = std::get_if<Response>(&view)) return std::move(*r);
                        return Response::Html(
                            RenderWithdrawPage(ctx, std::get<WithdrawView>(view)).str(), 200);
                      });
  }

  Response PostWithdraw(const Request& request) {
    return h_.guarded(
        request, Permission::kRequestShield,
        [&](const Principal& p, PageContext& ctx, const FormData&) {
          auto view = WithdrawViewFor(p, request, ctx);
          if (auto* r = std::get_if<Response>(&view)) return std::move(*r);
          WithdrawView& v = std::get<WithdrawView>(view);
          Status st =
              d_.shielding.Withdraw(api::Gate::ActorFor(p, request), v.request.uin, v.request.id);
          if (st.code() == StatusCode::kFailedPrecondition) {
            v.withdrawable = false;
            v.errors[""] = "This request is no longer active, so it cannot be withdrawn";
            return Response::Html(RenderWithdrawPage(ctx, v).str(), 409);
          }
          if (!st.ok()) return h_.failure_page(ctx, st);
          // Management goes back to the record's review, where the unshield decision is.
          if (policy::IsGranted(p.user.roles, Permission::kManageShielding)) {
            return h_.redirect_with_flash(
                "/management/children/" + EncodePathSegment(v.request.uin) + "/review",
                "request-withdrawn");
          }
          return h_.redirect_with_flash("/shield-requests", "request-withdrawn");
        });
  }

  // ---- Telephone requests --------------------------------------------------------------------

  TelephoneRequestView NewTelephoneView() const {
    TelephoneRequestView view;
    const Date today = Date::FromTime(d_.clock.Now());
    view.today = today.ToString();
    view.form_due = domain::TelephoneFormDue(today).ToString();
    return view;
  }

  Response TelephoneForm(const Request& request) {
    return h_.guarded(request, Permission::kManageShielding,
                      [&](const Principal&, PageContext& ctx, const FormData&) {
                        TelephoneRequestView view = NewTelephoneView();
                        view.uin = std::string(request.Query("uin").value_or(""));
                        return Response::Html(RenderTelephoneRequestPage(ctx, view).str(), 200);
                      });
  }

  Response PostTelephone(const Request& request) {
    return h_.guarded(
        request, Permission::kManageShielding,
        [&](const Principal& p, PageContext& ctx, const FormData& form) {
          TelephoneRequestView view = NewTelephoneView();
          view.uin = Trimmed(form.Value("uin"));
          view.criteria = form.All("criteria");
          view.category = form.Value("category");
          view.requester_name = Trimmed(form.Value("requester_name"));
          view.requester_contact = Trimmed(form.Value("requester_contact"));
          view.requester_relationship = Trimmed(form.Value("requester_relationship"));
          view.comments = Trimmed(form.Value("comments"));
          view.form = ReadAppendix4Form(form);
          Appendix4View& f = view.form;

          auto uin = domain::Uin::Parse(view.uin);
          if (view.uin.empty()) {
            view.errors["uin"] = "Enter the UIN of the child's record";
          } else if (!uin.ok()) {
            view.errors["uin"] = std::string(kUinHint);
          }
          for (const std::string& c : view.criteria) {
            if (!domain::ParseShieldCriterion(c)) view.errors["criteria"] = "Choose from the list";
          }
          if (!domain::IsShieldCategory(view.category)) {
            view.errors["category"] = "Choose the category of the case";
          }
          if (view.requester_name.empty())
            view.errors["requester_name"] = "Enter the caller's name";
          if (view.requester_contact.empty()) {
            view.errors["requester_contact"] = "Enter the caller's contact details";
          }
          if (view.requester_relationship.empty()) {
            view.errors["requester_relationship"] = "Enter the caller's relationship to the child";
          }
          CheckAppendix4Form(f, view.errors);
          if (!view.errors.empty()) {
            return Response::Html(RenderTelephoneRequestPage(ctx, view).str(), 400);
          }
          workflow::ShieldInput input;
          input.uin = uin->str();
          input.criteria = view.criteria;
          input.category = view.category;
          input.requester = {view.requester_name, view.requester_contact,
                             view.requester_relationship};
          input.comments = view.comments;
          input.telephone = true;
          input.form = ShieldFormOf(f);
          auto out = d_.shielding.RequestShield(api::Gate::ActorFor(p, request), input);
          if (!out.ok()) {
            const Status& s = out.status();
            if (s.code() == StatusCode::kNotFound) {
              view.errors["uin"] = "No child's record has this UIN";
            } else if (s.code() == StatusCode::kInvalidArgument) {
              view.errors[TelephoneFieldFor(s.field())] = s.message();
            } else {
              return h_.failure_page(ctx, s);
            }
            return Response::Html(RenderTelephoneRequestPage(ctx, view).str(), 400);
          }
          if (out->status == domain::RequestStatus::kRejected) {
            ShieldConfirmationView done;
            done.uin = input.uin;
            done.result = ShieldResult::kRejected;
            done.request_id = out->request_id;
            return Response::Html(RenderShieldConfirmationPage(ctx, done).str(), 422);
          }
          return h_.redirect_with_flash("/management/requests/" + std::to_string(out->request_id),
                                        "telephone-recorded");
        });
  }

  // ---- A request's detail, its form and documents (management) -------------------------------

  // Fills the detail view of request `id`; a failure Status for the error page.
  Result<RequestDetailView> DetailFor(const workflow::Actor& actor, int64_t id) {
    CP_ASSIGN_OR_RETURN(domain::ShieldRequest r, d_.shielding.GetRequest(actor, id));
    CP_ASSIGN_OR_RETURN(auto docs, d_.shielding.Documents(actor, id));
    RequestDetailView v;
    v.request = RowOf(r);
    v.source = std::string(domain::ShieldSourceName(r.source));
    v.requester_name = r.requester.name;
    v.requester_contact = r.requester.contact;
    v.requester_relationship = r.requester.relationship;
    v.comments = r.comments;
    v.telephone = r.telephone;
    if (r.form_due) v.form_due = r.form_due->ToString();
    if (r.form_received) v.form_received = r.form_received->ToString();
    v.linked_uin = r.linked_uin;
    v.decided_by = r.decided_by;
    if (r.decided_at) v.decided_at = http::FormatUtcIso8601(*r.decided_at);
    v.decision_note = r.decision_note;
    v.form = ViewOf(r.form);
    for (const auto& d : docs) {
      v.documents.push_back(
          {d.id, d.content_type, d.size, d.uploaded_by, http::FormatUtcIso8601(d.uploaded_at)});
    }
    return v;
  }

  Response RequestDetail(const Request& request) {
    return h_.guarded(request, Permission::kManageShielding,
                      [&](const Principal& p, PageContext& ctx, const FormData&) {
                        auto id = ParseId(request.PathParam("id"));
                        if (!id) return h_.failure_page(ctx, Status::NotFound("request"));
                        auto view = DetailFor(api::Gate::ActorFor(p, request), *id);
                        if (!view.ok()) return h_.failure_page(ctx, view.status());
                        return Response::Html(RenderRequestDetailPage(ctx, *view).str(), 200);
                      });
  }

  Response PostFormReceived(const Request& request) {
    return h_.guarded(request, Permission::kManageShielding,
                      [&](const Principal& p, PageContext& ctx, const FormData&) {
                        auto id = ParseId(request.PathParam("id"));
                        if (!id) return h_.failure_page(ctx, Status::NotFound("request"));
                        const workflow::Actor actor = api::Gate::ActorFor(p, request);
                        Status st = d_.shielding.FormReceived(actor, *id);
                        if (st.code() == StatusCode::kFailedPrecondition) {
                          auto view = DetailFor(actor, *id);
                          if (!view.ok()) return h_.failure_page(ctx, view.status());
                          view->errors[""] = st.message() == "not_telephone"
                                                 ? "Only a telephone request waits for its form"
                                                 : "The request is no longer active";
                          return Response::Html(RenderRequestDetailPage(ctx, *view).str(), 409);
                        }
                        if (!st.ok()) return h_.failure_page(ctx, st);
                        return h_.redirect_with_flash("/management/requests/" + std::to_string(*id),
                                                      "form-received");
                      });
  }

  // The upload is multipart/form-data, which the shared plumbing does not parse, so this
  // handler makes the same checks in the same order itself: session, CSRF (from the body's
  // csrf_token part) and Origin, then the right.
  Response PostDocument(const Request& request) {
    auto principal = d_.gate.Authenticate(request);
    if (!principal.ok()) return h_.failure_page(PageContext{}, principal.status());
    PageContext ctx = h_.context_for(*principal, request);
    auto parts = ParseMultipart(request.Header("Content-Type").value_or(""), request.body(), 4);
    if (!parts.ok()) return h_.failure_page(ctx, Status::InvalidArgument("form"));
    const MultipartPart* token = FindPart(*parts, kCsrfFieldName);
    Status st = d_.gate.CheckStateChange(
        request, *principal, token ? std::optional<std::string_view>(token->data) : std::nullopt);
    if (!st.ok()) return h_.failure_page(ctx, st);
    st = d_.gate.Require(*principal, Permission::kManageShielding, request);
    if (!st.ok()) return h_.failure_page(ctx, st);
    auto id = ParseId(request.PathParam("id"));
    if (!id) return h_.failure_page(ctx, Status::NotFound("request"));
    const workflow::Actor actor = api::Gate::ActorFor(*principal, request);
    const MultipartPart* file = FindPart(*parts, "document");
    std::string error;
    if (file == nullptr || file->data.empty()) {
      error = "Choose a file to upload";
    } else {
      auto added = d_.shielding.AddDocument(actor, *id, file->content_type, file->data);
      if (added.ok()) {
        return h_.redirect_with_flash("/management/requests/" + std::to_string(*id),
                                      "document-added");
      }
      if (added.status().code() != StatusCode::kInvalidArgument) {
        return h_.failure_page(ctx, added.status());
      }
      error = added.status().message();
    }
    auto view = DetailFor(actor, *id);
    if (!view.ok()) return h_.failure_page(ctx, view.status());
    view->errors["document"] = error;
    return Response::Html(RenderRequestDetailPage(ctx, *view).str(), 400);
  }

  Response DownloadDocument(const Request& request) {
    return h_.guarded(
        request, Permission::kManageShielding,
        [&](const Principal& p, PageContext& ctx, const FormData&) {
          auto id = ParseId(request.PathParam("id"));
          auto doc_id = ParseId(request.PathParam("doc_id"));
          if (!id || !doc_id) return h_.failure_page(ctx, Status::NotFound("document"));
          auto doc = d_.shielding.ReadDocument(api::Gate::ActorFor(p, request), *id, *doc_id);
          if (!doc.ok()) return h_.failure_page(ctx, doc.status());
          const std::string& type = doc->info.content_type;
          const char* extension = type == "application/pdf" ? ".pdf"
                                  : type == "image/png"     ? ".png"
                                                            : ".jpg";
          Response response(200);
          response.set_content_type(type);
          response.headers().Set(
              "Content-Disposition",
              "attachment; filename=\"document-" + std::to_string(*doc_id) + extension + "\"");
          response.headers().Set("Cache-Control", "no-store");
          response.headers().Set("X-Content-Type-Options", "nosniff");
          response.set_body(std::move(doc->bytes));
          return response;
        });
  }

  // ---- Appeals and complaints ----------------------------------------------------------------

  static AppealRow AppealRowOf(const domain::Appeal& a) {
    return {a.id,          a.child_uin,
            a.appellant,   a.grounds,
            a.outcome,     a.notes,
            a.recorded_by, http::FormatUtcIso8601(a.created_at),
            a.decided_by,  a.decided_at ? http::FormatUtcIso8601(*a.decided_at) : std::string()};
  }

  Response AppealsList(const Request& request) {
    return h_.guarded(request, Permission::kManageShielding,
                      [&](const Principal& p, PageContext& ctx, const FormData&) {
                        auto appeals = d_.shielding.Appeals(api::Gate::ActorFor(p, request));
                        if (!appeals.ok()) return h_.failure_page(ctx, appeals.status());
                        std::vector<AppealRow> rows;
                        for (const auto& a : *appeals) rows.push_back(AppealRowOf(a));
                        return Response::Html(RenderAppealsPage(ctx, rows).str(), 200);
                      });
  }

  Response NewAppeal(const Request& request) {
    return h_.guarded(request, Permission::kManageShielding,
                      [&](const Principal&, PageContext& ctx, const FormData&) {
                        NewAppealView view;
                        view.uin = std::string(request.Query("uin").value_or(""));
                        return Response::Html(RenderNewAppealPage(ctx, view).str(), 200);
                      });
  }

  Response PostAppeal(const Request& request) {
    return h_.guarded(
        request, Permission::kManageShielding,
        [&](const Principal& p, PageContext& ctx, const FormData& form) {
          NewAppealView view;
          view.uin = Trimmed(form.Value("uin"));
          view.appellant = Trimmed(form.Value("appellant"));
          view.grounds = Trimmed(form.Value("grounds"));
          auto uin = domain::Uin::Parse(view.uin);
          if (view.uin.empty()) {
            view.errors["uin"] = "Enter the UIN of the child's record";
          } else if (!uin.ok()) {
            view.errors["uin"] = std::string(kUinHint);
          }
          if (view.appellant.empty()) {
            view.errors["appellant"] = "Enter who is appealing or complaining";
          }
          if (view.grounds.empty()) view.errors["grounds"] = "Enter the grounds";
          if (!view.errors.empty()) {
            return Response::Html(RenderNewAppealPage(ctx, view).str(), 400);
          }
          auto id = d_.shielding.RecordAppeal(api::Gate::ActorFor(p, request), uin->str(),
                                              view.appellant, view.grounds);
          if (!id.ok()) {
            const Status& s = id.status();
            if (s.code() == StatusCode::kNotFound) {
              view.errors["uin"] = "No child's record has this UIN";
            } else if (s.code() == StatusCode::kInvalidArgument) {
              const std::string field(s.field());
              view.errors[field == "appellant" || field == "grounds" ? field : ""] = s.message();
            } else {
              return h_.failure_page(ctx, s);
            }
            return Response::Html(RenderNewAppealPage(ctx, view).str(), 400);
          }
          return h_.redirect_with_flash("/management/appeals/" + std::to_string(*id),
                                        "appeal-recorded");
        });
  }

  // The appeal `id` of the actor's authority, or a failure Status.
  Result<AppealView> AppealViewFor(const workflow::Actor& actor, std::string_view id_text) {
    auto id = ParseId(id_text);
    if (!id) return Status::NotFound("No such appeal");
    CP_ASSIGN_OR_RETURN(auto appeals, d_.shielding.Appeals(actor));
    for (const auto& a : appeals) {
      if (a.id == *id) return AppealView{AppealRowOf(a), "", "", {}};
    }
    return Status::NotFound("No such appeal");
  }

  Response Appeal(const Request& request) {
    return h_.guarded(request, Permission::kManageShielding,
                      [&](const Principal& p, PageContext& ctx, const FormData&) {
                        auto view =
                            AppealViewFor(api::Gate::ActorFor(p, request), request.PathParam("id"));
                        if (!view.ok()) return h_.failure_page(ctx, view.status());
                        return Response::Html(RenderAppealPage(ctx, *view).str(), 200);
                      });
  }

  Response PostAppealOutcome(const Request& request) {
    return h_.guarded(
        request, Permission::kManageShielding,
        [&](const Principal& p, PageContext& ctx, const FormData& form) {
          const workflow::Actor actor = api::Gate::ActorFor(p, request);
          auto view = AppealViewFor(actor, request.PathParam("id"));
          if (!view.ok()) return h_.failure_page(ctx, view.status());
          view->outcome = form.Value("outcome");
          view->notes = Trimmed(form.Value("notes"));
          if (!domain::IsAppealOutcome(view->outcome)) {
            view->errors["outcome"] = "Choose the outcome";
            return Response::Html(RenderAppealPage(ctx, *view).str(), 400);
          }
          Status st = d_.shielding.DecideAppeal(actor, view->appeal.id, view->outcome, view->notes);
          if (st.code() == StatusCode::kFailedPrecondition || st.code() == StatusCode::kConflict) {
            view->errors["outcome"] = "The outcome of this appeal is already recorded";
            return Response::Html(RenderAppealPage(ctx, *view).str(), 409);
          }
          if (st.code() == StatusCode::kInvalidArgument) {
            view->errors[st.field() == "notes" ? "notes" : "outcome"] = st.message();
            return Response::Html(RenderAppealPage(ctx, *view).str(), 400);
          }
          if (!st.ok()) return h_.failure_page(ctx, st);
          return h_.redirect_with_flash("/management/appeals/" + std::to_string(view->appeal.id),
                                        "appeal-decided");
        });
  }

  // ---- The shielding log ---------------------------------------------------------------------

  Response PostConfirmationSent(const Request& request) {
    return h_.guarded(
        request, Permission::kManageShielding,
        [&](const Principal& p, PageContext& ctx, const FormData&) {
          auto id = ParseId(request.PathParam("id"));
          if (!id) return h_.failure_page(ctx, Status::NotFound("log entry"));
          Status st = d_.shielding.MarkConfirmationSent(api::Gate::ActorFor(p, request), *id);
          if (!st.ok()) return h_.failure_page(ctx, st);
          return h_.redirect_with_flash("/management/shielding-log", "confirmation-sent");
        });
  }

 private:
  WebUiDeps d_;
  ShieldingUiHooks h_;
};

}  // namespace

domain::ShieldForm ShieldFormOf(const Appendix4View& v) {
  domain::ShieldForm f;
  f.requester_reference = v.reference;
  f.surname = v.surname;
  f.known_as_surname = v.known_as_surname;
  f.forenames = v.forenames;
  f.date_of_birth = v.date_of_birth;
  f.gender = v.gender;
  f.recent_addresses = Lines(v.addresses);
  f.service_name = v.service;
  f.caseworker = v.caseworker;
  f.service_phone = v.service_phone;
  f.service_email = v.service_email;
  f.office_decision = v.office_decision;
  f.decided_by = v.decided_by;
  f.reviewer = v.reviewer;
  f.review_when = v.review_when;
  return f;
}

Appendix4View ReadAppendix4Form(const FormData& form) {
  Appendix4View f;
  f.reference = Trimmed(form.Value("form_reference"));
  f.surname = Trimmed(form.Value("form_surname"));
  f.known_as_surname = Trimmed(form.Value("form_known_as_surname"));
  f.forenames = Trimmed(form.Value("form_forenames"));
  f.date_of_birth = Trimmed(form.Value("form_date_of_birth"));
  f.gender = Trimmed(form.Value("form_gender"));
  f.addresses = form.Value("form_addresses");
  f.service = Trimmed(form.Value("form_service"));
  f.caseworker = Trimmed(form.Value("form_caseworker"));
  f.service_phone = Trimmed(form.Value("form_service_phone"));
  f.service_email = Trimmed(form.Value("form_service_email"));
  f.office_decision = Trimmed(form.Value("form_office_decision"));
  f.decided_by = Trimmed(form.Value("form_decided_by"));
  f.reviewer = Trimmed(form.Value("form_reviewer"));
  f.review_when = Trimmed(form.Value("form_review_when"));
  return f;
}

void CheckAppendix4Form(const Appendix4View& f, FieldErrors& errors) {
  if (!f.date_of_birth.empty() && !Date::Parse(f.date_of_birth).ok()) {
    errors["form_date_of_birth"] = "Enter the date of birth like 2016-06-06";
  }
  if (!f.service_email.empty() && f.service_email.find('@') == std::string::npos) {
    errors["form_service_email"] = "Enter an email address like name@example.org";
  }
}

Status RegisterShieldingUi(http::Router& router, const WebUiDeps& deps, ShieldingUiHooks hooks) {
  auto ui = std::make_shared<ShieldingUi>(deps, std::move(hooks));
  auto bind = [ui](Response (ShieldingUi::*method)(const Request&)) {
    return [ui, method](const Request& r) { return ((*ui).*method)(r); };
  };
  CP_RETURN_IF_ERROR(router.Get("/shield-requests", bind(&ShieldingUi::MyRequests)));
  CP_RETURN_IF_ERROR(
      router.Post("/shield-requests/{id}/approve", bind(&ShieldingUi::NamedPersonApprove)));
  CP_RETURN_IF_ERROR(
      router.Post("/shield-requests/{id}/reject", bind(&ShieldingUi::NamedPersonReject)));
  CP_RETURN_IF_ERROR(
      router.Get("/children/{uin}/shields/{id}/withdraw", bind(&ShieldingUi::WithdrawForm)));
  CP_RETURN_IF_ERROR(
      router.Post("/children/{uin}/shields/{id}/withdraw", bind(&ShieldingUi::PostWithdraw)));
  CP_RETURN_IF_ERROR(
      router.Get("/management/telephone-requests/new", bind(&ShieldingUi::TelephoneForm)));
  CP_RETURN_IF_ERROR(
      router.Post("/management/telephone-requests", bind(&ShieldingUi::PostTelephone)));
  CP_RETURN_IF_ERROR(router.Get("/management/requests/{id}", bind(&ShieldingUi::RequestDetail)));
  CP_RETURN_IF_ERROR(
      router.Post("/management/requests/{id}/form-received", bind(&ShieldingUi::PostFormReceived)));
  CP_RETURN_IF_ERROR(
      router.Post("/management/requests/{id}/documents", bind(&ShieldingUi::PostDocument)));
  CP_RETURN_IF_ERROR(router.Get("/management/requests/{id}/documents/{doc_id}",
                                bind(&ShieldingUi::DownloadDocument)));
  CP_RETURN_IF_ERROR(router.Get("/management/appeals", bind(&ShieldingUi::AppealsList)));
  CP_RETURN_IF_ERROR(router.Get("/management/appeals/new", bind(&ShieldingUi::NewAppeal)));
  CP_RETURN_IF_ERROR(router.Post("/management/appeals", bind(&ShieldingUi::PostAppeal)));
  CP_RETURN_IF_ERROR(router.Get("/management/appeals/{id}", bind(&ShieldingUi::Appeal)));
  CP_RETURN_IF_ERROR(
      router.Post("/management/appeals/{id}", bind(&ShieldingUi::PostAppealOutcome)));
  CP_RETURN_IF_ERROR(router.Post("/management/shielding-log/{id}/confirmation-sent",
                                 bind(&ShieldingUi::PostConfirmationSent)));
  return Status::Ok();
}

}  // namespace cp::web
