#include "web/reports_web.h"

#include <charconv>
#include <map>

#include "core/time_format.h"
#include "policy/rbac.h"
#include "web/components.h"
#include "web/error_pages.h"
#include "web/form.h"
#include "web/layout.h"
#include "web/page_kit.h"

namespace cp::web {
namespace {

using http::Request;
using http::Response;
using identity::Principal;
using workflow::Actor;

std::string QueryEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-' || c == '_') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Html Link(std::string_view text, std::string_view href) {
  return Markup("<a class=\"govuk-link\"") + Attr("href", href) + Markup(">") + Escape(text) +
         Markup("</a>");
}

std::string_view DsarStatusLabel(domain::DsarStatus s) {
  switch (s) {
    case domain::DsarStatus::kReceived:
      return "Received";
    case domain::DsarStatus::kIdentityVerified:
      return "Identity verified";
    case domain::DsarStatus::kExtended:
      return "Extended";
    case domain::DsarStatus::kCompleted:
      return "Completed";
  }
  return "Received";
}

std::string_view RequesterKindLabel(std::string_view kind) {
  if (kind == "child") return "The child or young person";
  if (kind == "parent_or_carer") return "A parent or carer";
  return "A representative";
}

class ReportsWeb {
 public:
  explicit ReportsWeb(ReportsWebDeps deps) : d_(deps) {}

  // Runs `fn(principal, ctx, form)` for a signed-in user with `permission`, after the Origin
  // and CSRF checks for a POST (whose parsed form is passed; empty for GET).
  template <typename Fn>
  Response Guarded(const Request& request, policy::Permission permission, Fn&& fn) {
    auto principal = d_.gate.Authenticate(request);
    if (!principal.ok()) {
      if (principal.status().code() == StatusCode::kUnauthenticated) {
        return Response::Redirect("/sign-in");
      }
      return PageKit::Failure(PageContext{}, principal.status());
    }
    PageContext ctx;
    ctx.signed_in = true;
    ctx.display_name = principal->user.display_name.empty() ? principal->user.username
                                                            : principal->user.display_name;
    ctx.roles = principal->user.roles.Names();
    ctx.csrf_token = principal->session.csrf_token;
    ctx.idle_seconds = d_.idle_seconds;
    ctx.warn_seconds = d_.warn_seconds;
    ctx.current_path = request.path();
    FormData form;
    if (request.method() == "POST") {
      if (!IsFormContentType(request.Header("Content-Type").value_or(""))) {
        return PageKit::Failure(ctx, Status::InvalidArgument("Not a form"));
      }
      auto parsed = FormData::Parse(request.body());
      if (!parsed.ok()) return PageKit::Failure(ctx, parsed.status());
      form = std::move(*parsed);
    }
    Status st = d_.gate.CheckStateChange(request, *principal, form.Get(kCsrfFieldName));
    if (!st.ok()) return PageKit::Failure(ctx, st);
    st = d_.gate.Require(*principal, permission, request);
    if (!st.ok()) return PageKit::Failure(ctx, st);
    return fn(api::Gate::ActorFor(*principal, request), ctx, form);
  }

  // ---- The DPO's cases ------------------------------------------------------------------

  struct CaseForm {
    std::string uin;
    std::string requester_kind;
    DateParts received;
    FieldErrors errors;
  };

