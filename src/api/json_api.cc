#include "api/json_api.h"

#include <boost/json.hpp>

#include "api/json_body.h"
#include "core/time_format.h"
#include "http/errors.h"
#include "policy/rbac.h"

namespace cp::api {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

json::value OptionalDate(const std::optional<Date>& d) {
  if (!d) return nullptr;
  return json::value(d->ToString());
}

json::array RolesArray(const domain::RoleSet& roles) {
  json::array out;
  for (const auto& name : roles.Names()) out.emplace_back(name);
  return out;
}

json::object OrganisationJson(const domain::Organisation& org) {
  return {{"code", org.code},
          {"name", org.name},
          {"type", domain::OrganisationTypeName(org.type)},
          {"local_authority_code", org.local_authority_code},
          {"allowed_networks", org.allowed_networks},
          {"active", org.active}};
}

json::object UserJson(const domain::User& user, const std::string& org_code, TimePoint now) {
  return {{"username", user.username},
          {"display_name", user.display_name},
          {"organisation", org_code},
          {"email", user.email},
          {"phone", user.phone},
          {"roles", RolesArray(user.roles)},
          {"vetting",
           {{"crb_check_date", OptionalDate(user.vetting.crb_check_date)},
            {"isa_registered", user.vetting.isa_registered},
            {"training_completed", OptionalDate(user.vetting.training_completed)},
            {"agreement_signed", OptionalDate(user.vetting.agreement_signed)}}},
          {"status", user.status == domain::AccountStatus::kActive ? "active" : "disabled"},
          {"locked", user.locked_until.has_value() && *user.locked_until > now},
          {"version", user.version}};
}

Result<std::optional<Date>> DateField(const json::object& obj, std::string_view field) {
  CP_ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalString(obj, field));
  if (!text || text->empty()) return std::optional<Date>();
  CP_ASSIGN_OR_RETURN(Date d, Date::Parse(*text, field));
  return std::optional<Date>(d);
}

// Applies the fields present in `body` to `user` (create: all required ones; update: any).
Status ApplyUserFields(const json::object& body, store::OrganisationStore& orgs,
                       domain::User& user) {
  CP_ASSIGN_OR_RETURN(auto display_name, OptionalString(body, "display_name"));
  if (display_name) user.display_name = *display_name;
  CP_ASSIGN_OR_RETURN(auto email, OptionalString(body, "email"));
  if (email) user.email = *email;
  CP_ASSIGN_OR_RETURN(auto phone, OptionalString(body, "phone"));
  if (phone) user.phone = *phone;
  CP_ASSIGN_OR_RETURN(auto org_code, OptionalString(body, "organisation"));
  if (org_code) {
    auto org = orgs.GetByCode(*org_code);
    if (!org.ok())
      return Status::InvalidArgument("is not a known organisation code", "organisation");
    user.organisation_id = org->id;
  }
  CP_ASSIGN_OR_RETURN(auto roles, OptionalStringArray(body, "roles"));
  if (roles) {
    user.roles = {};
    for (const auto& name : *roles) {
      auto role = domain::ParseRole(name);
      if (!role) return Status::InvalidArgument("holds an unknown role: " + name, "roles");
      user.roles.Add(*role);
    }
  }
  CP_ASSIGN_OR_RETURN(auto status, OptionalString(body, "status"));
  if (status) {
    if (*status == "active") {
      user.status = domain::AccountStatus::kActive;
    } else if (*status == "disabled") {
      user.status = domain::AccountStatus::kDisabled;
    } else {
      return Status::InvalidArgument("must be active or disabled", "status");
    }
  }
  if (const json::value* vetting = body.if_contains("vetting")) {
    if (!vetting->is_object()) return Status::InvalidArgument("must be an object", "vetting");
    const json::object& v = vetting->as_object();
    if (v.contains("crb_check_date")) {
      CP_ASSIGN_OR_RETURN(user.vetting.crb_check_date, DateField(v, "crb_check_date"));
    }
    if (v.contains("training_completed")) {
      CP_ASSIGN_OR_RETURN(user.vetting.training_completed, DateField(v, "training_completed"));
    }
    if (v.contains("agreement_signed")) {
      CP_ASSIGN_OR_RETURN(user.vetting.agreement_signed, DateField(v, "agreement_signed"));
    }
    CP_ASSIGN_OR_RETURN(auto isa, OptionalBool(v, "isa_registered"));
    if (isa) user.vetting.isa_registered = *isa;
  }
  return Status::Ok();
}

