#include "auth_service/routes/route_auth.h"

#include <any>
#include <boost/json.hpp>

#include "auth_service/app.h"
#include "auth_service/oauth/client_credentials.h"
#include "auth_service/oauth/oauth_error.h"
#include "common/http/bearer.h"

namespace bookstore::auth {

http::Middleware ClientAuthentication(AuthApp& app) {
  return [&app](http::Request& request, const http::Handler& next) -> http::Response {
    AuthenticatedClient out;
    auto params = BodyParams(request, /*allow_json=*/true);
    if (!params.ok()) return OAuthErrorResponse(params.error(), false);
    out.params = std::move(*params);
    const std::string* authorization = request.headers.Get("Authorization");
    out.basic = authorization && IsBasicAuthorization(*authorization);
    auto credentials = ReadClientCredentials(request, out.params);
    if (!credentials.ok()) return OAuthErrorResponse(credentials.error(), out.basic);
    auto client = app.clients().Authenticate(*credentials);
    if (!client.ok()) return OAuthErrorResponse(client.error(), out.basic);
    const auto duplicated = out.params.Duplicated();
    if (!duplicated.empty()) {
      return OAuthErrorResponse(
          OAuthError(OAuthCode::kInvalidRequest,
                     "parameter " + duplicated.front() + " was sent more than once"),
          out.basic);
    }
    out.client = std::move(*client);
    request.context = std::move(out);
    return next(request);
  };
}

const AuthenticatedClient& ClientOf(const http::Request& request) {
  return std::any_cast<const AuthenticatedClient&>(request.context);
}

http::Middleware BearerAccessToken(AuthApp& app) {
  return [&app](http::Request& request, const http::Handler& next) -> http::Response {
    const auto token = http::BearerToken(request);
    if (!token) return BearerError(401, "", "a bearer access token is required");
    auto claims = app.tokens().VerifyAccessToken(*token);
    if (!claims.ok()) {
      if (claims.error().code == Errc::kUnavailable) {
        return BearerError(503, "temporarily_unavailable", claims.error().message);
      }
      return BearerError(401, "invalid_token", claims.error().message);
    }
    http::Principal principal;
    if (!http::PrincipalFromClaims(*claims, principal)) {
      return BearerError(401, "invalid_token", "the access token is not valid");
    }
    request.principal = std::move(principal);
    return next(request);
  };
}

http::Response BearerError(int status, std::string_view error, std::string_view description) {
  boost::json::object o;
  std::string challenge = "Bearer realm=\"bookstore-auth\"";
  if (!error.empty()) {
    o["error"] = error;
    o["error_description"] = description;
    challenge += ", error=\"" + std::string(error) + "\"";
  } else {
    o["error"] = "invalid_request";
    o["error_description"] = description;
  }
  auto response = NoStoreJson(status, boost::json::serialize(o));
  if (status == 401) response.headers.Set("WWW-Authenticate", std::move(challenge));
  return response;
}

}  // namespace bookstore::auth