  Response CasesPage(const Actor& actor, const PageContext& ctx, const CaseForm& form, int status) {
    auto cases = d_.disclosure.Cases(actor);
    if (!cases.ok()) return PageKit::Failure(ctx, cases.status());
    Html main = Heading(1, "l", "Subject access requests");
    if (!form.errors.empty()) {
      std::vector<FieldRef> fields = {
          {"uin", "uin"}, {"requester_kind", "requester_kind"}, {"received_on", "received_on-day"}};
      auto items = ErrorItemsFor(form.errors, fields);
      main = ErrorSummary(items) + main;
    }
    main += Paragraph(
        "Record each request when it arrives. The answer is due one calendar month after it "
        "was received; extend it when the request is complex. Produce the disclosure from the "
        "case, so each page carries its reference.");
    TableParams table;
    table.caption = "Cases";
    table.head = {"Reference", "UIN", "Requester", "Received", "Due", "Status", "Actions"};
    for (const auto& c : *cases) {
      Html actions;
      std::string base = "/dpo/children/" + EncodePathSegment(c.child_uin) +
                         "/disclosure?case=" + QueryEncode(c.reference);
      actions += Link("Requester’s copy", base + "&copy=requester") + Markup("<br>");
      actions += Link("Internal copy", base + "&copy=internal") + Markup("<br>");
      auto step = [&](std::string_view verb, std::string_view label) {
        return PostForm("/dpo/cases/" + std::to_string(c.id) + "/" + std::string(verb),
                        ctx.csrf_token,
                        Markup("<button type=\"submit\" class=\"govuk-button "
                               "govuk-button--secondary govuk-!-margin-bottom-1\" "
                               "data-module=\"govuk-button\">") +
                            Escape(label) + Markup("<span class=\"govuk-visually-hidden\"> ") +
                            Escape(c.reference) + Markup("</span></button>"));
      };
      if (c.status != domain::DsarStatus::kCompleted) {
        if (!c.identity_verified_on) actions += step("verify-identity", "Identity verified");
        if (c.status == domain::DsarStatus::kReceived ||
            c.status == domain::DsarStatus::kIdentityVerified) {
          actions += step("extend", "Extend");
        }
        if (c.identity_verified_on) actions += step("complete", "Completed");
      }
      table.rows.push_back({Escape(c.reference), Escape(c.child_uin),
                            Escape(RequesterKindLabel(c.requester_kind)),
                            Escape(c.received_on.ToString()), Escape(c.due.ToString()),
                            Escape(DsarStatusLabel(c.status)), actions});
    }
    if (cases->empty()) {
      main += Paragraph("There are no cases yet.");
    } else {
      main += Table(table);
    }
    Html fields = Heading(2, "m", "Record a request received");
    InputParams uin;
    uin.id = "uin";
    uin.label = "UIN of the child’s record";
    uin.hint = "Find it by searching for the child.";
    uin.value = form.uin;
    uin.error = std::string(ErrorFor(form.errors, "uin"));
    uin.width_class = "govuk-input--width-20";
    uin.spellcheck = false;
    fields += TextInput(uin);
    ChoicesParams kind;
    kind.id = "requester_kind";
    kind.legend = "Who made the request?";
    kind.error = std::string(ErrorFor(form.errors, "requester_kind"));
    kind.legend_bold = true;
    for (std::string_view k : domain::kDsarRequesterKinds) {
      kind.items.push_back(
          {std::string(k), std::string(RequesterKindLabel(k)), "", form.requester_kind == k});
    }
    fields += Radios(kind);
    DateInputParams received;
    received.id = "received_on";
    received.name = "received_on";
    received.legend = "Date received";
    received.hint = "Leave empty for today.";
    received.error = std::string(ErrorFor(form.errors, "received_on"));
    received.value = form.received;
    received.legend_bold = true;
    fields += DateInput(received);
    fields += Button("Record request");
    main += PostForm("/dpo/cases", ctx.csrf_token, fields);
    return PageKit::Page(
        RenderPage(
            ctx, form.errors.empty() ? "Subject access requests" : "Error: Subject access requests",
            main),
        status);
  }

  Response Cases(const Request& request) {
    return Guarded(request, policy::Permission::kRunDisclosure,
                   [&](const Actor& actor, const PageContext& ctx, const FormData&) {
                     return CasesPage(actor, ctx, {}, 200);
                   });
  }

