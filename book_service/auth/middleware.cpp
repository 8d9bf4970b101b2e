#include "book_service/auth/middleware.h"

#include <algorithm>

#include "book_service/auth/token_verifier.h"
#include "common/http/bearer.h"
#include "common/http/problem.h"

namespace bookstore::book {
namespace {

http::Response Unauthorized(std::string detail, bool token_sent) {
  auto response = http::ProblemResponse(Error::Unauthenticated(std::move(detail)));
  response.headers.Set("WWW-Authenticate",
                       token_sent ? R"(Bearer error="invalid_token")" : "Bearer");
  return response;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) out += (out.empty() ? "" : " ") + s;
  return out;
}

}  // namespace

http::Response InsufficientScope(std::string_view detail, std::string_view scope) {
  auto response = http::ProblemResponse(Error::Forbidden(std::string(detail)));
  std::string value = R"(Bearer error="insufficient_scope")";
  if (!scope.empty()) value += ", scope=\"" + std::string(scope) + "\"";
  response.headers.Set("WWW-Authenticate", value);
  return response;
}

http::Middleware RequireAuth(std::shared_ptr<TokenVerifier> verifier) {
  return [verifier](http::Request& req, const http::Handler& next) -> http::Response {
    const auto token = http::BearerToken(req);
    if (!token) return Unauthorized("a bearer access token is required", false);
    if (token->empty()) return Unauthorized("the access token is invalid", true);
    auto outcome = verifier->Verify(*token);
    switch (outcome.check) {
      case TokenCheck::kValid:
        req.principal = std::move(outcome.principal);
        return next(req);
      case TokenCheck::kUnavailable: {
        auto response = http::ProblemResponse(
            Error::Unavailable("token signing keys are not loaded yet; retry shortly"));
        response.headers.Set("Retry-After", "5");
        return response;
      }
      case TokenCheck::kInvalid:
        break;
    }
    return Unauthorized("the access token is invalid or expired", true);
  };
}

http::Middleware OptionalAuth(std::shared_ptr<TokenVerifier> verifier) {
  return [verifier](http::Request& req, const http::Handler& next) -> http::Response {
    const auto token = http::BearerToken(req);
    if (token && !token->empty()) {
      auto outcome = verifier->Verify(*token);
      if (outcome.check == TokenCheck::kValid) req.principal = std::move(outcome.principal);
    }
    return next(req);
  };
}

http::Middleware RequireScopes(std::vector<std::string> all_of) {
  return [all_of](http::Request& req, const http::Handler& next) -> http::Response {
    for (const auto& scope : all_of) {
      if (!req.principal || !req.principal->HasScope(scope)) {
        return InsufficientScope("the token lacks the scope " + scope, JoinScopes(all_of));
      }
    }
    return next(req);
  };
}

http::Middleware RequireAnyScope(std::vector<std::string> any_of) {
  return [any_of](http::Request& req, const http::Handler& next) -> http::Response {
    const bool ok = req.principal && std::any_of(any_of.begin(), any_of.end(), [&](auto& s) {
                      return req.principal->HasScope(s);
                    });
    if (!ok) return InsufficientScope("the token lacks a required scope", JoinScopes(any_of));
    return next(req);
  };
}

http::Middleware RequireRole(std::string role) {
  return [role](http::Request& req, const http::Handler& next) -> http::Response {
    if (!req.principal || req.principal->role != role) {
      return InsufficientScope("this operation requires the " + role + " role", "");
    }
    return next(req);
  };
}

}  // namespace bookstore::book