Result<domain::Organisation> OrganisationFromJson(const json::object& body,
                                                  domain::Organisation org) {
  CP_ASSIGN_OR_RETURN(auto code, OptionalString(body, "code"));
  if (code) org.code = *code;
  CP_ASSIGN_OR_RETURN(auto name, OptionalString(body, "name"));
  if (name) org.name = *name;
  CP_ASSIGN_OR_RETURN(auto type, OptionalString(body, "type"));
  if (type) {
    auto parsed = domain::ParseOrganisationType(*type);
    if (!parsed) return Status::InvalidArgument("is not a known organisation type", "type");
    org.type = *parsed;
  }
  CP_ASSIGN_OR_RETURN(auto area, OptionalString(body, "local_authority_code"));
  if (area) org.local_authority_code = *area;
  CP_ASSIGN_OR_RETURN(auto networks, OptionalString(body, "allowed_networks"));
  if (networks) org.allowed_networks = *networks;
  CP_ASSIGN_OR_RETURN(auto active, OptionalBool(body, "active"));
  if (active) org.active = *active;
  return org;
}

class JsonApi {
 public:
  explicit JsonApi(JsonApiDeps deps) : d_(deps) {}

  // Runs `fn(principal)` for an authenticated, CSRF-checked, authorised request.
  template <typename Fn>
  Response Guarded(const Request& request, policy::Permission permission, Fn&& fn) {
    auto principal = d_.gate.Authenticate(request);
    if (!principal.ok()) return http::ErrorResponse(principal.status());
    Status st = d_.gate.CheckStateChange(request, *principal);
    if (!st.ok()) return http::ErrorResponse(st);
    st = d_.gate.Require(*principal, permission, request);
    if (!st.ok()) return http::ErrorResponse(st);
    return fn(*principal);
  }

  Response CreateSession(const Request& request) {
    // A browser posting cross-site always sends Origin; refuse a foreign one (login CSRF).
    if (request.Header("Origin") && !Gate::OriginAllowed(request)) {
      return http::ErrorResponse(Status::PermissionDenied("Cross-site sign-in is not allowed"));
    }
    auto body = ParseJsonObject(request.body());
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto username = RequiredString(*body, "username");
    auto password = RequiredString(*body, "password");
    auto totp = RequiredString(*body, "totp");
    for (const Status* s : {&username.status(), &password.status(), &totp.status()}) {
      if (!s->ok()) return http::ErrorResponse(*s);
    }
    auto issued = d_.sign_in.SignIn(*username, *password, *totp, Gate::ClientFor(request));
    if (!issued.ok()) return http::ErrorResponse(issued.status());
    Response response = Response::Json(json::object{{"csrf_token", issued->csrf_token}});
    Status cookie = response.SetHostCookie(kSessionCookie, issued->token);
    if (!cookie.ok()) return http::ErrorResponse(Status::Internal("cookie"));
    return response;
  }

  Response DeleteSession(const Request& request) {
    return Guarded(request, policy::Permission::kSignedInHome, [&](const identity::Principal& p) {
      Status st = d_.gate.sessions().SignOut(p, Gate::ClientFor(request));
      if (!st.ok()) return http::ErrorResponse(st);
      Response response = Response::NoContent();
      (void)response.ClearHostCookie(kSessionCookie);
      return response;
    });
  }

  Response ExtendSession(const Request& request) {
    auto principal = d_.gate.Authenticate(request);
    if (!principal.ok()) return http::ErrorResponse(principal.status());
    Status st = d_.gate.CheckStateChange(request, *principal);
    if (!st.ok()) return http::ErrorResponse(st);
    st = d_.gate.sessions().Extend(*principal);
    if (!st.ok()) return http::ErrorResponse(st);
    domain::Session session = principal->session;
    session.last_seen_at = d_.clock.Now();
    return Response::Json(
        json::object{{"expires_at", FormatUtc(d_.gate.sessions().ExpiresAt(session))}});
  }

