#include "web/page_kit.h"

#include <charconv>
#include <chrono>

#include "web/error_pages.h"
#include "web/web_ui.h"

namespace cp::web {

using http::Request;
using http::Response;

const std::map<std::string, std::string, std::less<>>& PageKit::Messages() {
  static const std::map<std::string, std::string, std::less<>> kMessages = {
      {"grant-ended", "You have left the record. The Break Glass view has ended."},
      {"investigation-updated", "Investigation updated"},
      {"note-added", "Note added"},
      {"brokering-requested",
       "Brokering request sent to the management team of the child's local authority"},
      {"contact-recorded", "Contact recorded"},
      {"decision-recorded", "Decision recorded"},
      {"reasons-recorded", "Reasons recorded and signed"},
  };
  return kMessages;
}

PageContext PageKit::ContextFor(const identity::Principal& p, const Request& request) const {
  PageContext ctx;
  ctx.signed_in = true;
  ctx.display_name = p.user.display_name.empty() ? p.user.username : p.user.display_name;
  ctx.roles = p.user.roles.Names();
  ctx.csrf_token = p.session.csrf_token;
  ctx.idle_seconds = idle_seconds_;
  ctx.warn_seconds = warn_seconds_;
  ctx.current_path = request.path();
  return ctx;
}

Response PageKit::Page(const Html& html, int status) { return Response::Html(html.str(), status); }

Response PageKit::Failure(const PageContext& ctx, const Status& status) {
  int code = 500;
  switch (status.code()) {
    case StatusCode::kUnauthenticated:
      return Response::Redirect("/sign-in");
    case StatusCode::kPermissionDenied:
      code = 403;
      break;
    case StatusCode::kNotFound:
      code = 404;
      break;
    case StatusCode::kUnavailable:
      code = 503;
      break;
    case StatusCode::kInvalidArgument:
      code = 400;
      break;
    default:
      break;
  }
  return Page(RenderErrorPage(ctx, code), code);
}

Response PageKit::Unauthenticated(const Status& status) const {
  if (status.code() == StatusCode::kUnauthenticated) {
    Response r = Response::Redirect("/sign-in");
    (void)r.ClearHostCookie(api::kSessionCookie);
    return r;
  }
  return Failure(PageContext{}, status);
}

Response PageKit::RedirectWithFlash(std::string location, std::string_view flash_code) {
  Response response = Response::Redirect(std::move(location));
  if (!response.SetHostCookie(kFlashCookie, flash_code, std::chrono::seconds(60)).ok()) {
    return Page(RenderErrorPage(PageContext{}, 500), 500);
  }
  return response;
}

std::optional<int64_t> PageKit::PathIdOf(std::string_view text) {
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Result<int64_t> PageKit::PathId(const Request& request, std::string_view name) {
  auto id = PathIdOf(request.PathParam(name));
  if (!id) return Status::NotFound("No such item");
  return *id;
}

std::string PageKit::Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

Status PageKit::Admit(const Request& request, const identity::Principal& principal,
                      policy::Permission permission, FormData& form) {
  const bool post = request.method() != "GET" && request.method() != "HEAD";
  if (post) {
    if (!IsFormContentType(request.Header("Content-Type").value_or(""))) {
      return Status::InvalidArgument("Not a form", "form");
    }
    auto parsed = FormData::Parse(request.body());
    if (!parsed.ok()) return Status::InvalidArgument("Not a form", "form");
    form = std::move(*parsed);
  }
  CP_RETURN_IF_ERROR(gate_.CheckStateChange(request, principal, form.Get(kCsrfFieldName)));
  CP_RETURN_IF_ERROR(gate_.Require(principal, permission, request));
  if (grants_ != nullptr) {
    CP_RETURN_IF_ERROR(
        grants_->EndGrantsExcept(api::Gate::ActorFor(principal, request), 0, "left_record"));
  }
  return Status::Ok();
}

bool PageKit::TakeFlash(const Request& request, PageContext& ctx) {
  if (request.method() != "GET") return false;
  auto code = request.HostCookie(kFlashCookie);
  if (!code) return false;
  auto it = Messages().find(*code);
  if (it != Messages().end()) ctx.flash = it->second;
  return true;
}

void PageKit::ClearFlash(Response& response) { (void)response.ClearHostCookie(kFlashCookie); }

}  // namespace cp::web
