// GET/POST /logout: RP-initiated logout (OpenID Connect RP-Initiated Logout
// 1.0) and the plain POST /logout of contract §1.5.
#include "auth_service/app.h"
#include "auth_service/oauth/login_page.h"
#include "auth_service/oauth/redirect_uri.h"
#include "auth_service/routes/oauth_http.h"
#include "auth_service/routes/routes.h"

namespace bookstore::auth {
namespace {

// Parameters of a logout request, carried through the confirmation form.
constexpr const char* kLogoutFields[] = {"id_token_hint", "client_id", "post_logout_redirect_uri",
                                         "state"};

class LogoutHandler {
 public:
  explicit LogoutHandler(AuthApp& app) : app_(app) {}

  // The session ends, without asking, when the request is a same-origin
  // POST (the confirmation form, or §1.5's POST /logout), when its
  // id_token_hint names the current session, or when there is no session to
  // end. Otherwise (a cross-site GET or POST without a matching hint) the
  // user confirms on a page first.
  http::Response Handle(http::Request& request, bool is_post) {
    Params params;
    if (is_post) {
      auto body = BodyParams(request, /*allow_json=*/false);
      if (!body.ok()) return ErrorPage(400, body.error().message);
      params = std::move(*body);
    }
    for (auto& kv : QueryParams(request).values) params.values.push_back(std::move(kv));
    for (const char* field : kLogoutFields) {
      if (params.Get(field) && Count(params, field) > 1) {
        return ErrorPage(400, std::string("The parameter ") + field + " was sent more than once.");
      }
    }

    std::optional<jwt::IdClaims> hint;
    if (auto text = params.Get("id_token_hint")) {
      auto claims = app_.tokens().VerifyIdTokenHint(*text);
      if (!claims.ok()) {
        if (claims.error().code == Errc::kUnavailable) return ErrorPage(503, kTryLater);
        return ErrorPage(400, "The id_token_hint is not a valid ID token of this server.");
      }
      hint = std::move(*claims);
    }
    std::string client_id = params.GetOr("client_id");
    if (hint && !client_id.empty() && client_id != hint->aud) {
      return ErrorPage(400, "The client_id does not match the id_token_hint.");
    }
    if (client_id.empty() && hint) client_id = hint->aud;
    const std::string target = params.GetOr("post_logout_redirect_uri");
    if (!target.empty()) {
      auto client = app_.clients().Get(client_id);
      if (!client.ok() && client.error().code == Errc::kUnavailable) {
        return ErrorPage(503, kTryLater);
      }
      if (!client.ok() || !ResolveRedirectUri(client->post_logout_redirect_uris, target)) {
        return ErrorPage(400, "The post_logout_redirect_uri is not registered for this client.");
      }
    }

    const std::string cookie = GetCookie(request, kSessionCookie);
    auto sign_in = app_.authorize().SessionSignIn(cookie);
    if (!sign_in.ok()) return ErrorPage(503, kTryLater);
    const bool confirmed = !*sign_in || (hint && SameSignIn(*hint, **sign_in)) ||
                           (is_post && SameOriginPost(request, app_.config().common.issuer));
    if (!confirmed) return ConfirmPage(params, target);

    auto ended = app_.authorize().EndSession(cookie);
    if (!ended.ok()) return ErrorPage(503, kTryLater);
    http::Response response;
    if (!target.empty()) {
      std::vector<std::pair<std::string, std::string>> query;
      if (auto state = params.Get("state")) query.emplace_back("state", *state);
      response = http::Response::Redirect(AppendQuery(target, query));
      response.headers.Set("Cache-Control", "no-store");
    } else {
      const std::string nonce = app_.random().Token(16);
      response =
          HtmlPage(200, RenderMessagePage("Signed out", "You are signed out.", nonce), nonce);
    }
    response.headers.Add("Set-Cookie", MakeCookie(kSessionCookie, "", 0, Secure()));
    return response;
  }

 private:
  static constexpr const char* kTryLater = "Please try again later.";

  static size_t Count(const Params& params, std::string_view name) {
    size_t n = 0;
    for (const auto& [key, value] : params.values) n += key == name ? 1 : 0;
    return n;
  }

  // The hint speaks of this session: its sid, or (for a hint without one)
  // the same user signed in at the same time.
  static bool SameSignIn(const jwt::IdClaims& hint, const SignIn& sign_in) {
    if (!hint.sid.empty()) return hint.sid == sign_in.sid;
    return hint.sub == std::to_string(sign_in.user.id) && hint.auth_time == sign_in.auth_time;
  }

  bool Secure() const { return app_.config().common.issuer.rfind("https://", 0) == 0; }

  http::Response ErrorPage(int status, std::string_view message) {
    const std::string nonce = app_.random().Token(16);
    const char* title = status == 503 ? "Service unavailable" : "Invalid sign-out request";
    return HtmlPage(status, RenderErrorPage(title, message, nonce), nonce);
  }

  http::Response ConfirmPage(const Params& params, const std::string& target) {
    std::vector<std::pair<std::string, std::string>> hidden;
    for (const char* field : kLogoutFields) hidden.emplace_back(field, params.GetOr(field));
    const std::string nonce = app_.random().Token(16);
    const std::string action = IssuerPath(app_.config().common.issuer) + "/logout";
    std::vector<std::string> form_action;
    if (!target.empty()) form_action.push_back(UriOrigin(target));
    return HtmlPage(200, RenderLogoutConfirmPage(action, hidden, nonce), nonce, form_action);
  }

  AuthApp& app_;
};

}  // namespace

void AddLogoutRoutes(http::Router& router, AuthApp& app) {
  auto handler = std::make_shared<LogoutHandler>(app);
  const http::RouteOptions blocking{.blocking = true};
  router.Add(
      "GET", "/logout", [handler](http::Request& r) { return handler->Handle(r, false); },
      blocking);
  router.Add(
      "POST", "/logout", [handler](http::Request& r) { return handler->Handle(r, true); },
      blocking);
}

}  // namespace bookstore::auth
