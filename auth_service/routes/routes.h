#pragma once
// Registration of the auth service's OAuth routes (contract §1).

namespace bookstore::http {
class Router;
}

namespace bookstore::auth {

class AuthApp;

// GET /.well-known/oauth-authorization-server, GET /jwks.json.
void AddMetadataRoutes(http::Router& router, AuthApp& app);
// GET/POST /authorize (login page, login, single sign-on), POST /logout.
void AddAuthorizeRoutes(http::Router& router, AuthApp& app);
// POST /token, POST /revoke, POST /introspect, GET /userinfo.
void AddTokenRoutes(http::Router& router, AuthApp& app);

}  // namespace bookstore::auth