  Response OpenCase(const Request& request) {
    return Guarded(request, policy::Permission::kRunDisclosure,
                   [&](const Actor& actor, const PageContext& ctx, const FormData& form) {
                     CaseForm f;
                     f.uin = std::string(form.Value("uin"));
                     f.requester_kind = std::string(form.Value("requester_kind"));
                     f.received = {form.Value("received_on-day"), form.Value("received_on-month"),
                                   form.Value("received_on-year")};
                     workflow::NewDsarCase input{f.uin, f.requester_kind, ""};
                     bool any = !f.received.day.empty() || !f.received.month.empty() ||
                                !f.received.year.empty();
                     if (any) {
                       auto date = Date::FromYmd(Number(f.received.year), Number(f.received.month),
                                                 Number(f.received.day));
                       if (!date.ok()) {
                         f.errors["received_on"] = "Date received must be a real date";
                         return CasesPage(actor, ctx, f, 400);
                       }
                       input.received_on = date->ToString();
                     }
                     auto c = d_.disclosure.OpenCase(actor, input);
                     if (c.ok()) return Response::Redirect("/dpo");
                     if (c.status().code() != StatusCode::kInvalidArgument) {
                       return PageKit::Failure(ctx, c.status());
                     }
                     std::string field(c.status().field());
                     if (field == "uin") {
                       f.errors["uin"] = "Enter the UIN of a record of your authority";
                     } else if (field == "requester_kind") {
                       f.errors["requester_kind"] = "Choose who made the request";
                     } else {
                       f.errors["received_on"] = "Date received must be today or in the past";
                     }
                     return CasesPage(actor, ctx, f, 400);
                   });
  }

  Response CaseStep(const Request& request) {
    return Guarded(request, policy::Permission::kRunDisclosure,
                   [&](const Actor& actor, const PageContext& ctx, const FormData&) {
                     std::string_view text = request.PathParam("id");
                     int64_t id = 0;
                     auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
                     if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
                       return PageKit::Failure(ctx, Status::NotFound("no such case"));
                     }
                     std::string_view verb = request.path();
                     verb = verb.substr(verb.rfind('/') + 1);
                     Result<domain::DsarCase> c = Status::NotFound("no such step");
                     if (verb == "verify-identity") c = d_.disclosure.VerifyIdentity(actor, id);
                     if (verb == "extend") c = d_.disclosure.Extend(actor, id);
                     if (verb == "complete") c = d_.disclosure.Complete(actor, id);
                     if (!c.ok() && c.status().code() != StatusCode::kFailedPrecondition) {
                       return PageKit::Failure(ctx, c.status());
                     }
                     return Response::Redirect("/dpo");
                   });
  }

  // ---- The disclosure's print view -------------------------------------------------------

