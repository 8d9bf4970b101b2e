#include "auth_service/oauth/login_page.h"

namespace bookstore::auth {
namespace {

constexpr std::string_view kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;
color:#1f2328;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:2rem;width:20rem;
box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:1.3rem;margin:0 0 .3rem}p.client{color:#57606a;margin:0 0 1.2rem}
label{display:block;font-weight:600;margin:.8rem 0 .3rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;
border:1px solid #d0d7de;border-radius:6px;font-size:1rem}
button{margin-top:1.2rem;width:100%;padding:.6rem;border:0;border-radius:6px;
background:#1f6feb;color:#fff;font-size:1rem;cursor:pointer}
p.signup{margin:1.2rem 0 0;text-align:center}
p.error{background:#ffebe9;border:1px solid #ff8182;border-radius:6px;padding:.5rem;margin:0 0 1rem}
)";

std::string Head(std::string_view title, std::string_view nonce) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"same-origin\">\n<title>";
  out += HtmlEscape(title);
  out += "</title>\n<style nonce=\"";
  out += HtmlEscape(nonce);
  out += "\">";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<main>\n";
  return out;
}

constexpr std::string_view kTail = "</main>\n</body>\n</html>\n";

void Hidden(std::string& out, std::string_view name, std::string_view value) {
  out += "<input type=\"hidden\" name=\"";
  out += HtmlEscape(name);
  out += "\" value=\"";
  out += HtmlEscape(value);
  out += "\">\n";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderLoginPage(const LoginPageModel& model) {
  std::string out = Head("Sign in", model.style_nonce);
  out += "<h1>Sign in</h1>\n<p class=\"client\">to continue to <strong>";
  out += HtmlEscape(model.client_name);
  out += "</strong></p>\n";
  if (!model.error.empty()) {
    out += "<p class=\"error\" role=\"alert\">";
    out += HtmlEscape(model.error);
    out += "</p>\n";
  }
  out += "<form method=\"post\" action=\"";
  out += HtmlEscape(model.action);
  out += "\" autocomplete=\"on\">\n";
  Hidden(out, "csrf_token", model.csrf_token);
  for (const auto& [name, value] : model.hidden) {
    if (!value.empty()) Hidden(out, name, value);
  }
  out +=
      "<label for=\"username\">Username</label>\n"
      "<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" "
      "autocapitalize=\"none\" spellcheck=\"false\" required maxlength=\"128\" value=\"";
  out += HtmlEscape(model.username);
  out += "\"";
  if (model.username.empty()) out += " autofocus";
  out +=
      ">\n<label for=\"password\">Password</label>\n"
      "<input type=\"password\" id=\"password\" name=\"password\" "
      "autocomplete=\"current-password\" required maxlength=\"1024\"";
  if (!model.username.empty()) out += " autofocus";
  out += ">\n<button type=\"submit\">Sign in</button>\n</form>\n";
  if (!model.signup_url.empty()) {
    out += "<p class=\"signup\">New here? <a href=\"";
    out += HtmlEscape(model.signup_url);
    out += "\">Create an account</a></p>\n";
  }
  out += kTail;
  return out;
}

namespace {

// A page with a title and one paragraph; `paragraph_open` is "<p>" or a
// "<p class=...>" tag.
std::string RenderSimplePage(std::string_view title, std::string_view message,
                             std::string_view style_nonce, std::string_view paragraph_open) {
  std::string out = Head(title, style_nonce);
  out += "<h1>";
  out += HtmlEscape(title);
  out += "</h1>\n";
  out += paragraph_open;
  out += HtmlEscape(message);
  out += "</p>\n";
  out += kTail;
  return out;
}

}  // namespace

std::string RenderErrorPage(std::string_view title, std::string_view message,
                            std::string_view style_nonce) {
  return RenderSimplePage(title, message, style_nonce, "<p class=\"error\">");
}

std::string RenderLogoutConfirmPage(std::string_view action,
                                    const std::vector<std::pair<std::string, std::string>>& hidden,
                                    std::string_view style_nonce) {
  std::string out = Head("Sign out", style_nonce);
  out += "<h1>Sign out</h1>\n<p>Do you want to sign out of the bookstore?</p>\n";
  out += "<form method=\"post\" action=\"";
  out += HtmlEscape(action);
  out += "\">\n";
  for (const auto& [name, value] : hidden) {
    if (!value.empty()) Hidden(out, name, value);
  }
  out += "<button type=\"submit\">Sign out</button>\n</form>\n";
  out += kTail;
  return out;
}

std::string RenderMessagePage(std::string_view title, std::string_view message,
                              std::string_view style_nonce) {
  return RenderSimplePage(title, message, style_nonce, "<p>");
}

}  // namespace bookstore::auth
