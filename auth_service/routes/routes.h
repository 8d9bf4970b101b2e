#pragma once
// Registration of the auth service's OAuth and OpenID Connect routes
// (contract §1, §5).

namespace bookstore::http {
class Router;
}

namespace bookstore::auth {

class AuthApp;

// GET /.well-known/oauth-authorization-server and /openid-configuration,
// GET /jwks.json.
void AddMetadataRoutes(http::Router& router, AuthApp& app);
// GET/POST /authorize (login page, login, single sign-on).
void AddAuthorizeRoutes(http::Router& router, AuthApp& app);
// GET/POST /logout (RP-initiated logout; §1.5's POST /logout).
void AddLogoutRoutes(http::Router& router, AuthApp& app);
// POST /token, POST /revoke, POST /introspect, GET/POST /userinfo.
void AddTokenRoutes(http::Router& router, AuthApp& app);

}  // namespace bookstore::auth