  Response DisclosureView(const Request& request) {
    return Guarded(
        request, policy::Permission::kRunDisclosure,
        [&](const Actor& actor, const PageContext& ctx, const FormData&) {
          auto copy = policy::ParseDisclosureCopy(request.Query("copy").value_or("requester"));
          if (!copy) return PageKit::Failure(ctx, Status::InvalidArgument("copy"));
          std::string uin(request.PathParam("uin"));
          std::string case_ref(request.Query("case").value_or(""));
          auto d = d_.disclosure.Produce(actor, uin, *copy, case_ref);
          if (!d.ok()) return PageKit::Failure(ctx, d.status());
          const bool internal = *copy == policy::DisclosureCopy::kInternal;
          std::string trace = "Produced by " + d->produced_by + " on " + FormatUtc(d->produced_at) +
                              ". Request reference " + d->reference + ".";
          Html main;
          if (internal) main += WarningText(std::string(policy::kInternalWatermark));
          main += Heading(1, "l",
                          internal ? "Disclosure: internal copy" : "Disclosure: requester’s copy");
          main += Markup("<p class=\"govuk-body-s\">") + Escape(trace) + Markup("</p>\n");
          std::string pdf =
              "/api/v1/children/" + EncodePathSegment(d->view.uin) +
              "/disclosure.pdf?copy=" + std::string(policy::DisclosureCopyName(*copy)) +
              (case_ref.empty() ? "" : "&case=" + QueryEncode(case_ref));
          main +=
              Markup("<p class=\"govuk-body\">") + Link("Download the PDF", pdf) + Markup("</p>\n");
          if (!d->view.exemption.empty()) {
            main += InsetText(Markup("<p class=\"govuk-body\">") + Escape(d->view.exemption) +
                              Markup("</p>"));
          }
          std::string section;
          std::vector<SummaryRow> rows;
          auto flush = [&]() {
            if (!rows.empty()) main += SummaryList(rows);
            rows.clear();
          };
          for (const auto& item : d->view.items) {
            if (item.section != section) {
              flush();
              section = item.section;
              main += Heading(2, "m", section);
            }
            Html value;
            if (item.withheld) {
              value = Tag(std::string(policy::kWithheld), TagColour::kGrey) +
                      Markup("<br><span class=\"govuk-body-s\">") +
                      Escape("Exemption: DPA 2018 Sch. 3, serious harm") + Markup("</span>");
            } else {
              value = Escape(item.value) + Markup("<br><span class=\"govuk-body-s\">") +
                      Escape("Source: " + item.source + ", updated " + item.updated_at) +
                      Markup("</span>");
            }
            rows.push_back({item.label, value, "", "Change"});
          }
          flush();
          main += Heading(2, "m", "Organisations that accessed the record");
          if (d->accesses_withheld) {
            main += Paragraph("Withheld (DPA 2018 Sch. 3, serious harm).");
          } else if (d->accesses.empty()) {
            main += Paragraph("No organisation has accessed the record.");
          } else {
            TableParams t;
            t.head = {"Organisation", "First access", "Last access", "Times"};
            for (const auto& a : d->accesses) {
              t.rows.push_back(
                  {Escape(a.organisation_name.empty() ? a.organisation_code : a.organisation_name),
                   Escape(FormatUtc(a.first)), Escape(FormatUtc(a.last)),
                   Escape(std::to_string(a.count))});
            }
            main += Table(t);
          }
          main += Markup("<p class=\"govuk-body-s\">") + Escape(trace) + Markup("</p>\n");
          return PageKit::Page(RenderPage(
              ctx, internal ? "Disclosure (internal copy)" : "Disclosure (requester’s copy)",
              main));
        });
  }

  // ---- Reports -----------------------------------------------------------------------------

  Response Index(const Request& request) {
    return Guarded(request, policy::Permission::kViewReports,
                   [&](const Actor&, const PageContext& ctx, const FormData&) {
                     Html main = Heading(1, "l", "Reports");
                     main += Paragraph(
                         "Reports cover your own local authority. Running one is recorded in "
                         "the audit trail. Print only with secure (PIN) release.");
                     Html items;
                     for (const auto& info : workflow::ReportCatalogue()) {
                       items += Markup("<li>") +
                                Link(info.title, "/reports/" + std::string(info.name)) +
                                Markup("<br><span class=\"govuk-body-s\">") +
                                Escape(info.description) + Markup("</span></li>\n");
                     }
                     main += Markup("<ul class=\"govuk-list govuk-list--spaced\">\n") + items +
                             Markup("</ul>\n");
                     return PageKit::Page(RenderPage(ctx, "Reports", main));
                   });
  }