  Response StepUp(const Request& request) {
    auto principal = d_.gate.Authenticate(request);
    if (!principal.ok()) return http::ErrorResponse(principal.status());
    Status st = d_.gate.CheckStateChange(request, *principal);
    if (!st.ok()) return http::ErrorResponse(st);
    auto body = ParseJsonObject(request.body());
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto code = RequiredString(*body, "totp");
    if (!code.ok()) return http::ErrorResponse(code.status());
    st = d_.sign_in.StepUp(principal->session, principal->user, *code, Gate::ClientFor(request));
    if (!st.ok()) return http::ErrorResponse(st);
    return Response::Json(json::object{{"step_up_at", FormatUtc(d_.clock.Now())}});
  }

  Response Me(const Request& request) {
    auto principal = d_.gate.Authenticate(request);
    if (!principal.ok()) return http::ErrorResponse(principal.status());
    const identity::Principal& p = *principal;
    return Response::Json(
        json::object{{"username", p.user.username},
                     {"display_name", p.user.display_name},
                     {"roles", RolesArray(p.user.roles)},
                     {"organisation", p.organisation.code},
                     {"session_expires_at", FormatUtc(d_.gate.sessions().ExpiresAt(p.session))}});
  }

  Response ListOrganisations(const Request& request) {
    return Guarded(request, policy::Permission::kManageOrganisations,
                   [&](const identity::Principal& p) {
                     auto orgs = d_.accounts.ListOrganisations(Gate::ActorFor(p, request));
                     if (!orgs.ok()) return http::ErrorResponse(orgs.status());
                     json::array out;
                     for (const auto& org : *orgs) out.emplace_back(OrganisationJson(org));
                     return Response::Json(out);
                   });
  }

  Response CreateOrganisation(const Request& request) {
    return Guarded(
        request, policy::Permission::kManageOrganisations, [&](const identity::Principal& p) {
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          auto org = OrganisationFromJson(*body, domain::Organisation{});
          if (!org.ok()) return http::ErrorResponse(org.status());
          auto created = d_.accounts.CreateOrganisation(Gate::ActorFor(p, request), *org);
          if (!created.ok()) return http::ErrorResponse(created.status());
          return Response::Json(OrganisationJson(*created), 201);
        });
  }

  Response UpdateOrganisation(const Request& request) {
    return Guarded(
        request, policy::Permission::kManageOrganisations, [&](const identity::Principal& p) {
          auto existing = d_.orgs.GetByCode(std::string(request.PathParam("code")));
          if (!existing.ok()) return http::ErrorResponse(Status::NotFound("No such organisation"));
          auto body = ParseJsonObject(request.body());
          if (!body.ok()) return http::ErrorResponse(body.status());
          auto org = OrganisationFromJson(*body, *existing);
          if (!org.ok()) return http::ErrorResponse(org.status());
          auto updated = d_.accounts.UpdateOrganisation(Gate::ActorFor(p, request), *org);
          if (!updated.ok()) return http::ErrorResponse(updated.status());
          return Response::Json(OrganisationJson(*updated));
        });
  }

  std::string OrgCode(int64_t id) {
    auto org = d_.orgs.Get(id);
    return org.ok() ? org->code : std::string();
  }

  Response ListUsers(const Request& request) {
    return Guarded(request, policy::Permission::kManageUsers, [&](const identity::Principal& p) {
      auto users = d_.accounts.ListUsers(Gate::ActorFor(p, request));
      if (!users.ok()) return http::ErrorResponse(users.status());
      json::array out;
      for (const auto& u : *users)
        out.emplace_back(UserJson(u, OrgCode(u.organisation_id), d_.clock.Now()));
      return Response::Json(out);
    });
  }

  Response CreateUser(const Request& request) {
    return Guarded(request, policy::Permission::kManageUsers, [&](const identity::Principal& p) {
      auto body = ParseJsonObject(request.body());
      if (!body.ok()) return http::ErrorResponse(body.status());
      domain::User user;
      auto username = RequiredString(*body, "username");
      if (!username.ok()) return http::ErrorResponse(username.status());
      user.username = *username;
      Status st = ApplyUserFields(*body, d_.orgs, user);
      if (!st.ok()) return http::ErrorResponse(st);
      auto password = OptionalString(*body, "password");
      if (!password.ok()) return http::ErrorResponse(password.status());
      auto created = d_.accounts.CreateUser(Gate::ActorFor(p, request), user, *password);
      if (!created.ok()) return http::ErrorResponse(created.status());
      json::object out =
          UserJson(created->user, OrgCode(created->user.organisation_id), d_.clock.Now());
      if (!password->has_value()) out["initial_password"] = created->initial_password;
      return Response::Json(out, 201);
    });
  }

