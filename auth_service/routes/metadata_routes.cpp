// RFC 8414 metadata, OpenID Provider metadata and the JWKS.
#include <boost/json.hpp>

#include "auth_service/app.h"
#include "auth_service/oauth/scopes.h"
#include "auth_service/routes/oauth_http.h"
#include "auth_service/routes/routes.h"
#include "common/http/problem.h"

namespace bookstore::auth {
namespace {

boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

// The RFC 8414 document; with `oidc` the OpenID Provider Metadata (OIDC
// Discovery §3) too. Both name the same endpoints and methods.
std::string MetadataJson(const std::string& issuer, bool oidc, std::string_view signing_alg) {
  boost::json::object m;
  m["issuer"] = issuer;
  m["authorization_endpoint"] = Endpoint(issuer, "/authorize");
  m["token_endpoint"] = Endpoint(issuer, "/token");
  m["jwks_uri"] = Endpoint(issuer, "/jwks.json");
  m["revocation_endpoint"] = Endpoint(issuer, "/revoke");
  m["introspection_endpoint"] = Endpoint(issuer, "/introspect");
  m["userinfo_endpoint"] = Endpoint(issuer, "/userinfo");
  m["end_session_endpoint"] = Endpoint(issuer, "/logout");
  m["response_types_supported"] = Strings({"code"});
  m["response_modes_supported"] = Strings({"query"});
  m["grant_types_supported"] = Strings({"authorization_code", "refresh_token"});
  m["code_challenge_methods_supported"] = Strings({"S256"});
  const auto auth_methods = Strings({"client_secret_basic", "client_secret_post", "none"});
  m["token_endpoint_auth_methods_supported"] = auth_methods;
  m["revocation_endpoint_auth_methods_supported"] = auth_methods;
  m["introspection_endpoint_auth_methods_supported"] = auth_methods;
  m["scopes_supported"] = Strings(AllScopes());
  m["prompt_values_supported"] = Strings({"none", "login"});
  m["authorization_response_iss_parameter_supported"] = true;
  if (oidc) {
    m["subject_types_supported"] = Strings({"public"});
    m["id_token_signing_alg_values_supported"] = Strings({std::string(signing_alg)});
    m["claims_supported"] =
        Strings({"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "azp", "sid",
                 "preferred_username", "username", "role"});
    m["claims_parameter_supported"] = false;
    m["request_parameter_supported"] = false;
    m["request_uri_parameter_supported"] = false;
  }
  return boost::json::serialize(m);
}

}  // namespace

void AddMetadataRoutes(http::Router& router, AuthApp& app) {
  const auto add_document = [&router](const char* path, std::string document) {
    router.Add("GET", path, [document = std::move(document)](http::Request&) {
      auto response = http::Response::Json(200, document);
      response.headers.Set("Cache-Control", "public, max-age=300");
      return response;
    });
  };
  // The algorithm of this instance's signing key (AUTH_SIGNING_ALG).
  const std::string_view alg = jwt::AlgName(app.keys().signing_key().alg());
  add_document("/.well-known/oauth-authorization-server",
               MetadataJson(app.config().common.issuer, /*oidc=*/false, alg));
  add_document("/.well-known/openid-configuration",
               MetadataJson(app.config().common.issuer, /*oidc=*/true, alg));
  router.Add("GET", "/jwks.json", [&app](http::Request&) {
    auto jwks = app.keys().Jwks();
    if (!jwks.ok()) return http::ProblemResponse(jwks.error());
    auto response = http::Response::Json(200, std::move(*jwks));
    response.headers.Set("Cache-Control", "public, max-age=60");
    return response;
  });  // from the key snapshot: no database read once started
}

}  // namespace bookstore::auth
