#include "web/auth_pages.h"

#include <array>

namespace cp::web {
namespace {

InputParams CodeInput(std::string_view error) {
  InputParams p;
  p.id = "code";
  p.label = "Code";
  p.hint = "The 6-digit code shown in your authenticator app, for example 123456";
  p.error = std::string(error);
  p.autocomplete = "one-time-code";
  p.inputmode = "numeric";
  p.width_class = "govuk-input--width-10";
  p.spellcheck = false;
  p.extra_letter_spacing = true;
  return p;
}

}  // namespace

Html RenderSignInPage(const PageContext& ctx, const SignInView& view) {
  const std::array<FieldRef, 2> fields = {{{"username", "username"}, {"password", "password"}}};
  const auto items = ErrorItemsFor(view.errors, fields);

  InputParams username;
  username.id = "username";
  username.label = "Username";
  username.value = view.username;
  username.error = std::string(ErrorFor(view.errors, "username"));
  username.autocomplete = "username";
  username.spellcheck = false;
  username.width_class = "govuk-!-width-two-thirds";

  InputParams password;
  password.id = "password";
  password.label = "Password";
  password.error = std::string(ErrorFor(view.errors, "password"));
  password.autocomplete = "current-password";
  password.width_class = "govuk-!-width-two-thirds";

  Html main =
      Markup("<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n") +
      ErrorSummary(items) + Heading(1, "l", "Sign in to ContactPoint") +
      Paragraph(
          "ContactPoint is for authorised staff only. Every search and every "
          "record you view is logged.") +
      PostForm("/sign-in", view.csrf_token,
               TextInput(username) + PasswordInput(password) + Button("Continue")) +
      Markup("</div>\n</div>\n");
  return RenderPage(ctx, PageTitle("Sign in", !items.empty()), main);
}

Html RenderCodePage(const PageContext& ctx, const CodeView& view) {
  const std::array<FieldRef, 1> fields = {{{"code", "code"}}};
  const auto items = ErrorItemsFor(view.errors, fields);
  Html main =
      Markup("<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n") +
      ErrorSummary(items) + Heading(1, "l", "Enter the code from your authenticator app") +
      Paragraph(
          "Open the authenticator app on your phone and enter the code it shows "
          "for ContactPoint.") +
      PostForm("/sign-in/code", view.csrf_token,
               TextInput(CodeInput(ErrorFor(view.errors, "code"))) + Button("Continue")) +
      Markup(
          "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/sign-in\">Sign in "
          "as a different user</a></p>\n</div>\n</div>\n");
  return RenderPage(ctx, PageTitle("Enter your code", !items.empty()), main);
}

std::string GroupInFours(std::string_view key) {
  std::string out;
  out.reserve(key.size() + key.size() / 4);
  for (size_t i = 0; i < key.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += key[i];
  }
  return out;
}

Html RenderEnrolPage(const PageContext& ctx, const EnrolView& view) {
  const std::array<FieldRef, 1> fields = {{{"code", "code"}}};
  const auto items = ErrorItemsFor(view.errors, fields);
  Html main =
      Markup("<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n") +
      ErrorSummary(items) + Heading(1, "l", "Set up your authenticator app") +
      Paragraph(
          "You need an authenticator app on your work phone to sign in to ContactPoint. "
          "Ask your administrator which app to use.") +
      Heading(2, "m", "1. Add ContactPoint to the app") +
      Paragraph("In the app, choose to add an account and scan this QR code.") +
      Markup("<div class=\"cp-qr-code\">\n") + view.qr_svg + Markup("</div>\n") +
      Paragraph("If you cannot scan the code, choose to enter a key and type this key:") +
      Markup("<p class=\"govuk-body cp-secret-key\" id=\"secret-key\">") +
      Escape(GroupInFours(view.secret_base32)) + Markup("</p>\n") +
      WarningText("Do not share this key or a photo of the QR code with anyone.") +
      Heading(2, "m", "2. Enter a code from the app") +
      PostForm("/enrol", view.csrf_token,
               TextInput(CodeInput(ErrorFor(view.errors, "code"))) + Button("Continue")) +
      Markup("</div>\n</div>\n");
  return RenderPage(ctx, PageTitle("Set up your authenticator app", !items.empty()), main);
}

Html RenderSignedOutPage(const PageContext& ctx, const SignedOutView& view) {
  const bool timed_out = view.reason == SignedOutReason::kTimedOut;
  Html main =
      Markup("<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n") +
      Heading(1, "l", timed_out ? "You have been signed out" : "You have signed out") +
      Paragraph(timed_out ? "We signed you out because you had not done anything for a while. "
                            "Anything you had not saved has been lost."
                          : "You have signed out of ContactPoint.") +
      Markup(
          "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/sign-in\">Sign in "
          "again</a></p>\n</div>\n</div>\n");
  return RenderPage(ctx, timed_out ? "You have been signed out" : "You have signed out", main);
}

}  // namespace cp::web