  Response UpdateUser(const Request& request) {
    return Guarded(request, policy::Permission::kManageUsers, [&](const identity::Principal& p) {
      workflow::Actor actor = Gate::ActorFor(p, request);
      auto user = d_.accounts.GetUser(actor, std::string(request.PathParam("username")));
      if (!user.ok()) return http::ErrorResponse(Status::NotFound("No such user"));
      auto body = ParseJsonObject(request.body());
      if (!body.ok()) return http::ErrorResponse(body.status());
      Status st = ApplyUserFields(*body, d_.orgs, *user);
      if (!st.ok()) return http::ErrorResponse(st);
      auto updated = d_.accounts.UpdateUser(actor, *user);
      if (!updated.ok()) return http::ErrorResponse(updated.status());
      return Response::Json(UserJson(*updated, OrgCode(updated->organisation_id), d_.clock.Now()));
    });
  }

  template <typename Action>
  Response UserAction(const Request& request, Action&& action) {
    return Guarded(request, policy::Permission::kManageUsers, [&](const identity::Principal& p) {
      Status st = action(Gate::ActorFor(p, request), std::string(request.PathParam("username")));
      if (st.code() == StatusCode::kNotFound)
        return http::ErrorResponse(Status::NotFound("No such user"));
      if (!st.ok()) return http::ErrorResponse(st);
      return Response::NoContent();
    });
  }

  Response Unlock(const Request& request) {
    return UserAction(request, [&](const workflow::Actor& actor, const std::string& username) {
      return d_.accounts.Unlock(actor, username);
    });
  }

  Response ResetToken(const Request& request) {
    return UserAction(request, [&](const workflow::Actor& actor, const std::string& username) {
      return d_.accounts.ResetToken(actor, username);
    });
  }

 private:
  JsonApiDeps d_;
};

}  // namespace

Status RegisterJsonApi(http::Router& router, JsonApiDeps deps) {
  auto api = std::make_shared<JsonApi>(deps);
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/session", [api](const Request& r) { return api->CreateSession(r); }));
  CP_RETURN_IF_ERROR(
      router.Delete("/api/v1/session", [api](const Request& r) { return api->DeleteSession(r); }));
  CP_RETURN_IF_ERROR(router.Post("/api/v1/session/extend",
                                 [api](const Request& r) { return api->ExtendSession(r); }));
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/session/step-up", [api](const Request& r) { return api->StepUp(r); }));
  CP_RETURN_IF_ERROR(router.Get("/api/v1/me", [api](const Request& r) { return api->Me(r); }));
  CP_RETURN_IF_ERROR(router.Get("/api/v1/organisations",
                                [api](const Request& r) { return api->ListOrganisations(r); }));
  CP_RETURN_IF_ERROR(router.Post("/api/v1/organisations",
                                 [api](const Request& r) { return api->CreateOrganisation(r); }));
  CP_RETURN_IF_ERROR(router.Put("/api/v1/organisations/{code}",
                                [api](const Request& r) { return api->UpdateOrganisation(r); }));
  CP_RETURN_IF_ERROR(
      router.Get("/api/v1/users", [api](const Request& r) { return api->ListUsers(r); }));
  CP_RETURN_IF_ERROR(
      router.Post("/api/v1/users", [api](const Request& r) { return api->CreateUser(r); }));
  CP_RETURN_IF_ERROR(router.Put("/api/v1/users/{username}",
                                [api](const Request& r) { return api->UpdateUser(r); }));
  CP_RETURN_IF_ERROR(router.Post("/api/v1/users/{username}/unlock",
                                 [api](const Request& r) { return api->Unlock(r); }));
  CP_RETURN_IF_ERROR(router.Post("/api/v1/users/{username}/reset-token",
                                 [api](const Request& r) { return api->ResetToken(r); }));
  return Status::Ok();
}

}  // namespace cp::api