  Response Report(const Request& request) {
    return Guarded(
        request, policy::Permission::kViewReports,
        [&](const Actor& actor, const PageContext& ctx, const FormData&) {
          std::string name(request.PathParam("name"));
          auto info = workflow::FindReport(name);
          if (!info) return PageKit::Failure(ctx, Status::NotFound("no such report"));
          workflow::ReportParams params;
          params.uin = std::string(request.Query("uin").value_or(""));
          params.username = std::string(request.Query("username").value_or(""));
          params.status = std::string(request.Query("status").value_or(""));
          // The two reports about one record or one user ask for it first.
          std::string param_name = name == "record-access"   ? "uin"
                                   : name == "user-activity" ? "username"
                                                             : "";
          std::string param_value = name == "record-access" ? params.uin : params.username;
          Html form;
          std::string error;
          Result<workflow::ReportTable> table = Status::InvalidArgument("");
          if (param_name.empty() || !param_value.empty()) {
            table = d_.reports.Run(actor, name, params, "html");
            if (!table.ok()) {
              auto code = table.status().code();
              if (param_name.empty() ||
                  (code != StatusCode::kInvalidArgument && code != StatusCode::kNotFound)) {
                return PageKit::Failure(ctx, table.status());
              }
              error = param_name == "uin" ? "Enter the UIN of a record of your authority"
                                          : "Enter the username of a user of your authority";
            }
          }
          Html main;
          if (!error.empty()) {
            ErrorItem item{param_name, error};
            main += ErrorSummary(std::span<const ErrorItem>(&item, 1));
          }
          main += Heading(1, "l", std::string(info->title));
          main += Paragraph(std::string(info->description));
          if (!param_name.empty()) {
            InputParams input;
            input.id = param_name;
            input.label = param_name == "uin" ? "UIN of the record" : "Username";
            input.value = param_value;
            input.error = error;
            input.width_class = "govuk-input--width-20";
            input.spellcheck = false;
            main += Markup("<form method=\"get\" novalidate>\n") + TextInput(input) +
                    Button("Show", ButtonStyle::kSecondary) + Markup("</form>\n");
          }
          if (table.ok()) {
            std::string query;
            if (!param_name.empty()) query = "?" + param_name + "=" + QueryEncode(param_value);
            if (!params.status.empty()) query = "?status=" + QueryEncode(params.status);
            std::string api = "/api/v1/reports/" + name;
            main += Markup("<p class=\"govuk-body\">") +
                    Link("Download as CSV", api + ".csv" + query) + Markup(" · ") +
                    Link("Download as PDF", api + ".pdf" + query) + Markup("</p>\n");
            if (table->rows.empty()) {
              main += Paragraph("Nothing to report.");
            } else {
              TableParams t;
              t.caption =
                  std::to_string(table->rows.size()) + (table->rows.size() == 1 ? " row" : " rows");
              t.head = table->columns;
              for (size_t r = 0; r < table->rows.size(); ++r) {
                std::vector<Html> cells;
                for (size_t c = 0; c < table->rows[r].size(); ++c) {
                  const std::string& text = table->rows[r][c];
                  if (c == 0 && r < table->row_links.size()) {
                    cells.push_back(Link(text, table->row_links[r]));
                  } else if (c + 1 == table->rows[r].size() && r < table->row_flagged.size() &&
                             table->row_flagged[r] && !text.empty()) {
                    cells.push_back(Tag(text, TagColour::kRed));
                  } else {
                    cells.push_back(Escape(text));
                  }
                }
                t.rows.push_back(std::move(cells));
              }
              main += Table(t);
            }
          }
          return PageKit::Page(RenderPage(ctx,
                                          error.empty() ? std::string(info->title)
                                                        : "Error: " + std::string(info->title),
                                          main),
                               error.empty() ? 200 : 400);
        });
  }

 private:
  static int Number(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size() ? value : 0;
  }

  ReportsWebDeps d_;
};

}  // namespace

Status RegisterReportsWebUi(http::Router& router, ReportsWebDeps deps) {
  auto ui = std::make_shared<ReportsWeb>(deps);
  auto bind = [ui](Response (ReportsWeb::*method)(const Request&)) {
    return [ui, method](const Request& r) { return ((*ui).*method)(r); };
  };
  CP_RETURN_IF_ERROR(router.Get("/dpo", bind(&ReportsWeb::Cases)));
  CP_RETURN_IF_ERROR(router.Post("/dpo/cases", bind(&ReportsWeb::OpenCase)));
  for (const char* verb : {"verify-identity", "extend", "complete"}) {
    CP_RETURN_IF_ERROR(
        router.Post("/dpo/cases/{id}/" + std::string(verb), bind(&ReportsWeb::CaseStep)));
  }
  CP_RETURN_IF_ERROR(
      router.Get("/dpo/children/{uin}/disclosure", bind(&ReportsWeb::DisclosureView)));
  CP_RETURN_IF_ERROR(router.Get("/reports", bind(&ReportsWeb::Index)));
  CP_RETURN_IF_ERROR(router.Get("/reports/{name}", bind(&ReportsWeb::Report)));
  return Status::Ok();
}

}  // namespace cp::web
