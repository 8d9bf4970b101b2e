#include "auth_service/routes/oauth_http.h"

#include <algorithm>
#include <boost/json.hpp>
#include <unordered_map>

#include "auth_service/oauth/client_credentials.h"
#include "auth_service/oauth/oauth_error.h"
#include "auth_service/oauth/redirect_uri.h"
#include "common/http/json_body.h"

namespace bookstore::auth {

std::optional<std::string> Params::Get(std::string_view name) const {
  for (const auto& [k, v] : values) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::string Params::GetOr(std::string_view name, std::string fallback) const {
  auto v = Get(name);
  return v ? *v : std::move(fallback);
}

std::vector<std::string> Params::Duplicated() const {
  // Linear: one hash lookup per parameter (a quadratic scan let a form of
  // many distinct names cost seconds of CPU).
  std::unordered_map<std::string_view, int> seen;
  seen.reserve(values.size());
  std::vector<std::string> out;
  for (const auto& [name, value] : values) {
    if (++seen[name] == 2) out.push_back(name);
  }
  return out;
}

Params QueryParams(const http::Request& request) { return Params{request.QueryParams()}; }

Result<Params> BodyParams(const http::Request& request, bool allow_json) {
  const std::string type = http::MediaType(request.headers.GetOr("Content-Type", ""));
  if (type == "application/x-www-form-urlencoded" || (type.empty() && request.body.empty())) {
    auto form = http::ParseForm(request.body);
    if (!form) {
      return OAuthError(OAuthCode::kInvalidRequest,
                        "the form body is malformed or has more than 1000 parameters");
    }
    return Params{std::move(*form)};
  }
  if (allow_json && type == "application/json") {
    auto value = http::ParseJson(request.body);
    if (!value || !value->is_object()) {
      return OAuthError(OAuthCode::kInvalidRequest, "the body must be a JSON object");
    }
    if (value->as_object().size() > http::kMaxFormParams) {
      return OAuthError(OAuthCode::kInvalidRequest, "the body has more than 1000 parameters");
    }
    Params params;
    for (const auto& [key, v] : value->as_object()) {
      if (v.is_string()) {
        params.values.emplace_back(std::string(key), std::string(v.as_string()));
      } else if (v.is_int64() || v.is_uint64()) {
        params.values.emplace_back(std::string(key), boost::json::serialize(v));
      } else if (!v.is_null()) {
        return OAuthError(OAuthCode::kInvalidRequest,
                          "parameter " + std::string(key) + " must be a string");
      }
    }
    return params;
  }
  return OAuthError(OAuthCode::kInvalidRequest,
                    allow_json ? "the body must be application/x-www-form-urlencoded "
                                 "or application/json"
                               : "the body must be application/x-www-form-urlencoded");
}

Result<ClientCredentials> ReadClientCredentials(const http::Request& request,
                                                const Params& params) {
  ClientCredentials out;
  const std::string* authorization = request.headers.Get("Authorization");
  if (authorization && IsBasicAuthorization(*authorization)) {
    auto basic = ParseBasicAuthorization(*authorization);
    if (!basic) return OAuthError(OAuthCode::kInvalidClient, "the Basic credentials are malformed");
    if (params.Get("client_secret")) {
      return OAuthError(OAuthCode::kInvalidRequest, "use only one client authentication method");
    }
    auto body_id = params.Get("client_id");
    if (body_id && *body_id != basic->client_id) {
      return OAuthError(OAuthCode::kInvalidRequest,
                        "client_id does not match the Basic credentials");
    }
    out.client_id = std::move(basic->client_id);
    out.client_secret = std::move(basic->client_secret);
    out.method = ClientAuthMethod::kBasic;
    return out;
  }
  out.client_id = params.GetOr("client_id");
  if (auto secret = params.Get("client_secret")) {
    out.client_secret = *secret;
    out.method = ClientAuthMethod::kPost;
  }
  return out;
}

http::Response NoStoreJson(int status, std::string body) {
  auto response = http::Response::Json(status, std::move(body));
  response.headers.Set("Cache-Control", "no-store");
  response.headers.Set("Pragma", "no-cache");
  return response;
}

http::Response OAuthErrorResponse(const Error& error, bool basic_used) {
  const int status = OAuthHttpStatus(error);
  boost::json::object body{{"error", OAuthErrorCode(error)}};
  if (!error.message.empty()) body["error_description"] = error.message;
  auto response = NoStoreJson(status, boost::json::serialize(body));
  if (status == 401 && basic_used) {
    response.headers.Set("WWW-Authenticate", "Basic realm=\"bookstore-auth\", charset=\"UTF-8\"");
  }
  return response;
}

http::Response HtmlPage(int status, std::string body, std::string_view style_nonce,
                        const std::vector<std::string>& form_action) {
  auto response = http::Response::Html(status, std::move(body));
  std::string csp = "default-src 'none'; style-src 'nonce-";
  csp += style_nonce;
  csp += "'; form-action 'self'";
  for (const auto& origin : form_action) {
    if (!origin.empty() && origin.find_first_of(" ;,'\"") == std::string::npos) {
      csp += ' ';
      csp += origin;
    }
  }
  csp += "; frame-ancestors 'none'; base-uri 'none'";
  response.headers.Set("Content-Security-Policy", std::move(csp));
  response.headers.Set("X-Frame-Options", "DENY");
  response.headers.Set("Cache-Control", "no-store");
  response.headers.Set("Pragma", "no-cache");
  response.headers.Set("X-Content-Type-Options", "nosniff");
  response.headers.Set("Referrer-Policy", "same-origin");
  return response;
}

std::string GetCookie(const http::Request& request, std::string_view name) {
  for (const auto& [key, value] : request.headers.fields()) {
    if (key.size() != 6 || !std::equal(key.begin(), key.end(), "cookie", [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      continue;
    }
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t end = std::min(rest.find(';'), rest.size());
      std::string_view pair = rest.substr(0, end);
      rest.remove_prefix(std::min(end + 1, rest.size()));
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return "";
}

std::string MakeCookie(std::string_view name, std::string_view value, long long max_age,
                       bool secure) {
  std::string out(name);
  out += '=';
  out += value;
  out += "; Path=/; HttpOnly; SameSite=Lax; Max-Age=";
  out += std::to_string(max_age);
  if (secure) out += "; Secure";
  return out;
}

std::string Endpoint(std::string_view issuer, std::string_view path) {
  while (!issuer.empty() && issuer.back() == '/') issuer.remove_suffix(1);
  return std::string(issuer) + std::string(path);
}

std::string IssuerPath(std::string_view issuer) {
  const size_t scheme = issuer.find("://");
  if (scheme == std::string_view::npos) return "";
  const size_t slash = issuer.find('/', scheme + 3);
  if (slash == std::string_view::npos) return "";
  std::string path(issuer.substr(slash));
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

bool SameOriginPost(const http::Request& request, std::string_view issuer) {
  if (const std::string* site = request.headers.Get("Sec-Fetch-Site")) {
    if (*site != "same-origin" && *site != "none") return false;
  }
  const std::string* origin = request.headers.Get("Origin");
  if (!origin) return true;
  const std::string host(request.headers.GetOr("Host", ""));
  const std::string o = UriOrigin(*origin);
  return o == UriOrigin(issuer) || o == "http://" + host || o == "https://" + host;
}

}  // namespace bookstore::auth
