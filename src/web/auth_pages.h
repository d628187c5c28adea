// Sign-in, two-factor code, token enrolment and signed-out pages.
//
// Routes and field names (the app's handlers read exactly these):
//   sign-in   POST /sign-in       csrf_token, username, password
//   code      POST /sign-in/code  csrf_token, code
//   enrol     POST /enrol         csrf_token, code
// Before sign-in completes there is no session CSRF token: the app gives each browser a
// pre-session token and puts it in the view model; these renderers just print it.
// Every page here ignores ctx.csrf_token and renders with whatever ctx says about sign-in.
#pragma once

#include <string>

#include "web/components.h"
#include "web/html.h"
#include "web/layout.h"

namespace cp::web {

struct SignInView {
  std::string csrf_token;
  std::string username;  // Re-filled after a failed attempt; the password never is.
  FieldErrors errors;    // Keys: "", "username", "password".
};
Html RenderSignInPage(const PageContext& ctx, const SignInView& view);

struct CodeView {
  std::string csrf_token;
  FieldErrors errors;  // Keys: "", "code".
};
Html RenderCodePage(const PageContext& ctx, const CodeView& view);

struct EnrolView {
  std::string csrf_token;
  // The otpauth:// QR code as SVG markup from the auth layer's generator (trusted).
  Html qr_svg;
  // The secret key in base32, as the user would type it into an authenticator app. Rendered
  // grouped in fours ("ABCD EFGH ...") for reading aloud or typing; authenticator apps ignore
  // the spaces.
  std::string secret_base32;
  FieldErrors errors;  // Keys: "", "code".
};
Html RenderEnrolPage(const PageContext& ctx, const EnrolView& view);
// `key` in groups of four characters separated by single spaces.
std::string GroupInFours(std::string_view key);

enum class SignedOutReason { kSignedOut, kTimedOut };
struct SignedOutView {
  SignedOutReason reason = SignedOutReason::kSignedOut;
};
Html RenderSignedOutPage(const PageContext& ctx, const SignedOutView& view);

}  // namespace cp::web
