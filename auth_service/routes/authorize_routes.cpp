// GET/POST /authorize (login page, login, single sign-on).
#include "auth_service/app.h"
#include "auth_service/oauth/login_page.h"
#include "auth_service/oauth/oauth_error.h"
#include "auth_service/oauth/redirect_uri.h"
#include "auth_service/routes/oauth_http.h"
#include "auth_service/routes/routes.h"

namespace bookstore::auth {
namespace {

constexpr const char* kCsrfCookie = "bookstore_csrf";
// Parameters of the authorization request carried through the login form.
constexpr const char* kRequestFields[] = {
    "response_type",         "client_id", "redirect_uri", "scope",  "state", "code_challenge",
    "code_challenge_method", "prompt",    "nonce",        "max_age"};

AuthorizationRequest ToRequest(const Params& params) {
  AuthorizationRequest r;
  r.response_type = params.GetOr("response_type");
  r.client_id = params.GetOr("client_id");
  r.redirect_uri = params.GetOr("redirect_uri");
  r.scope = params.Get("scope");
  r.state = params.GetOr("state");
  r.code_challenge = params.GetOr("code_challenge");
  r.code_challenge_method = params.Get("code_challenge_method");
  r.prompt = params.GetOr("prompt");
  r.nonce = params.Get("nonce");
  r.max_age = params.Get("max_age");
  for (const auto& name : params.Duplicated()) {
    for (const char* field : kRequestFields) {
      if (name == field) r.duplicated.push_back(name);
    }
  }
  return r;
}

class AuthorizeHandler {
 public:
  explicit AuthorizeHandler(AuthApp& app) : app_(app) {}

  http::Response Get(http::Request& request) {
    return Handle(request, QueryParams(request), /*is_post=*/false);
  }

  http::Response Post(http::Request& request) {
    auto body = BodyParams(request, /*allow_json=*/false);
    if (!body.ok()) return ErrorPage(400, "Invalid request", body.error().message);
    return Handle(request, *body, /*is_post=*/true);
  }

 private:
  bool Secure() const { return app_.config().common.issuer.rfind("https://", 0) == 0; }

  http::Response ErrorPage(int status, std::string_view title, std::string_view message) {
    const std::string nonce = app_.random().Token(16);
    return HtmlPage(status, RenderErrorPage(title, message, nonce), nonce);
  }

  // 302 to the client with `params` plus iss (the issuer string exactly).
  http::Response RedirectToClient(const AuthorizeTarget& target,
                                  std::vector<std::pair<std::string, std::string>> params) {
    params.emplace_back("iss", app_.config().common.issuer);
    auto response = http::Response::Redirect(AppendQuery(target.redirect_uri, params));
    response.headers.Set("Cache-Control", "no-store");
    return response;
  }

  http::Response RedirectError(const AuthorizeTarget& target, const std::string& state,
                               const Error& error) {
    if (error.code == Errc::kUnavailable || error.code == Errc::kInternal) {
      return ErrorPage(503, "Service unavailable", "Please try again later.");
    }
    return RedirectToClient(
        target,
        {{"error", OAuthErrorCode(error)}, {"error_description", error.message}, {"state", state}});
  }

  http::Response IssueAndRedirect(const ValidatedRequest& request, const SignIn& sign_in) {
    auto code = app_.authorize().IssueCode(request, sign_in);
    if (!code.ok()) return RedirectError(request.target, request.state, code.error());
    return RedirectToClient(request.target, {{"code", *code}, {"state", request.state}});
  }

