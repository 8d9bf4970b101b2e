// POST /token, /revoke, /introspect and GET/POST /userinfo.
#include <boost/json.hpp>

#include "auth_service/app.h"
#include "auth_service/oauth/oauth_error.h"
#include "auth_service/routes/oauth_http.h"
#include "auth_service/routes/route_auth.h"
#include "auth_service/routes/routes.h"
#include "common/db/shared_read.h"
#include "common/http/deferred.h"

namespace bookstore::auth {
namespace {

std::string TokenJson(const TokenResponse& t) {
  boost::json::object o;
  o["access_token"] = t.access_token;
  o["token_type"] = "Bearer";
  o["expires_in"] = t.expires_in;
  o["refresh_token"] = t.refresh_token;
  o["scope"] = t.scope;
  o["role"] = t.role;
  if (!t.id_token.empty()) o["id_token"] = t.id_token;
  return boost::json::serialize(o);
}

// The grants and revocations are answered once their unit of the writer is
// durable (deferred); their reads and signatures run on the worker thread.
http::Response Token(AuthApp& app, http::Request& request) {
  const AuthenticatedClient& ctx = ClientOf(request);
  const std::string grant_type = ctx.params.GetOr("grant_type");
  auto [placeholder, answer] = http::Defer();
  auto done = [answer, basic = ctx.basic](Result<TokenResponse> result) {
    answer(result.ok() ? NoStoreJson(200, TokenJson(*result))
                       : OAuthErrorResponse(result.error(), basic));
  };
  if (grant_type == "authorization_code") {
    app.tokens().ExchangeCodeAsync(ctx.client, ctx.params.GetOr("code"),
                                   ctx.params.Get("redirect_uri"),
                                   ctx.params.GetOr("code_verifier"), std::move(done));
  } else if (grant_type == "refresh_token") {
    app.tokens().RefreshAsync(ctx.client, ctx.params.GetOr("refresh_token"),
                              ctx.params.Get("scope"), std::move(done));
  } else if (grant_type.empty()) {
    done(OAuthError(OAuthCode::kInvalidRequest, "grant_type is required"));
  } else {
    done(OAuthError(OAuthCode::kUnsupportedGrantType,
                    "grant_type must be authorization_code or refresh_token"));
  }
  return std::move(placeholder);
}

http::Response Revoke(AuthApp& app, http::Request& request) {
  const AuthenticatedClient& ctx = ClientOf(request);
  auto token = ctx.params.Get("token");
  if (!token)
    return OAuthErrorResponse(OAuthError(OAuthCode::kInvalidRequest, "token is required"),
                              ctx.basic);
  auto [placeholder, answer] = http::Defer();
  app.tokens().RevokeAsync(
      ctx.client, *token, ctx.params.GetOr("token_type_hint"),
      [answer, basic = ctx.basic](Status status) {
        answer(status.ok() ? NoStoreJson(200, "{}") : OAuthErrorResponse(status.error(), basic));
      });
  return std::move(placeholder);
}

std::string IntrospectionJson(const Introspection& i) {
  boost::json::object o;
  o["active"] = i.active;
  if (i.active) {
    o["token_type"] = i.token_type;
    o["sub"] = i.sub;
    o["username"] = i.username;
    o["role"] = i.role;
    o["scope"] = i.scope;
    o["client_id"] = i.client_id;
    o["exp"] = i.exp;
    o["iat"] = i.iat;
    o["iss"] = i.iss;
    if (!i.aud.empty()) o["aud"] = i.aud;
    if (!i.jti.empty()) o["jti"] = i.jti;
  }
  return boost::json::serialize(o);
}

http::Response Introspect(AuthApp& app, http::Request& request) {
  const AuthenticatedClient& ctx = ClientOf(request);
  auto token = ctx.params.Get("token");
  if (!token)
    return OAuthErrorResponse(OAuthError(OAuthCode::kInvalidRequest, "token is required"),
                              ctx.basic);
  auto result = app.tokens().Introspect(ctx.client, *token, ctx.params.GetOr("token_type_hint"));
  if (!result.ok()) return OAuthErrorResponse(result.error(), ctx.basic);
  return NoStoreJson(200, IntrospectionJson(*result));
}

http::Response UserInfoRoute(AuthApp& app, http::Request& request) {
  auto info = app.tokens().GetUserInfo(request.principal->user_id);
  if (!info.ok()) {
    if (info.error().code == Errc::kUnavailable) {
      return BearerError(503, "temporarily_unavailable", info.error().message);
    }
    return BearerError(401, "invalid_token", info.error().message);
  }
  boost::json::object o{{"sub", info->sub},
                        {"preferred_username", info->username},
                        {"username", info->username},
                        {"role", info->role}};
  return NoStoreJson(200, boost::json::serialize(o));
}

}  // namespace

void AddTokenRoutes(http::Router& router, AuthApp& app) {
  // The grants and revocations read on a worker; their writes go to the
  // writer, and the answer follows once they are durable.
  const http::RouteOptions client_blocking{.blocking = true,
                                           .middleware = {ClientAuthentication(app)}};
  router.Add(
      "POST", "/token", [&app](http::Request& r) { return Token(app, r); }, client_blocking);
  router.Add(
      "POST", "/revoke", [&app](http::Request& r) { return Revoke(app, r); }, client_blocking);
  // Reads only: on io threads on SQLite, on the worker pool on PostgreSQL.
  router.Add(
      "POST", "/introspect", [&app](http::Request& r) { return Introspect(app, r); },
      db::ReadOnlyRoute(app.shared_database(), {ClientAuthentication(app)}));
  // OIDC Core §5.3.1: GET and POST, the token in the Authorization header.
  for (const char* method : {"GET", "POST"}) {
    router.Add(
        method, "/userinfo", [&app](http::Request& r) { return UserInfoRoute(app, r); },
        db::ReadOnlyRoute(app.shared_database(), {BearerAccessToken(app)}));
  }
}

}  // namespace bookstore::auth
