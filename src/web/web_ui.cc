#include "web/web_ui.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "api/deferred_audit.h"
#include "auth/csrf.h"
#include "auth/qr_svg.h"
#include "auth/session_token.h"
#include "auth/totp.h"
#include "domain/organisation.h"
#include "domain/role.h"
#include "domain/shielding.h"
#include "domain/uin.h"
#include "domain/user.h"
#include "http/logger.h"
#include "policy/access_reasons.h"
#include "policy/permission.h"
#include "policy/rbac.h"
#include "web/admin_pages.h"
#include "web/auth_pages.h"
#include "web/break_glass_ui.h"
#include "web/desk_pages.h"
#include "web/directory_pages.h"
#include "web/error_pages.h"
#include "web/form.h"
#include "web/home_page.h"
#include "web/layout.h"
#include "web/shielding_pages.h"
#include "web/shielding_ui.h"

namespace cp::web {
namespace {

using http::Request;
using http::Response;
using identity::Principal;

constexpr std::string_view kFormExpired = "The form had expired. Try again.";
constexpr std::string_view kSignInTooLong = "Your sign-in took too long. Start again.";
// The pending cookie lives as long as the service keeps the half-finished sign-in.
constexpr std::chrono::seconds kPendingCookieAge{5 * 60};
constexpr std::chrono::seconds kFlashCookieAge{60};

// The one-time messages a redirect can carry, by code (the cookie holds only the code).
const std::map<std::string, std::string, std::less<>>& FlashMessages() {
  static const std::map<std::string, std::string, std::less<>> kMessages = {
      {"user-saved", "User details saved"},
      {"user-unlocked", "Account unlocked"},
      {"token-reset",
       "Authenticator app reset. The user will set up a new one when they next sign in."},
      {"org-added", "Organisation added"},
      {"org-saved", "Organisation details saved"},
      {"request-approved", "Shield request approved and the record shielded"},
      {"request-rejected", "Shield request rejected and logged"},
      {"review-recorded", "Review recorded"},
      {"unshielded", "Record unshielded"},
      // shielding_ui.cc:
      {"request-withdrawn",
       "Shield request withdrawn. The record stays shielded until "
       "management decides."},
      {"request-decided", "Someone else has already decided that request"},
      {"telephone-recorded", "Telephone request recorded and the record shielded"},
      {"form-received", "Completed request form recorded as received"},
      {"document-added", "Document added"},
      {"appeal-recorded", "Appeal recorded"},
      {"appeal-decided", "Outcome of the appeal recorded"},
      {"confirmation-sent", "Confirmation recorded as sent today"},
  };
  return kMessages;
}

Response Page(const Html& html, int status = 200) { return Response::Html(html.str(), status); }

Response ErrorPage(const PageContext& ctx, int status) {
  return Page(RenderErrorPage(ctx, status), status);
}

// The page for a failure that is not a validation error of the form being handled.
Response FailurePage(const PageContext& ctx, const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnauthenticated:
      return Response::Redirect("/sign-in");
    case StatusCode::kPermissionDenied:
      return ErrorPage(ctx, 403);
    case StatusCode::kNotFound:
      return ErrorPage(ctx, 404);
    case StatusCode::kUnavailable:
      return ErrorPage(ctx, 503);
    case StatusCode::kInvalidArgument:
      return ErrorPage(ctx, 400);
    default:
      return ErrorPage(ctx, 500);
  }
}

// What a search or record page becomes when its audit entry cannot be committed: the
// "service unavailable" page, rendered apart from the held page so nothing of it leaves.
Response AuditFailurePage(const Status& status) { return FailurePage(PageContext{}, status); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A plausible token we issued: base64url, 16..128 characters.
bool LooksLikeToken(std::string_view token) {
  if (token.size() < 16 || token.size() > 128) return false;
  return std::all_of(token.begin(), token.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

// Sets a cookie whose value we generated (always valid cookie-octets).
void SetCookie(Response& response, std::string_view name, std::string_view value,
               std::optional<std::chrono::seconds> max_age = std::nullopt) {
  Status st = response.SetHostCookie(name, value, max_age);
  if (!st.ok()) response = Response::Html(RenderErrorPage(PageContext{}, 500).str(), 500);
}

void ClearCookie(Response& response, std::string_view name) {
  (void)response.ClearHostCookie(name);
}

Response RedirectWithFlash(std::string location, std::string_view flash_code) {
  Response response = Response::Redirect(std::move(location));
  SetCookie(response, kFlashCookie, flash_code, kFlashCookieAge);
  return response;
}

std::string UserPath(std::string_view username) {
  return "/admin/users/" + EncodePathSegment(username);
}

// --- Dates in three fields -------------------------------------------------------------------

DateParts PartsOf(const std::optional<Date>& date) {
  if (!date) return {};
  return {std::to_string(date->day()), std::to_string(date->month()), std::to_string(date->year())};
}

DateParts PartsFromForm(const FormData& form, std::string_view name) {
  const std::string base(name);
  return {std::string(Trim(form.Value(base + "-day"))),
          std::string(Trim(form.Value(base + "-month"))),
          std::string(Trim(form.Value(base + "-year")))};
}

std::optional<int> ParseSmallInt(std::string_view text) {
  if (text.empty() || text.size() > 4) return std::nullopt;
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// The date typed into `parts` (nullopt when all three are empty), or an error message using
// `label` ("Date of CRB check must be a real date").
Result<std::optional<Date>> DateFromParts(const DateParts& parts, std::string_view label,
                                          std::string_view field) {
  if (parts.day.empty() && parts.month.empty() && parts.year.empty()) {
    return std::optional<Date>();
  }
  const std::string name(label);
  for (const auto& [text, unit] : {std::pair{&parts.day, "day"}, std::pair{&parts.month, "month"},
                                   std::pair{&parts.year, "year"}}) {
    if (text->empty()) {
      return Status::InvalidArgument(name + " must include a " + unit, std::string(field));
    }
  }
  auto d = ParseSmallInt(parts.day);
  auto m = ParseSmallInt(parts.month);
  auto y = ParseSmallInt(parts.year);
  if (!d || !m || !y || parts.year.size() != 4) {
    return Status::InvalidArgument(name + " must be a real date", std::string(field));
  }
  auto date = Date::FromYmd(*y, *m, *d, field);
  if (!date.ok()) {
    return Status::InvalidArgument(name + " must be a real date", std::string(field));
  }
  return std::optional<Date>(*date);
}

// --- Users -----------------------------------------------------------------------------------

VettingStatus VettingOf(const domain::User& user, Date today) {
  if (domain::CheckVetting(user.vetting, today).ok()) return VettingStatus::kComplete;
  auto expiry = domain::CrbExpiry(user.vetting);
  if (expiry && *expiry <= today) return VettingStatus::kExpired;
  return VettingStatus::kIncomplete;
}

bool IsLocked(const domain::User& user, TimePoint now) {
  return user.locked_until.has_value() && *user.locked_until > now;
}

std::string OrganisationFieldFor(const std::string& field) {
  if (field == "organisation") return "organisation_id";
  if (field == "local_authority_code") return "area";
  return field;
}

// The error key of the form for a Status from the workflow layer: its field when the form has
// one of that name, otherwise "" (a message about the whole form).
std::string ErrorKeyFor(const Status& status, std::span<const std::string_view> fields) {
  const std::string key = OrganisationFieldFor(status.field());
  for (std::string_view f : fields) {
    if (f == key) return key;
  }
  return "";
}

constexpr std::string_view kUserFields[] = {"username",       "display_name",    "email",
                                            "phone",          "organisation_id", "roles",
                                            "crb_check_date", "isa_registered",  "training_date",
                                            "agreement_date", "status"};
constexpr std::string_view kOrganisationFields[] = {"code", "name", "type", "area",
                                                    "allowed_networks"};

bool IsValidationFailure(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument ||
         status.code() == StatusCode::kAlreadyExists ||
         status.code() == StatusCode::kFailedPrecondition;
}

// "10.0.0.0/8,192.0.2.0/24" (stored) <-> one network per line (the form).
std::string NetworksForForm(std::string_view stored) {
  std::string out;
  size_t pos = 0;
  while (pos <= stored.size()) {
    size_t comma = stored.find(',', pos);
    if (comma == std::string_view::npos) comma = stored.size();
    std::string_view item = Trim(stored.substr(pos, comma - pos));
    pos = comma + 1;
    if (item.empty()) continue;
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

std::string NetworksFromForm(std::string_view typed) {
  std::string out;
  size_t pos = 0;
  while (pos <= typed.size()) {
    size_t end = typed.find_first_of(",\r\n", pos);
    if (end == std::string_view::npos) end = typed.size();
    std::string_view item = Trim(typed.substr(pos, end - pos));
    pos = end + 1;
    if (item.empty()) continue;
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

class WebUi {
 public:
  explicit WebUi(WebUiDeps deps) : d_(deps) {}

  // ---- Signed-in plumbing -------------------------------------------------------------------

  PageContext ContextFor(const Principal& p, const Request& request) const {
    PageContext ctx;
    ctx.signed_in = true;
    ctx.display_name = p.user.display_name.empty() ? p.user.username : p.user.display_name;
    ctx.roles = p.user.roles.Names();
    ctx.csrf_token = p.session.csrf_token;
    ctx.idle_seconds = d_.idle_seconds;
    ctx.warn_seconds = d_.warn_seconds;
    ctx.current_path = request.path();
    return ctx;
  }

  // Runs `fn(principal, ctx, form)` for a request from a signed-in user with `permission`,
  // after the CSRF and Origin checks for a POST. `form` is empty for GET. The flash message,
  // if any, is put in ctx and its cookie cleared when the page is shown.
  template <typename Fn>
  Response Guarded(const Request& request, policy::Permission permission, Fn&& fn) {
    auto principal = d_.gate.Authenticate(request);
    if (!principal.ok()) {
      if (principal.status().code() == StatusCode::kUnauthenticated) {
        Response r = Response::Redirect("/sign-in");
        ClearCookie(r, api::kSessionCookie);
        return r;
      }
      return FailurePage(PageContext{}, principal.status());
    }
    PageContext ctx = ContextFor(*principal, request);
    FormData form;
    const bool post = request.method() != "GET" && request.method() != "HEAD";
    if (post) {
      auto parsed = ParseForm(request);
      if (!parsed.ok()) return ErrorPage(ctx, 400);
      form = std::move(*parsed);
    }
    Status st = d_.gate.CheckStateChange(request, *principal, form.Get(kCsrfFieldName));
    if (!st.ok()) return FailurePage(ctx, st);
    st = d_.gate.Require(*principal, permission, request);
    if (!st.ok()) return FailurePage(ctx, st);
    if (d_.break_glass != nullptr) {  // Any other page means the user left a Break Glass record.
      st = d_.break_glass->EndGrantsExcept(api::Gate::ActorFor(*principal, request), 0,
                                           "left_record");
      if (!st.ok()) return FailurePage(ctx, st);
    }
    bool flash_shown = false;
    if (!post) {
      auto code = request.HostCookie(kFlashCookie);
      if (code) {
        auto it = FlashMessages().find(*code);
        if (it != FlashMessages().end()) ctx.flash = it->second;
        flash_shown = true;
      }
    }
    Response response = fn(*principal, ctx, form);
    if (flash_shown && response.status() == 200) ClearCookie(response, kFlashCookie);
    return response;
  }

  static Result<FormData> ParseForm(const Request& request) {
    if (!IsFormContentType(request.Header("Content-Type").value_or(""))) {
      return Status::InvalidArgument("Not a form", "form");
    }
    return FormData::Parse(request.body());
  }

  // ---- Pre-session CSRF (sign-in and code steps) --------------------------------------------

  // The browser's pre-session token, or a new one when it has none (or a malformed one).
  std::string PreSessionToken(const Request& request) {
    auto existing = request.HostCookie(kPreSessionCookie);
    if (existing && LooksLikeToken(*existing)) return std::string(*existing);
    return auth::MakeSessionToken(d_.random).token;
  }

  enum class PreSessionCheck { kOk, kBadOrigin, kBadToken, kUnavailable };
  // The Origin rule and the double-submit token; a refusal is audited.
  PreSessionCheck CheckPreSession(const Request& request, const FormData& form) {
    std::string_view reason;
    PreSessionCheck outcome = PreSessionCheck::kOk;
    if (!api::Gate::OriginAllowed(request)) {
      reason = "origin";
      outcome = PreSessionCheck::kBadOrigin;
    } else {
      auto cookie = request.HostCookie(kPreSessionCookie);
      auto presented = form.Get(kCsrfFieldName);
      if (!cookie || !presented || !auth::CheckCsrf(*cookie, *presented)) {
        reason = "csrf";
        outcome = PreSessionCheck::kBadToken;
      }
    }
    if (outcome == PreSessionCheck::kOk) return outcome;
    Status st = d_.gate.Deny(request, nullptr, reason,
                             Status::PermissionDenied("Cross-site request refused"));
    return st.code() == StatusCode::kUnavailable ? PreSessionCheck::kUnavailable : outcome;
  }

  Response SignInPage(const Request& request, SignInView view, int status) {
    view.csrf_token = PreSessionToken(request);
    Response response = Page(RenderSignInPage(PageContext{}, view), status);
    SetCookie(response, kPreSessionCookie, view.csrf_token);
    return response;
  }

  Response SignInPageWithError(const Request& request, std::string_view message, int status,
                               std::string username = {}) {
    SignInView view;
    view.username = std::move(username);
    view.errors[""] = std::string(message);
    return SignInPage(request, std::move(view), status);
  }

  Response CodePage(const Request& request, FieldErrors errors, int status) {
    CodeView view;
    view.csrf_token = PreSessionToken(request);
    view.errors = std::move(errors);
    Response response = Page(RenderCodePage(PageContext{}, view), status);
    SetCookie(response, kPreSessionCookie, view.csrf_token);
    return response;
  }

  // ---- Sign-in ------------------------------------------------------------------------------

  Response GetSignIn(const Request& request) {
    SignInView view;
    auto error = request.Query("error");
    if (error == "failed") view.errors[""] = std::string(identity::kGenericFailure);
    if (error == "expired") view.errors[""] = std::string(kSignInTooLong);
    return SignInPage(request, std::move(view), 200);
  }

  Response PostSignIn(const Request& request) {
    auto form = ParseForm(request);
    if (!form.ok()) return ErrorPage(PageContext{}, 400);
    switch (CheckPreSession(request, *form)) {
      case PreSessionCheck::kOk:
        break;
      case PreSessionCheck::kBadOrigin:
        return ErrorPage(PageContext{}, 403);
      case PreSessionCheck::kUnavailable:
        return ErrorPage(PageContext{}, 503);
      case PreSessionCheck::kBadToken:
        return SignInPageWithError(request, kFormExpired, 403,
                                   std::string(Trim(form->Value("username"))));
    }
    SignInView view;
    view.username = std::string(Trim(form->Value("username")));
    const std::string password = form->Value("password");
    if (view.username.empty()) view.errors["username"] = "Enter your username";
    if (password.empty()) view.errors["password"] = "Enter your password";
    if (!view.errors.empty()) return SignInPage(request, std::move(view), 400);

    auto step = d_.sign_in.SubmitPassword(view.username, password, api::Gate::ClientFor(request));
    if (!step.ok()) return SignInFailure(request, step.status(), view.username);
    if (step->enrolment) {
      Response response = Response::Redirect("/enrol");
      SetCookie(response, api::kSessionCookie, step->enrolment->token);
      ClearCookie(response, api::kPendingCookie);
      return response;
    }
    if (!step->pending_token) return ErrorPage(PageContext{}, 500);
    Response response = Response::Redirect("/sign-in/code");
    SetCookie(response, api::kPendingCookie, *step->pending_token, kPendingCookieAge);
    return response;
  }

  // The sign-in page (or error page) for a failed password or code step.
  Response SignInFailure(const Request& request, const Status& status, std::string username) {
    switch (status.code()) {
      case StatusCode::kResourceExhausted:
        return SignInPageWithError(request, kTooManyAttempts, 429, std::move(username));
      case StatusCode::kPermissionDenied:
        return SignInPageWithError(request, status.message(), 403, std::move(username));
      case StatusCode::kUnauthenticated:
        return SignInPageWithError(request, identity::kGenericFailure, 401, std::move(username));
      case StatusCode::kUnavailable:
        return ErrorPage(PageContext{}, 503);
      default:
        return ErrorPage(PageContext{}, 500);
    }
  }

  Response GetCode(const Request& request) {
    if (!request.HostCookie(api::kPendingCookie)) return Response::Redirect("/sign-in");
    return CodePage(request, {}, 200);
  }

  Response PostCode(const Request& request) {
    auto form = ParseForm(request);
    if (!form.ok()) return ErrorPage(PageContext{}, 400);
    switch (CheckPreSession(request, *form)) {
      case PreSessionCheck::kOk:
        break;
      case PreSessionCheck::kBadOrigin:
        return ErrorPage(PageContext{}, 403);
      case PreSessionCheck::kUnavailable:
        return ErrorPage(PageContext{}, 503);
      case PreSessionCheck::kBadToken:
        return CodePage(request, {{"", std::string(kFormExpired)}}, 403);
    }
    auto pending = request.HostCookie(api::kPendingCookie);
    if (!pending) return Response::Redirect("/sign-in?error=expired");
    const std::string code = form->Value("code");
    if (Trim(code).empty()) {
      return CodePage(request, {{"code", "Enter the code from your authenticator app"}}, 400);
    }
    if (!auth::NormalizeTotpCode(code)) {
      return CodePage(request,
                      {{"code", "Enter the 6-digit code from your authenticator app, like 123456"}},
                      400);
    }
    auto issued = d_.sign_in.SubmitCode(std::string(*pending), code, api::Gate::ClientFor(request));
    Response response;
    if (issued.ok()) {
      response = Response::Redirect("/");
      SetCookie(response, api::kSessionCookie, issued->token);
      ClearCookie(response, kPreSessionCookie);
    } else if (issued.status().code() == StatusCode::kUnauthenticated) {
      // The pending token is single-use: the user starts again.
      response = Response::Redirect(issued.status().message() == identity::kGenericFailure
                                        ? "/sign-in?error=failed"
                                        : "/sign-in?error=expired");
    } else {
      response = SignInFailure(request, issued.status(), {});
    }
    ClearCookie(response, api::kPendingCookie);
    return response;
  }

  // ---- Enrolment ----------------------------------------------------------------------------

  // The enrolment-stage principal, or the response to send instead.
  std::variant<Principal, Response> EnrolmentPrincipal(const Request& request) {
    auto principal = d_.gate.Authenticate(request, /*allow_enrolment_stage=*/true);
    if (!principal.ok()) return FailurePage(PageContext{}, principal.status());
    if (principal->session.stage != domain::SessionStage::kEnrolment) {
      return Response::Redirect("/");
    }
    return std::move(*principal);
  }

  Response EnrolPage(const Principal& p, FieldErrors errors, int status) {
    auto key = d_.sign_in.BeginEnrolment(p.user);
    if (!key.ok()) {
      if (key.status().code() == StatusCode::kFailedPrecondition) return Response::Redirect("/");
      return FailurePage(PageContext{}, key.status());
    }
    auto svg = auth::RenderQrSvg(key->provisioning_uri, "QR code for your authenticator app");
    if (!svg.ok()) return ErrorPage(PageContext{}, 500);
    EnrolView view;
    view.csrf_token = p.session.csrf_token;
    view.qr_svg = Html::Trusted(std::move(*svg));  // From the auth layer's generator.
    view.secret_base32 = key->base32_secret;
    view.errors = std::move(errors);
    return Page(RenderEnrolPage(PageContext{}, view), status);
  }

  Response GetEnrol(const Request& request) {
    auto principal = EnrolmentPrincipal(request);
    if (auto* r = std::get_if<Response>(&principal)) return std::move(*r);
    return EnrolPage(std::get<Principal>(principal), {}, 200);
  }

  Response PostEnrol(const Request& request) {
    auto principal_or = EnrolmentPrincipal(request);
    if (auto* r = std::get_if<Response>(&principal_or)) return std::move(*r);
    const Principal& p = std::get<Principal>(principal_or);
    auto form = ParseForm(request);
    if (!form.ok()) return ErrorPage(PageContext{}, 400);
    Status st = d_.gate.CheckStateChange(request, p, form->Get(kCsrfFieldName));
    if (!st.ok()) return FailurePage(PageContext{}, st);
    const std::string code = form->Value("code");
    if (Trim(code).empty()) {
      return EnrolPage(p, {{"code", "Enter the code from your authenticator app"}}, 400);
    }
    auto issued =
        d_.sign_in.CompleteEnrolment(p.session, p.user, code, api::Gate::ClientFor(request));
    if (!issued.ok()) {
      const Status& s = issued.status();
      if (s.code() == StatusCode::kInvalidArgument) {
        return EnrolPage(p, {{s.field() == "code" ? "code" : "", s.message()}}, 400);
      }
      if (s.code() == StatusCode::kFailedPrecondition) return Response::Redirect("/enrol");
      return FailurePage(PageContext{}, s);
    }
    Response response = Response::Redirect("/");
    SetCookie(response, api::kSessionCookie, issued->token);
    return response;
  }

  // ---- Home, sign-out -----------------------------------------------------------------------

  Response Home(const Request& request) {
    return Guarded(request, policy::Permission::kSignedInHome,
                   [&](const Principal& p, const PageContext& ctx, const FormData&) {
                     HomeView view;
                     view.display_name = ctx.display_name;
                     view.organisation_name = p.organisation.name;
                     auto notes = d_.shielding.Notifications(api::Gate::ActorFor(p, request));
                     if (notes.ok()) view.notifications = static_cast<int64_t>(notes->size());
                     return Page(RenderHomePage(ctx, view));
                   });
  }

  Response PostSignOut(const Request& request) {
    auto principal = d_.gate.Authenticate(request);
    if (!principal.ok()) {
      if (principal.status().code() == StatusCode::kUnavailable) {
        return ErrorPage(PageContext{}, 503);
      }
      // No usable session: there is nothing to end; forget the cookie.
      Response response = Response::Redirect("/signed-out");
      ClearCookie(response, api::kSessionCookie);
      return response;
    }
    PageContext ctx = ContextFor(*principal, request);
    auto form = ParseForm(request);
    if (!form.ok()) return ErrorPage(ctx, 400);
    Status st = d_.gate.CheckStateChange(request, *principal, form->Get(kCsrfFieldName));
    if (!st.ok()) return FailurePage(ctx, st);
    st = d_.gate.sessions().SignOut(*principal, api::Gate::ClientFor(request));
    if (!st.ok()) return FailurePage(ctx, st);
    Response response = Response::Redirect("/signed-out");
    ClearCookie(response, api::kSessionCookie);
    return response;
  }

  // The idle timer's navigation at expiry. A GET that changes state, but only ends the
  // caller's own session (and the SameSite=Strict cookie is not sent cross-site).
  Response GetSignOut(const Request& request) {
    auto principal = d_.gate.Authenticate(request);
    if (principal.ok()) {
      Status st = d_.gate.sessions().SignOut(*principal, api::Gate::ClientFor(request));
      if (!st.ok()) return FailurePage(PageContext{}, st);
    } else if (principal.status().code() == StatusCode::kUnavailable) {
      return ErrorPage(PageContext{}, 503);
    }
    Response response = Response::Redirect(
        request.Query("reason") == "timeout" ? "/signed-out?reason=timeout" : "/signed-out");
    ClearCookie(response, api::kSessionCookie);
    return response;
  }

  Response SignedOut(const Request& request) {
    SignedOutView view;
    if (request.Query("reason") == "timeout") view.reason = SignedOutReason::kTimedOut;
    return Page(RenderSignedOutPage(PageContext{}, view));
  }

  // ---- Users --------------------------------------------------------------------------------

  std::vector<Option> OrganisationOptions() {
    std::vector<Option> out;
    auto orgs = d_.orgs.List();
    if (!orgs.ok()) return out;
    for (const auto& o : *orgs) out.push_back({std::to_string(o.id), o.name + " (" + o.code + ")"});
    return out;
  }

  UserFormView FormViewOf(const domain::User& user) {
    UserFormView v;
    v.is_new = false;
    v.user_id = user.username;
    v.username = user.username;
    v.display_name = user.display_name;
    v.email = user.email;
    v.phone = user.phone;
    v.organisation_id = std::to_string(user.organisation_id);
    v.organisations = OrganisationOptions();
    v.roles = user.roles.Names();
    v.crb_check_date = PartsOf(user.vetting.crb_check_date);
    v.isa_registered = user.vetting.isa_registered;
    v.training_date = PartsOf(user.vetting.training_completed);
    v.agreement_date = PartsOf(user.vetting.agreement_signed);
    v.version = std::to_string(user.version);
    v.active = user.status == domain::AccountStatus::kActive;
    v.locked = IsLocked(user, d_.clock.Now());
    return v;
  }

  // Reads the posted user form into `view` (to re-render) and onto `user`; returns the
  // errors found before asking the workflow layer.
  FieldErrors ReadUserForm(const FormData& form, UserFormView& view, domain::User& user) {
    FieldErrors errors;
    view.display_name = std::string(Trim(form.Value("display_name")));
    view.email = std::string(Trim(form.Value("email")));
    view.phone = std::string(Trim(form.Value("phone")));
    view.organisation_id = form.Value("organisation_id");
    view.roles = form.All("roles");
    view.crb_check_date = PartsFromForm(form, "crb_check_date");
    view.isa_registered = form.Value("isa_registered") == "yes";
    view.training_date = PartsFromForm(form, "training_date");
    view.agreement_date = PartsFromForm(form, "agreement_date");
    view.organisations = OrganisationOptions();

    user.display_name = view.display_name;
    user.email = view.email;
    user.phone = view.phone;
    if (user.display_name.empty()) errors["display_name"] = "Enter the user's full name";

    int64_t org_id = 0;
    auto [ptr, ec] =
        std::from_chars(view.organisation_id.data(),
                        view.organisation_id.data() + view.organisation_id.size(), org_id);
    if (view.organisation_id.empty() || ec != std::errc() ||
        ptr != view.organisation_id.data() + view.organisation_id.size()) {
      errors["organisation_id"] = "Choose the user's organisation";
    } else {
      user.organisation_id = org_id;
    }

    // Roles the form does not offer (service accounts' data_source) are kept as they were.
    domain::RoleSet roles;
    if (user.roles.Has(domain::Role::kDataSource)) roles.Add(domain::Role::kDataSource);
    for (const std::string& name : view.roles) {
      auto role = domain::ParseRole(name);
      if (!role || *role == domain::Role::kDataSource) {
        errors["roles"] = "Choose roles from the list";
      } else {
        roles.Add(*role);
      }
    }
    if (roles.empty() && !errors.contains("roles")) errors["roles"] = "Choose at least one role";
    user.roles = roles;

    struct DateField {
      const char* name;
      const char* label;
      const DateParts* parts;
      std::optional<Date>* target;
    };
    for (const DateField& f :
         {DateField{"crb_check_date", "Date of CRB check", &view.crb_check_date,
                    &user.vetting.crb_check_date},
          DateField{"training_date", "Date ContactPoint training was completed",
                    &view.training_date, &user.vetting.training_completed},
          DateField{"agreement_date", "Date the user agreement was signed", &view.agreement_date,
                    &user.vetting.agreement_signed}}) {
      auto date = DateFromParts(*f.parts, f.label, f.name);
      if (date.ok()) {
        *f.target = *date;
      } else {
        errors[f.name] = date.status().message();
      }
    }
    user.vetting.isa_registered = view.isa_registered;
    return errors;
  }

  Response UsersList(const Request& request) {
    return Guarded(request, policy::Permission::kManageUsers,
                   [&](const Principal& p, const PageContext& ctx, const FormData&) {
                     auto users = d_.accounts.ListUsers(api::Gate::ActorFor(p, request));
                     if (!users.ok()) return FailurePage(ctx, users.status());
                     std::map<int64_t, std::string> org_names;
                     if (auto orgs = d_.orgs.List(); orgs.ok()) {
                       for (const auto& o : *orgs) org_names[o.id] = o.name;
                     }
                     const TimePoint now = d_.clock.Now();
                     const Date today = Date::FromTime(now);
                     UsersListView view;
                     for (const domain::User& u : *users) {
                       UserRow row;
                       row.id = u.username;
                       row.username = u.username;
                       row.display_name = u.display_name;
                       row.organisation_name = org_names[u.organisation_id];
                       row.roles = u.roles.Names();
                       row.vetting = VettingOf(u, today);
                       row.status = u.status != domain::AccountStatus::kActive
                                        ? AccountStatus::kDisabled
                                    : IsLocked(u, now) ? AccountStatus::kLocked
                                                       : AccountStatus::kActive;
                       view.users.push_back(std::move(row));
                     }
                     return Page(RenderUsersPage(ctx, view));
                   });
  }

  Response NewUser(const Request& request) {
    return Guarded(request, policy::Permission::kManageUsers,
                   [&](const Principal&, const PageContext& ctx, const FormData&) {
                     UserFormView view;
                     view.organisations = OrganisationOptions();
                     return Page(RenderUserFormPage(ctx, view));
                   });
  }

  Response CreateUser(const Request& request) {
    return Guarded(request, policy::Permission::kManageUsers,
                   [&](const Principal& p, const PageContext& ctx, const FormData& form) {
                     UserFormView view;
                     view.username = std::string(Trim(form.Value("username")));
                     domain::User user;
                     user.username = view.username;
                     view.errors = ReadUserForm(form, view, user);
                     if (view.username.empty()) {
                       view.errors["username"] = "Enter a username";
                     } else if (Status s = domain::ValidateUsername(view.username); !s.ok()) {
                       view.errors["username"] = s.message();
                     }
                     if (!view.errors.empty()) return Page(RenderUserFormPage(ctx, view), 400);
                     auto created = d_.accounts.CreateUser(api::Gate::ActorFor(p, request), user,
                                                           std::nullopt);
                     if (!created.ok()) {
                       if (!IsValidationFailure(created.status()))
                         return FailurePage(ctx, created.status());
                       view.errors[ErrorKeyFor(created.status(), kUserFields)] =
                           created.status().message();
                       return Page(RenderUserFormPage(ctx, view), 400);
                     }
                     // The one-time password exists only in this response: shown once, never
                     // stored.
                     UserFormView done = FormViewOf(created->user);
                     done.initial_password = created->initial_password;
                     PageContext done_ctx = ctx;
                     done_ctx.flash = "User " + created->user.username + " added";
                     done_ctx.current_path = UserPath(created->user.username);
                     return Page(RenderUserFormPage(done_ctx, done));
                   });
  }

  Response EditUser(const Request& request) {
    return Guarded(request, policy::Permission::kManageUsers,
                   [&](const Principal& p, const PageContext& ctx, const FormData&) {
                     auto user = d_.accounts.GetUser(api::Gate::ActorFor(p, request),
                                                     std::string(request.PathParam("username")));
                     if (!user.ok()) return FailurePage(ctx, user.status());
                     return Page(RenderUserFormPage(ctx, FormViewOf(*user)));
                   });
  }

  Response UpdateUser(const Request& request) {
    return Guarded(
        request, policy::Permission::kManageUsers,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          const workflow::Actor actor = api::Gate::ActorFor(p, request);
          auto existing = d_.accounts.GetUser(actor, std::string(request.PathParam("username")));
          if (!existing.ok()) return FailurePage(ctx, existing.status());
          domain::User user = *existing;
          UserFormView view = FormViewOf(user);
          view.errors = ReadUserForm(form, view, user);
          const std::string status = form.Value("status");
          if (status == "active") {
            user.status = domain::AccountStatus::kActive;
          } else if (status == "disabled") {
            user.status = domain::AccountStatus::kDisabled;
          } else {
            view.errors["status"] = "Choose whether the account is active or disabled";
          }
          view.active = user.status == domain::AccountStatus::kActive;
          const std::string version = form.Value("version");
          auto [ptr, ec] =
              std::from_chars(version.data(), version.data() + version.size(), user.version);
          if (version.empty() || ec != std::errc() || ptr != version.data() + version.size()) {
            return ErrorPage(ctx, 400);
          }
          view.version = version;
          if (!view.errors.empty()) return Page(RenderUserFormPage(ctx, view), 400);
          auto updated = d_.accounts.UpdateUser(actor, user);
          if (updated.ok()) return RedirectWithFlash(UserPath(user.username), "user-saved");
          const Status& s = updated.status();
          if (s.code() == StatusCode::kConflict) {
            // Someone else saved first: show what is stored now.
            auto current = d_.accounts.GetUser(actor, user.username);
            if (!current.ok()) return FailurePage(ctx, current.status());
            UserFormView fresh = FormViewOf(*current);
            fresh.errors[""] =
                "Someone else changed this user while you were editing. Check the details "
                "and make your changes again.";
            return Page(RenderUserFormPage(ctx, fresh), 409);
          }
          if (!IsValidationFailure(s)) return FailurePage(ctx, s);
          view.errors[ErrorKeyFor(s, kUserFields)] = s.message();
          return Page(RenderUserFormPage(ctx, view), 400);
        });
  }

  template <typename Action>
  Response UserAction(const Request& request, std::string_view flash_code, Action&& action) {
    return Guarded(request, policy::Permission::kManageUsers,
                   [&](const Principal& p, const PageContext& ctx, const FormData&) {
                     const std::string username(request.PathParam("username"));
                     Status st = action(api::Gate::ActorFor(p, request), username);
                     if (!st.ok()) return FailurePage(ctx, st);
                     return RedirectWithFlash(UserPath(username), flash_code);
                   });
  }

  Response Unlock(const Request& request) {
    return UserAction(request, "user-unlocked",
                      [&](const workflow::Actor& actor, const std::string& username) {
                        return d_.accounts.Unlock(actor, username);
                      });
  }

  Response ResetToken(const Request& request) {
    return UserAction(request, "token-reset",
                      [&](const workflow::Actor& actor, const std::string& username) {
                        return d_.accounts.ResetToken(actor, username);
                      });
  }

  // ---- Organisations ------------------------------------------------------------------------

  std::vector<Option> AreaOptions() {
    std::vector<Option> out;
    auto orgs = d_.orgs.List();
    if (!orgs.ok()) return out;
    for (const auto& o : *orgs) {
      if (o.type == domain::OrganisationType::kLocalAuthority) out.push_back({o.code, o.name});
    }
    return out;
  }

  OrganisationFormView OrgFormViewOf(const domain::Organisation& org) {
    OrganisationFormView v;
    v.is_new = false;
    v.organisation_id = org.code;
    v.code = org.code;
    v.name = org.name;
    v.type = std::string(domain::OrganisationTypeName(org.type));
    v.area = org.local_authority_code;
    v.areas = AreaOptions();
    v.allowed_networks = NetworksForForm(org.allowed_networks);
    return v;
  }

  // Reads the posted organisation form (all but the code) into `view` and onto `org`.
  FieldErrors ReadOrgForm(const FormData& form, OrganisationFormView& view,
                          domain::Organisation& org) {
    FieldErrors errors;
    view.name = std::string(Trim(form.Value("name")));
    view.type = form.Value("type");
    view.area = form.Value("area");
    view.allowed_networks = form.Value("allowed_networks");
    view.areas = AreaOptions();
    org.name = view.name;
    if (org.name.empty()) errors["name"] = "Enter the organisation's name";
    auto type = domain::ParseOrganisationType(view.type);
    if (!type) {
      errors["type"] = "Choose the type of organisation";
    } else {
      org.type = *type;
    }
    // A local authority's area is itself.
    org.local_authority_code =
        view.area.empty() && type == domain::OrganisationType::kLocalAuthority ? org.code
                                                                               : view.area;
    if (org.local_authority_code.empty()) errors["area"] = "Choose the local authority area";
    org.allowed_networks = NetworksFromForm(view.allowed_networks);
    return errors;
  }

  Response OrganisationsList(const Request& request) {
    return Guarded(
        request, policy::Permission::kManageOrganisations,
        [&](const Principal& p, const PageContext& ctx, const FormData&) {
          auto orgs = d_.accounts.ListOrganisations(api::Gate::ActorFor(p, request));
          if (!orgs.ok()) return FailurePage(ctx, orgs.status());
          std::map<std::string, std::string, std::less<>> names;
          for (const auto& o : *orgs) names[o.code] = o.name;
          OrganisationsListView view;
          for (const auto& o : *orgs) {
            auto area = names.find(o.local_authority_code);
            view.organisations.push_back(
                {o.code, o.code, o.name, std::string(domain::OrganisationTypeName(o.type)),
                 area == names.end() ? o.local_authority_code : area->second});
          }
          return Page(RenderOrganisationsPage(ctx, view));
        });
  }

  Response NewOrganisation(const Request& request) {
    return Guarded(request, policy::Permission::kManageOrganisations,
                   [&](const Principal&, const PageContext& ctx, const FormData&) {
                     OrganisationFormView view;
                     view.areas = AreaOptions();
                     return Page(RenderOrganisationFormPage(ctx, view));
                   });
  }

  Response CreateOrganisation(const Request& request) {
    return Guarded(request, policy::Permission::kManageOrganisations,
                   [&](const Principal& p, const PageContext& ctx, const FormData& form) {
                     OrganisationFormView view;
                     domain::Organisation org;
                     view.code = std::string(Trim(form.Value("code")));
                     org.code = view.code;
                     view.errors = ReadOrgForm(form, view, org);
                     if (org.code.empty()) view.errors["code"] = "Enter a code";
                     if (!view.errors.empty())
                       return Page(RenderOrganisationFormPage(ctx, view), 400);
                     auto created =
                         d_.accounts.CreateOrganisation(api::Gate::ActorFor(p, request), org);
                     if (!created.ok()) {
                       if (!IsValidationFailure(created.status()))
                         return FailurePage(ctx, created.status());
                       view.errors[ErrorKeyFor(created.status(), kOrganisationFields)] =
                           created.status().message();
                       return Page(RenderOrganisationFormPage(ctx, view), 400);
                     }
                     return RedirectWithFlash("/admin/organisations", "org-added");
                   });
  }

  Response EditOrganisation(const Request& request) {
    return Guarded(request, policy::Permission::kManageOrganisations,
                   [&](const Principal&, const PageContext& ctx, const FormData&) {
                     auto org = d_.orgs.GetByCode(std::string(request.PathParam("code")));
                     if (!org.ok()) return FailurePage(ctx, org.status());
                     return Page(RenderOrganisationFormPage(ctx, OrgFormViewOf(*org)));
                   });
  }

  Response UpdateOrganisation(const Request& request) {
    return Guarded(request, policy::Permission::kManageOrganisations,
                   [&](const Principal& p, const PageContext& ctx, const FormData& form) {
                     auto existing = d_.orgs.GetByCode(std::string(request.PathParam("code")));
                     if (!existing.ok()) return FailurePage(ctx, existing.status());
                     domain::Organisation org = *existing;  // The code is not editable.
                     OrganisationFormView view = OrgFormViewOf(org);
                     view.errors = ReadOrgForm(form, view, org);
                     // The edit form has no code field, so an error about it belongs to the whole
                     // form.
                     if (!view.errors.empty())
                       return Page(RenderOrganisationFormPage(ctx, view), 400);
                     auto updated =
                         d_.accounts.UpdateOrganisation(api::Gate::ActorFor(p, request), org);
                     if (!updated.ok()) {
                       const Status& s = updated.status();
                       if (!IsValidationFailure(s)) return FailurePage(ctx, s);
                       std::string key = ErrorKeyFor(s, kOrganisationFields);
                       if (key == "code") key.clear();
                       view.errors[key] = s.message();
                       return Page(RenderOrganisationFormPage(ctx, view), 400);
                     }
                     return RedirectWithFlash("/admin/organisations", "org-saved");
                   });
  }

  // ---- Directory: search and records --------------------------------------------------------

  Response SearchForm(const Request& request) {
    return Guarded(request, policy::Permission::kSearchChildren,
                   [&](const Principal&, const PageContext& ctx, const FormData&) {
                     return Page(RenderSearchPage(ctx, SearchView{}));
                   });
  }

  // The criteria arrive only in the POST body and the results are this response's page:
  // nothing about the search is put in a URL.
  // The search's audit entry is committed before the page leaves, without parking this thread
  // (api/deferred_audit.h).
  Response Search(const Request& request) {
    return api::RespondWhenAudited(
        api::SearchAuditActions(), [&] { return SearchNow(request); }, AuditFailurePage);
  }
  Response SearchNow(const Request& request) {
    return Guarded(
        request, policy::Permission::kSearchChildren,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          SearchView view;
          view.given_name = std::string(Trim(form.Value("given_name")));
          view.family_name = std::string(Trim(form.Value("family_name")));
          view.date_of_birth = PartsFromForm(form, "date_of_birth");
          view.gender = form.Value("gender");
          view.postcode = std::string(Trim(form.Value("postcode")));
          workflow::SearchRequest search{view.given_name, view.family_name, "", view.gender,
                                         view.postcode};
          auto dob = DateFromParts(view.date_of_birth, "Date of birth", "date_of_birth");
          if (!dob.ok()) {
            view.errors["date_of_birth"] = dob.status().message();
            return Page(RenderSearchPage(ctx, view), 400);
          }
          if (*dob) search.date_of_birth = (*dob)->ToString();
          const workflow::Actor actor = api::Gate::ActorFor(p, request);
          auto hits = d_.directory.Search(actor, search);
          if (hits.ok()) {
            view.hits = std::move(*hits);
            return Page(RenderSearchPage(ctx, view));
          }
          const Status& s = hits.status();
          if (s.code() == StatusCode::kFailedPrecondition && s.message() == "too_many_matches") {
            // The cap, never how many matched.
            view.errors[""] = "More than " + std::to_string(workflow::TrawlingLimit(actor)) +
                              " children match. Add more detail, such as a date of birth or "
                              "a postcode.";
            return Page(RenderSearchPage(ctx, view), 422);
          }
          if (s.code() != StatusCode::kInvalidArgument) return FailurePage(ctx, s);
          constexpr std::string_view kFields[] = {"given_name", "family_name", "date_of_birth",
                                                  "gender", "postcode"};
          std::string key = ErrorKeyFor(s, kFields);
          if (s.message().starts_with("insufficient_criteria")) {
            if (key == "family_name") {
              view.errors[key] = "Enter a family name";
            } else {
              view.errors["given_name"] = "Enter a given name or a date of birth";
            }
          } else {
            view.errors[key] = s.message();
          }
          return Page(RenderSearchPage(ctx, view), 400);
        });
  }

  // Organisation codes to names, for data sources and authorities on a record page.
  std::map<std::string, std::string, std::less<>> OrganisationNames() {
    std::map<std::string, std::string, std::less<>> names;
    if (auto orgs = d_.orgs.List(); orgs.ok()) {
      for (const auto& o : *orgs) names[o.code] = o.name;
    }
    return names;
  }

  // The reason is asked every time: the record is shown only on the POST response.
  Response ReasonForm(const Request& request) {
    return Guarded(request, policy::Permission::kViewChildRecord,
                   [&](const Principal&, const PageContext& ctx, const FormData&) {
                     auto uin = domain::Uin::Parse(request.PathParam("uin"));
                     if (!uin.ok()) {
                       return Page(RenderBadUinPage(ctx, uin.status().message()), 400);
                     }
                     ReasonView view;
                     view.uin = uin->str();
                     return Page(RenderReasonPage(ctx, view));
                   });
  }

  // Like a search, the view's audit entry is committed before the page leaves.
  Response OpenRecord(const Request& request) {
    return api::RespondWhenAudited(
        api::RecordViewAuditActions(), [&] { return OpenRecordNow(request); }, AuditFailurePage);
  }
  Response OpenRecordNow(const Request& request) {
    return Guarded(
        request, policy::Permission::kViewChildRecord,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          auto uin = domain::Uin::Parse(request.PathParam("uin"));
          if (!uin.ok()) return Page(RenderBadUinPage(ctx, uin.status().message()), 400);
          ReasonView view;
          view.uin = uin->str();
          view.reason = form.Value("reason");
          view.reason_text = form.Value("reason_text");
          // Text typed for "other" and left behind when another reason was chosen is not
          // sent.
          auto reason = policy::FindAccessReason(view.reason);
          const std::string text = reason && reason->needs_text ? view.reason_text : "";
          Status valid = policy::ValidateAccessReason(view.reason, text);
          if (!valid.ok()) {
            view.errors[valid.field() == "reason_text" ? "reason_text" : "reason"] =
                valid.message();
            return Page(RenderReasonPage(ctx, view), 400);
          }
          auto child =
              d_.directory.Open(api::Gate::ActorFor(p, request), view.uin, view.reason, text);
          if (!child.ok()) {
            const Status& s = child.status();
            if (s.code() == StatusCode::kInvalidArgument) {
              if (s.field() == "uin") return Page(RenderBadUinPage(ctx, s.message()), 400);
              view.errors[s.field() == "reason_text" ? "reason_text" : "reason"] = s.message();
              return Page(RenderReasonPage(ctx, view), 400);
            }
            return FailurePage(ctx, s);
          }
          RecordView record{std::move(*child), OrganisationNames()};
          const auto& roles = p.user.roles;
          record.applies_shield = policy::IsGranted(roles, policy::Permission::kApplyShield);
          record.can_shield =
              record.applies_shield || policy::IsGranted(roles, policy::Permission::kRequestShield);
          record.can_unshield = policy::IsGranted(roles, policy::Permission::kManageShielding);
          if (std::holds_alternative<policy::ShieldedChildView>(record.child)) {
            record.can_request_brokering =
                d_.brokering != nullptr &&
                policy::IsGranted(roles, policy::Permission::kRequestBrokering);
            if (d_.break_glass != nullptr &&
                policy::IsGranted(roles, policy::Permission::kUseBreakGlass)) {
              auto holds = d_.break_glass->HoldsRight(api::Gate::ActorFor(p, request));
              if (!holds.ok()) return FailurePage(ctx, holds.status());
              record.can_break_glass = *holds;
            }
          }
          return Page(RenderRecordPage(ctx, record));
        });
  }

  // ---- Shielding ----------------------------------------------------------------------------

  // The request form: every role with kApplyShield also holds kRequestShield; which of the
  // two the user has decides between shielding and requesting.
  Response ShieldForm(const Request& request) {
    return Guarded(request, policy::Permission::kRequestShield,
                   [&](const Principal& p, const PageContext& ctx, const FormData&) {
                     auto uin = domain::Uin::Parse(request.PathParam("uin"));
                     if (!uin.ok()) return Page(RenderBadUinPage(ctx, uin.status().message()), 400);
                     ShieldFormView view;
                     view.uin = uin->str();
                     view.applies_directly =
                         policy::IsGranted(p.user.roles, policy::Permission::kApplyShield);
                     return Page(RenderShieldFormPage(ctx, view));
                   });
  }

  Response PostShield(const Request& request) {
    return Guarded(
        request, policy::Permission::kRequestShield,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          auto uin = domain::Uin::Parse(request.PathParam("uin"));
          if (!uin.ok()) return Page(RenderBadUinPage(ctx, uin.status().message()), 400);
          ShieldFormView view;
          view.uin = uin->str();
          view.applies_directly = policy::IsGranted(p.user.roles, policy::Permission::kApplyShield);
          view.criteria = form.All("criteria");
          view.category = form.Value("category");
          view.requester_name = std::string(Trim(form.Value("requester_name")));
          view.requester_contact = std::string(Trim(form.Value("requester_contact")));
          view.requester_relationship = std::string(Trim(form.Value("requester_relationship")));
          view.comments = std::string(Trim(form.Value("comments")));
          view.form = ReadAppendix4Form(form);
          CheckAppendix4Form(view.form, view.errors);
          if (view.category.empty()) view.errors["category"] = "Choose a category";
          for (const std::string& c : view.criteria) {
            if (!domain::ParseShieldCriterion(c)) view.errors["criteria"] = "Choose from the list";
          }
          if (view.comments.size() > 1000) {
            view.errors["comments"] = "Comments must be 1000 characters or fewer";
          }
          if (!view.errors.empty()) return Page(RenderShieldFormPage(ctx, view), 400);
          workflow::ShieldInput input;
          input.uin = view.uin;
          input.criteria = view.criteria;
          input.category = view.category;
          input.requester = {view.requester_name, view.requester_contact,
                             view.requester_relationship};
          input.comments = view.comments;
          input.form = ShieldFormOf(view.form);
          auto out = d_.shielding.RequestShield(api::Gate::ActorFor(p, request), input);
          if (!out.ok()) {
            const Status& s = out.status();
            if (s.code() != StatusCode::kInvalidArgument || s.field() == "uin") {
              return FailurePage(ctx, s);
            }
            constexpr std::string_view kFields[] = {"criteria", "category", "comments"};
            std::string key = ErrorKeyFor(s, kFields);
            if (s.field().starts_with("requester")) key = "requester_name";
            view.errors[key] = s.message();
            return Page(RenderShieldFormPage(ctx, view), 400);
          }
          ShieldConfirmationView done;
          done.uin = view.uin;
          done.request_id = out->request_id;
          done.routed_to = out->routed_to;
          done.co_residents_shielded = out->co_residents_shielded;
          int status = 200;
          if (out->status == domain::RequestStatus::kPending) {
            done.result = ShieldResult::kPending;
          } else if (out->status == domain::RequestStatus::kRejected) {
            done.result = ShieldResult::kRejected;
            status = 422;
          }
          return Page(RenderShieldConfirmationPage(ctx, done), status);
        });
  }

  // The desk of the user's authority (desk_pages.h), built by BuildDesk (break_glass_ui.h).
  Response ManagementDesk(const Request& request) {
    return Guarded(request, policy::Permission::kManageShielding,
                   [&](const Principal& p, const PageContext& ctx, const FormData&) {
                     auto view = BuildDesk({d_.shielding, d_.break_glass, d_.brokering, d_.clock},
                                           api::Gate::ActorFor(p, request),
                                           request.Query("section").value_or(""),
                                           request.Query("status").value_or(""), ctx.csrf_token);
                     if (!view.ok()) return FailurePage(ctx, view.status());
                     view->authority =
                         p.organisation.name.empty() ? view->authority : p.organisation.name;
                     return Page(RenderDeskPage(ctx, *view));
                   });
  }

  Response DecideRequest(const Request& request, bool approve) {
    return Guarded(request, policy::Permission::kManageShielding,
                   [&](const Principal& p, const PageContext& ctx, const FormData&) {
                     int64_t id = 0;
                     const std::string_view text = request.PathParam("id");
                     auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
                     if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
                       return ErrorPage(ctx, 404);
                     }
                     const workflow::Actor actor = api::Gate::ActorFor(p, request);
                     Status st = approve ? d_.shielding.Approve(actor, id, "").status()
                                         : d_.shielding.Reject(actor, id, "");
                     if (!st.ok()) return FailurePage(ctx, st);
                     return RedirectWithFlash("/management",
                                              approve ? "request-approved" : "request-rejected");
                   });
  }
  Response ApproveRequest(const Request& request) { return DecideRequest(request, true); }
  Response RejectRequest(const Request& request) { return DecideRequest(request, false); }

  // The review page's view for `uin`: its open review and active requests.
  Result<ReviewFormView> ReviewViewFor(const workflow::Actor& actor, const std::string& uin) {
    ReviewFormView view;
    view.uin = uin;
    auto requests = d_.shielding.RequestsForRecord(actor, uin);
    if (!requests.ok()) return requests.status();
    for (const auto& r : *requests) {
      if (r.status != domain::RequestStatus::kActive) continue;
      std::string who = r.requester.name.empty() ? r.requested_by : r.requester.name;
      view.active.push_back({r.id, who, http::FormatUtcIso8601(r.created_at)});
    }
    auto reviews = d_.shielding.Reviews(actor, workflow::ReviewFilter::kAllOpen);
    if (!reviews.ok()) return reviews.status();
    for (const auto& item : *reviews) {
      if (item.review.child_uin != uin) continue;
      view.due = item.review.due.ToString();
      view.overdue = item.overdue;
    }
    return view;
  }

  Response ReviewForm(const Request& request) {
    return Guarded(request, policy::Permission::kManageShielding,
                   [&](const Principal& p, const PageContext& ctx, const FormData&) {
                     auto uin = domain::Uin::Parse(request.PathParam("uin"));
                     if (!uin.ok()) return Page(RenderBadUinPage(ctx, uin.status().message()), 400);
                     auto view = ReviewViewFor(api::Gate::ActorFor(p, request), uin->str());
                     if (!view.ok()) return FailurePage(ctx, view.status());
                     return Page(RenderReviewPage(ctx, *view));
                   });
  }

  Response PostReview(const Request& request) {
    return Guarded(
        request, policy::Permission::kManageShielding,
        [&](const Principal& p, const PageContext& ctx, const FormData& form) {
          auto uin = domain::Uin::Parse(request.PathParam("uin"));
          if (!uin.ok()) return Page(RenderBadUinPage(ctx, uin.status().message()), 400);
          const workflow::Actor actor = api::Gate::ActorFor(p, request);
          auto view = ReviewViewFor(actor, uin->str());
          if (!view.ok()) return FailurePage(ctx, view.status());
          view->consulted = form.Value("consulted");
          view->outcome = form.Value("outcome");
          view->notes = std::string(Trim(form.Value("notes")));
          workflow::ReviewInput input;
          std::string_view rest = view->consulted;
          while (!rest.empty()) {
            size_t end = rest.find_first_of("\r\n");
            std::string_view line = Trim(rest.substr(0, end));
            if (!line.empty()) input.consulted.emplace_back(line);
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
          }
          if (input.consulted.empty()) view->errors["consulted"] = "Enter who you consulted";
          if (view->outcome != "continue" && view->outcome != "unshield_recommended") {
            view->errors["outcome"] = "Choose the outcome of the review";
          }
          if (!view->errors.empty()) return Page(RenderReviewPage(ctx, *view), 400);
          input.outcome = view->outcome;
          input.notes = view->notes;
          auto next = d_.shielding.RecordReview(actor, view->uin, input);
          if (!next.ok()) {
            const Status& s = next.status();
            if (!IsValidationFailure(s)) return FailurePage(ctx, s);
            constexpr std::string_view kFields[] = {"consulted", "outcome", "notes"};
            view->errors[ErrorKeyFor(s, kFields)] =
                s.message() == "not_shielded" ? "This record is not shielded" : s.message();
            return Page(RenderReviewPage(ctx, *view), 400);
          }
          return RedirectWithFlash("/management", "review-recorded");
        });
  }

  Response PostUnshield(const Request& request) {
    return Guarded(request, policy::Permission::kManageShielding,
                   [&](const Principal& p, const PageContext& ctx, const FormData&) {
                     auto uin = domain::Uin::Parse(request.PathParam("uin"));
                     if (!uin.ok()) return Page(RenderBadUinPage(ctx, uin.status().message()), 400);
                     const workflow::Actor actor = api::Gate::ActorFor(p, request);
                     Status st = d_.shielding.Unshield(actor, uin->str());
                     if (st.ok()) return RedirectWithFlash("/management", "unshielded");
                     if (st.code() != StatusCode::kFailedPrecondition) return FailurePage(ctx, st);
                     auto view = ReviewViewFor(actor, uin->str());
                     if (!view.ok()) return FailurePage(ctx, view.status());
                     if (st.message() == "active_shield_requests") {
                       view->errors["unshield"] = ActiveRequestsMessage(view->active);
                     } else if (st.message() == "not_shielded") {
                       view->errors["unshield"] = "This record is not shielded";
                     } else {
                       view->errors["unshield"] = st.message();
                     }
                     return Page(RenderReviewPage(ctx, *view), 409);
                   });
  }

  Response ShieldingLog(const Request& request) {
    return Guarded(request, policy::Permission::kManageShielding,
                   [&](const Principal& p, const PageContext& ctx, const FormData&) {
                     auto log = d_.shielding.Log(api::Gate::ActorFor(p, request));
                     if (!log.ok()) return FailurePage(ctx, log.status());
                     std::vector<LogRow> rows;
                     for (const auto& e : *log) {
                       rows.push_back({e.uin, static_cast<int>(e.action),
                                       std::string(domain::LogActionName(e.action)), e.category,
                                       e.date.ToString(), e.requester_contact, e.relationship,
                                       e.confirmation_sent ? e.confirmation_sent->ToString() : "",
                                       e.comments, e.id});
                     }
                     return Page(RenderShieldingLogPage(ctx, rows));
                   });
  }

 private:
  WebUiDeps d_;
};

class HtmlErrorHandler final : public http::Handler {
 public:
  explicit HtmlErrorHandler(std::shared_ptr<http::Handler> inner) : inner_(std::move(inner)) {}

  Response Handle(const Request& request) override {
    Response response = inner_->Handle(request);
    const int status = response.status();
    if (status != 404 && status != 405) return response;
    const std::string& path = request.path();
    if (path == "/api" || path.starts_with("/api/")) return response;
    if (!response.content_type().starts_with("text/plain")) return response;
    Response page = ErrorPage(PageContext{}, 404);
    page.set_status(status);
    if (auto allow = response.headers().Get("Allow")) {
      page.headers().Set("Allow", std::string(*allow));
    }
    return page;
  }

 private:
  std::shared_ptr<http::Handler> inner_;
};

}  // namespace

Status RegisterWebUi(http::Router& router, WebUiDeps deps) {
  auto ui = std::make_shared<WebUi>(deps);
  auto bind = [ui](Response (WebUi::*method)(const Request&)) {
    return [ui, method](const Request& r) { return ((*ui).*method)(r); };
  };
  CP_RETURN_IF_ERROR(router.Get("/sign-in", bind(&WebUi::GetSignIn)));
  CP_RETURN_IF_ERROR(router.Post("/sign-in", bind(&WebUi::PostSignIn)));
  CP_RETURN_IF_ERROR(router.Get("/sign-in/code", bind(&WebUi::GetCode)));
  CP_RETURN_IF_ERROR(router.Post("/sign-in/code", bind(&WebUi::PostCode)));
  CP_RETURN_IF_ERROR(router.Get("/enrol", bind(&WebUi::GetEnrol)));
  CP_RETURN_IF_ERROR(router.Post("/enrol", bind(&WebUi::PostEnrol)));
  CP_RETURN_IF_ERROR(router.Get("/", bind(&WebUi::Home)));
  CP_RETURN_IF_ERROR(router.Post("/sign-out", bind(&WebUi::PostSignOut)));
  CP_RETURN_IF_ERROR(router.Get("/sign-out", bind(&WebUi::GetSignOut)));
  CP_RETURN_IF_ERROR(router.Get("/signed-out", bind(&WebUi::SignedOut)));

  CP_RETURN_IF_ERROR(router.Get("/admin/users", bind(&WebUi::UsersList)));
  CP_RETURN_IF_ERROR(router.Get("/admin/users/new", bind(&WebUi::NewUser)));
  CP_RETURN_IF_ERROR(router.Post("/admin/users", bind(&WebUi::CreateUser)));
  CP_RETURN_IF_ERROR(router.Get("/admin/users/{username}", bind(&WebUi::EditUser)));
  CP_RETURN_IF_ERROR(router.Post("/admin/users/{username}", bind(&WebUi::UpdateUser)));
  CP_RETURN_IF_ERROR(router.Post("/admin/users/{username}/unlock", bind(&WebUi::Unlock)));
  CP_RETURN_IF_ERROR(router.Post("/admin/users/{username}/reset-token", bind(&WebUi::ResetToken)));

  CP_RETURN_IF_ERROR(router.Get("/admin/organisations", bind(&WebUi::OrganisationsList)));
  CP_RETURN_IF_ERROR(router.Get("/admin/organisations/new", bind(&WebUi::NewOrganisation)));
  CP_RETURN_IF_ERROR(router.Post("/admin/organisations", bind(&WebUi::CreateOrganisation)));
  CP_RETURN_IF_ERROR(router.Get("/admin/organisations/{code}", bind(&WebUi::EditOrganisation)));
  CP_RETURN_IF_ERROR(router.Post("/admin/organisations/{code}", bind(&WebUi::UpdateOrganisation)));

  CP_RETURN_IF_ERROR(router.Get("/search", bind(&WebUi::SearchForm)));
  CP_RETURN_IF_ERROR(router.Post("/search", bind(&WebUi::Search)));
  CP_RETURN_IF_ERROR(router.Get("/children/{uin}", bind(&WebUi::ReasonForm)));
  CP_RETURN_IF_ERROR(router.Post("/children/{uin}", bind(&WebUi::OpenRecord)));
  CP_RETURN_IF_ERROR(router.Get("/children/{uin}/shield", bind(&WebUi::ShieldForm)));
  CP_RETURN_IF_ERROR(router.Post("/children/{uin}/shield", bind(&WebUi::PostShield)));
  CP_RETURN_IF_ERROR(router.Get("/management", bind(&WebUi::ManagementDesk)));
  CP_RETURN_IF_ERROR(
      router.Post("/management/requests/{id}/approve", bind(&WebUi::ApproveRequest)));
  CP_RETURN_IF_ERROR(router.Post("/management/requests/{id}/reject", bind(&WebUi::RejectRequest)));
  CP_RETURN_IF_ERROR(router.Get("/management/children/{uin}/review", bind(&WebUi::ReviewForm)));
  CP_RETURN_IF_ERROR(router.Post("/management/children/{uin}/review", bind(&WebUi::PostReview)));
  CP_RETURN_IF_ERROR(
      router.Post("/management/children/{uin}/unshield", bind(&WebUi::PostUnshield)));
  CP_RETURN_IF_ERROR(router.Get("/management/shielding-log", bind(&WebUi::ShieldingLog)));
  if (deps.break_glass != nullptr && deps.brokering != nullptr) {
    CP_RETURN_IF_ERROR(RegisterBreakGlassUi(
        router, {deps.gate, deps.sign_in, deps.directory, *deps.break_glass, *deps.brokering,
                 deps.shielding, deps.orgs, deps.clock, deps.idle_seconds, deps.warn_seconds}));
  }
  CP_RETURN_IF_ERROR(RegisterShieldingUi(
      router, deps,
      {[ui](const Request& r, policy::Permission p, const ShieldingUiHooks::Body& body) {
         return ui->Guarded(r, p, body);
       },
       [ui](const Principal& p, const Request& r) { return ui->ContextFor(p, r); }, &FailurePage,
       &RedirectWithFlash}));
  return Status::Ok();
}

std::shared_ptr<http::Handler> WithHtmlErrors(std::shared_ptr<http::Handler> inner) {
  return std::make_shared<HtmlErrorHandler>(std::move(inner));
}

}  // namespace cp::web