  // The login page; its CSRF token is the browser's csrf cookie, renewed
  // (Set-Cookie) when missing or expired.
  http::Response LoginForm(int status, const http::Request& http_request,
                           const ValidatedRequest& request, const Params& params, std::string error,
                           std::string username) {
    const std::string cookie = GetCookie(http_request, kCsrfCookie);
    std::string csrf = app_.authorize().CsrfTokenFor(cookie);
    const bool renewed = csrf != cookie;
    LoginPageModel model;
    model.client_name = request.target.client.name;
    model.action = IssuerPath(app_.config().common.issuer) + "/authorize";
    model.csrf_token = std::move(csrf);
    for (const char* field : kRequestFields) model.hidden.emplace_back(field, params.GetOr(field));
    model.error = std::move(error);
    model.username = std::move(username);
    model.style_nonce = app_.random().Token(16);
    model.signup_url = app_.config().signup_url;
    auto page = HtmlPage(status, RenderLoginPage(model), model.style_nonce,
                         {UriOrigin(request.target.redirect_uri)});
    if (renewed) {
      page.headers.Add("Set-Cookie", MakeCookie(kCsrfCookie, model.csrf_token,
                                                app_.authorize().settings().csrf_ttl, Secure()));
    }
    return page;
  }

  http::Response Handle(http::Request& request, const Params& params, bool is_post) {
    const AuthorizationRequest auth_request = ToRequest(params);
    auto target = app_.authorize().ResolveTarget(auth_request);
    if (!target.ok()) {
      if (target.error().code == Errc::kUnavailable) {
        return ErrorPage(503, "Service unavailable", "Please try again later.");
      }
      return ErrorPage(400, "Invalid authorization request", target.error().message);
    }
    auto validated = app_.authorize().Validate(*target, auth_request);
    if (!validated.ok()) return RedirectError(*target, auth_request.state, validated.error());
    if (is_post) return Login(request, *validated, params);

    const std::string session = GetCookie(request, kSessionCookie);
    if (!session.empty() && !validated->prompt_login) {
      auto sign_in = app_.authorize().SessionSignIn(session);
      if (!sign_in.ok()) return ErrorPage(503, "Service unavailable", "Please try again later.");
      if (*sign_in && !app_.authorize().TooOld(**sign_in, validated->max_age)) {
        return IssueAndRedirect(*validated, **sign_in);
      }
    }
    if (validated->prompt_none) {
      return RedirectError(validated->target, validated->state,
                           OAuthError(OAuthCode::kLoginRequired, "the user is not signed in"));
    }
    return LoginForm(200, request, *validated, params, "", "");
  }

  http::Response Login(http::Request& request, const ValidatedRequest& validated,
                       const Params& params) {
    const std::string csrf = params.GetOr("csrf_token");
    if (!SameOriginPost(request, app_.config().common.issuer)) {
      return ErrorPage(403, "Forbidden", "The sign-in form must be posted from this site.");
    }
    auto csrf_ok = app_.authorize().CheckCsrfToken(csrf, GetCookie(request, kCsrfCookie));
    if (!csrf_ok.ok()) return ErrorPage(403, "Forbidden", csrf_ok.error().message);
    const std::string username = params.GetOr("username");
    auto user = app_.authorize().Login(username, params.GetOr("password"), request.client);
    if (!user.ok()) {
      const Error& e = user.error();
      if (e.code == Errc::kTooManyRequests) {
        auto page = LoginForm(429, request, validated, params, e.message, username);
        page.headers.Set("Retry-After",
                         std::to_string(app_.authorize().settings().throttle_window));
        return page;
      }
      if (e.code == Errc::kUnauthenticated)
        return LoginForm(401, request, validated, params, e.message, username);
      return ErrorPage(503, "Service unavailable", "Please try again later.");
    }
    auto session = app_.authorize().CreateSession(*user);
    if (!session.ok()) return ErrorPage(503, "Service unavailable", "Please try again later.");
    auto response = IssueAndRedirect(validated, session->sign_in);
    response.headers.Add("Set-Cookie", MakeCookie(kSessionCookie, session->session_id,
                                                  app_.config().session_ttl, Secure()));
    return response;
  }

  AuthApp& app_;
};

}  // namespace

void AddAuthorizeRoutes(http::Router& router, AuthApp& app) {
  auto handler = std::make_shared<AuthorizeHandler>(app);
  const http::RouteOptions blocking{.blocking = true};
  router.Add(
      "GET", "/authorize", [handler](http::Request& r) { return handler->Get(r); }, blocking);
  router.Add(
      "POST", "/authorize", [handler](http::Request& r) { return handler->Post(r); }, blocking);
}

}  // namespace bookstore::auth
