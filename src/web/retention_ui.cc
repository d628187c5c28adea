#include "web/retention_ui.h"

#include <memory>

#include "domain/uin.h"
#include "web/components.h"
#include "web/page_kit.h"

namespace cp::web {
namespace {

using http::Request;
using http::Response;
using identity::Principal;

struct IdentityChangeForm {
  std::string uin;
  std::string reason;
  std::string given_names;
  std::string family_name;
  std::string address_line_1;
  std::string address_line_2;
  std::string town;
  std::string postcode;
  FieldErrors errors;
};

const FieldRef kFields[] = {{"reason", "reason"},
                            {"given_names", "given_names"},
                            {"family_name", "family_name"},
                            {"address_line_1", "address_line_1"},
                            {"address_line_2", "address_line_2"},
                            {"town", "town"},
                            {"postcode", "postcode"}};

constexpr char kNotLive[] = "This record is no longer live: its identity cannot be changed";

std::string ActionPath(const std::string& uin) {
  return "/management/children/" + uin + "/identity-change";
}

Html Input(const IdentityChangeForm& f, const std::string& id, const std::string& label,
           const std::string& value, const std::string& autocomplete,
           const std::string& width = "") {
  InputParams p;
  p.id = id;
  p.label = label;
  p.value = value;
  p.error = std::string(ErrorFor(f.errors, id));
  p.autocomplete = autocomplete;
  p.width_class = width;
  p.spellcheck = false;
  return TextInput(p);
}

Html RenderForm(const PageContext& ctx, const IdentityChangeForm& f) {
  Html main;
  const auto items = ErrorItemsFor(f.errors, kFields);
  main += ErrorSummary(items);
  main += Markup("<span class=\"govuk-caption-l\">") + Escape("UIN " + f.uin) + Markup("</span>");
  main += Heading(1, "l", "Change this child's identity");
  main += Paragraph(
      "For witness protection or adoption. A new record is created for the new identity and "
      "shielded at once. This record, with all its names, aliases and addresses, is archived: "
      "no search will find it again.");
  main += WarningText(
      "Do not copy anything from the former identity into the new one. The link between the two "
      "is kept where only your management team can see it.");
  Html fields;
  ChoicesParams reason;
  reason.id = "reason";
  reason.name = "reason";
  reason.legend = "Why is the identity changing?";
  reason.legend_bold = true;
  reason.error = std::string(ErrorFor(f.errors, "reason"));
  reason.items = {
      {"witness_protection", "Witness protection", "", f.reason == "witness_protection"},
      {"adoption", "Adoption", "", f.reason == "adoption"}};
  fields += Radios(reason);
  fields += Heading(2, "m", "The new identity");
  fields += Input(f, "given_names", "Given names", f.given_names, "off");
  fields += Input(f, "family_name", "Family name", f.family_name, "off");
  fields += Heading(2, "m", "The new address (optional)");
  fields += Input(f, "address_line_1", "Address line 1", f.address_line_1, "off");
  fields += Input(f, "address_line_2", "Address line 2 (optional)", f.address_line_2, "off");
  fields += Input(f, "town", "Town or city", f.town, "off", "govuk-!-width-two-thirds");
  fields += Input(f, "postcode", "Postcode", f.postcode, "off", "govuk-input--width-10");
  fields += Button("Change identity");
  main += PostForm(ActionPath(f.uin), ctx.csrf_token, fields);
  return RenderPage(ctx, PageTitle("Change this child's identity", !f.errors.empty()), main);
}

Html RenderDone(const PageContext& ctx, const std::string& new_uin, bool shield_logged) {
  Html main;
  main += Panel("Identity changed", Escape("New UIN " + new_uin));
  main += Paragraph(
      "The new record is shielded. The former record is archived and no search will find it.");
  if (!shield_logged) {
    main += WarningText(
        "The shield could not be added to the shielding log. The record is shielded; add the "
        "log entry from the management desk.");
  }
  main += Paragraph(
      "The link between the two records is kept in the restricted identity-link record, which "
      "only your management team can see.");
  main += Markup("<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/management\">") +
          Escape("Back to the management desk") + Markup("</a></p>");
  return RenderPage(ctx, "Identity changed", main);
}

class RetentionUi {
 public:
  explicit RetentionUi(RetentionUiDeps deps)
      : d_(deps), kit_(deps.gate, deps.idle_seconds, deps.warn_seconds, deps.grants) {}

  Response Form(const Request& request) {
    return kit_.Guarded(request, policy::Permission::kManageRetention,
                        [&](const Principal& p, const PageContext& ctx, const FormData&) {
                          IdentityChangeForm f;
                          f.uin = std::string(request.PathParam("uin"));
                          auto uin = domain::Uin::Parse(f.uin);
                          if (!uin.ok()) return PageKit::Failure(ctx, Status::NotFound("uin"));
                          f.uin = uin->str();
                          // Only the management of the record's authority sees the form
                          // (another authority's gets 403, an unknown UIN 404; audited).
                          auto lifecycle =
                              d_.retention.Lifecycle(api::Gate::ActorFor(p, request), f.uin);
                          if (!lifecycle.ok()) return PageKit::Failure(ctx, lifecycle.status());
                          if (lifecycle->state != "live") {
                            f.errors[""] = kNotLive;
                            return PageKit::Page(RenderForm(ctx, f), 422);
                          }
                          return PageKit::Page(RenderForm(ctx, f));
                        });
  }

  Response Submit(const Request& request) {
    return kit_.Guarded(
        request, policy::Permission::kManageRetention,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          IdentityChangeForm f;
          f.uin = std::string(request.PathParam("uin"));
          auto field = [&](std::string_view name) {
            return PageKit::Trim(form.Get(name).value_or(""));
          };
          f.reason = field("reason");
          f.given_names = field("given_names");
          f.family_name = field("family_name");
          f.address_line_1 = field("address_line_1");
          f.address_line_2 = field("address_line_2");
          f.town = field("town");
          f.postcode = field("postcode");
          if (f.reason.empty()) f.errors["reason"] = "Select why the identity is changing";
          if (f.given_names.empty()) f.errors["given_names"] = "Enter the new given names";
          if (f.family_name.empty()) f.errors["family_name"] = "Enter the new family name";
          if (!f.errors.empty()) return PageKit::Page(RenderForm(ctx, f), 400);
          workflow::IdentityChangeInput in;
          in.former_uin = f.uin;
          in.reason = f.reason;
          in.given_names = f.given_names;
          in.family_name = f.family_name;
          in.address_line_1 = f.address_line_1;
          in.address_line_2 = f.address_line_2;
          in.town = f.town;
          in.postcode = f.postcode;
          auto out = d_.retention.ChangeIdentity(api::Gate::ActorFor(p, request), in);
          if (out.ok()) {
            return PageKit::Page(RenderDone(ctx, out->new_uin, out->shield_request_id != 0));
          }
          const Status& st = out.status();
          if (st.code() == StatusCode::kInvalidArgument && st.field() != "uin") {
            // The record validator names address fields "address.<part>".
            std::string key = st.field();
            if (key == "address.line_1" || key == "address.line_2") {
              key = "address_" + key.substr(8);
            } else if (key.rfind("address.", 0) == 0) {
              key = key.substr(8);
            }
            bool known = false;
            for (const FieldRef& ref : kFields) known = known || ref.name == key;
            f.errors[known ? key : ""] = st.message();
            return PageKit::Page(RenderForm(ctx, f), 400);
          }
          if (st.code() == StatusCode::kFailedPrecondition && st.message() == "not_live") {
            f.errors[""] = kNotLive;
            return PageKit::Page(RenderForm(ctx, f), 422);
          }
          if (st.code() == StatusCode::kInvalidArgument) {
            return PageKit::Failure(ctx, Status::NotFound("uin"));
          }
          return PageKit::Failure(ctx, st);
        });
  }

 private:
  RetentionUiDeps d_;
  PageKit kit_;
};

}  // namespace

Status RegisterRetentionUi(http::Router& router, RetentionUiDeps deps) {
  auto ui = std::make_shared<RetentionUi>(deps);
  CP_RETURN_IF_ERROR(router.Get("/management/children/{uin}/identity-change",
                                [ui](const Request& r) { return ui->Form(r); }));
  CP_RETURN_IF_ERROR(router.Post("/management/children/{uin}/identity-change",
                                 [ui](const Request& r) { return ui->Submit(r); }));
  return Status::Ok();
}

}  // namespace cp::web
