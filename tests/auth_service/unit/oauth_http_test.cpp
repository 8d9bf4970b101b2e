#include "auth_service/routes/oauth_http.h"

#include <gtest/gtest.h>

#include "auth_service/oauth/oauth_error.h"

namespace bookstore::auth {
namespace {

http::Request FormRequest(std::string body,
                          std::string type = "application/x-www-form-urlencoded") {
  http::Request r;
  r.method = "POST";
  if (!type.empty()) r.headers.Set("Content-Type", std::move(type));
  r.body = std::move(body);
  return r;
}

TEST(OAuthHttp, FormParamsAndDuplicates) {
  auto p = BodyParams(FormRequest("a=1&b=x%20y&a=2"), true);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->GetOr("a"), "1");
  EXPECT_EQ(p->GetOr("b"), "x y");
  EXPECT_EQ(p->Duplicated(), std::vector<std::string>{"a"});
  EXPECT_FALSE(p->Get("c"));
}

TEST(OAuthHttp, DuplicatedNamesEachNamedOnceInOrderOfTheirSecondOccurrence) {
  auto p = BodyParams(FormRequest("b=1&a=1&c=1&a=2&b=2&a=3&d"), false);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Duplicated(), (std::vector<std::string>{"a", "b"}));
}

TEST(OAuthHttp, MoreThanAThousandParametersRefused) {
  std::string form;
  for (int i = 0; i < 1000; ++i) form += "p" + std::to_string(i) + "&";
  EXPECT_TRUE(BodyParams(FormRequest(form, "application/x-www-form-urlencoded"), false).ok());
  auto over = BodyParams(FormRequest(form + "x", "application/x-www-form-urlencoded"), false);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(OAuthErrorCode(over.error()), "invalid_request");
  std::string json = "{";
  for (int i = 0; i <= 1000; ++i) json += "\"p" + std::to_string(i) + "\":\"v\",";
  json.back() = '}';
  EXPECT_FALSE(BodyParams(FormRequest(json, "application/json"), true).ok());
}

TEST(OAuthHttp, JsonParamsAccepted) {
  auto p =
      BodyParams(FormRequest(R"({"grant_type":"refresh_token","n":5})", "application/json"), true);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->GetOr("grant_type"), "refresh_token");
  EXPECT_EQ(p->GetOr("n"), "5");
}

TEST(OAuthHttp, JsonRejectedWhereNotAllowedAndBadJson) {
  EXPECT_FALSE(BodyParams(FormRequest("{}", "application/json"), false).ok());
  EXPECT_FALSE(BodyParams(FormRequest("[1]", "application/json"), true).ok());
  EXPECT_FALSE(BodyParams(FormRequest(R"({"a":{"b":1}})", "application/json"), true).ok());
  EXPECT_FALSE(BodyParams(FormRequest("x", "text/plain"), true).ok());
  EXPECT_FALSE(BodyParams(FormRequest("a=%zz"), true).ok());
  EXPECT_EQ(OAuthErrorCode(BodyParams(FormRequest("x", "text/plain"), true).error()),
            "invalid_request");
}

TEST(OAuthHttp, CredentialsFromBasicDecodeHalves) {
  auto r = FormRequest("grant_type=x");
  // "bookstore%2Dweb:" base64
  r.headers.Set("Authorization", "Basic Ym9va3N0b3JlJTJEd2ViOg==");
  auto c = ReadClientCredentials(r, *BodyParams(r, true));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->client_id, "bookstore-web");
  EXPECT_EQ(c->method, ClientAuthMethod::kBasic);
}

TEST(OAuthHttp, CredentialsRejectTwoMethodsAndMalformedBasic) {
  auto r = FormRequest("client_secret=x");
  r.headers.Set("Authorization", "Basic Ym9va3N0b3JlJTJEd2ViOg==");
  auto both = ReadClientCredentials(r, *BodyParams(r, true));
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(OAuthErrorCode(both.error()), "invalid_request");
  r = FormRequest("");
  r.headers.Set("Authorization", "Basic !!");
  auto bad = ReadClientCredentials(r, *BodyParams(r, true));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(OAuthErrorCode(bad.error()), "invalid_client");
}

TEST(OAuthHttp, CredentialsFromBody) {
  auto r = FormRequest("client_id=svc&client_secret=s");
  auto c = ReadClientCredentials(r, *BodyParams(r, true));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->client_id, "svc");
  EXPECT_EQ(c->client_secret, "s");
  EXPECT_EQ(c->method, ClientAuthMethod::kPost);
}

TEST(OAuthHttp, ErrorResponseShape) {
  auto r = OAuthErrorResponse(OAuthError(OAuthCode::kInvalidGrant, "nope"), false);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"error":"invalid_grant","error_description":"nope"})");
  EXPECT_EQ(r.headers.GetOr("Cache-Control", ""), "no-store");
  EXPECT_EQ(r.headers.GetOr("Content-Type", "").substr(0, 16), "application/json");
  auto basic = OAuthErrorResponse(OAuthError(OAuthCode::kInvalidClient, "x"), true);
  EXPECT_EQ(basic.status, 401);
  EXPECT_NE(basic.headers.GetOr("WWW-Authenticate", "").find("Basic realm="), std::string::npos);
  EXPECT_EQ(OAuthErrorResponse(OAuthError(OAuthCode::kInvalidClient, "x"), false)
                .headers.Get("WWW-Authenticate"),
            nullptr);
  EXPECT_EQ(OAuthErrorResponse(Error::Unavailable("db"), false).status, 503);
}

TEST(OAuthHttp, HtmlPageSecurityHeaders) {
  auto r = HtmlPage(200, "<p>x</p>", "abc", {"http://localhost:3000", "bad; value"});
  const std::string csp(r.headers.GetOr("Content-Security-Policy", ""));
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("style-src 'nonce-abc'"), std::string::npos);
  EXPECT_NE(csp.find("form-action 'self' http://localhost:3000;"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("bad"), std::string::npos);
  EXPECT_EQ(r.headers.GetOr("X-Frame-Options", ""), "DENY");
  EXPECT_EQ(r.headers.GetOr("Cache-Control", ""), "no-store");
}

TEST(OAuthHttp, Cookies) {
  http::Request r;
  r.headers.Add("Cookie", "a=1; bookstore_session=abc");
  r.headers.Add("cookie", "c=3");
  EXPECT_EQ(GetCookie(r, "bookstore_session"), "abc");
  EXPECT_EQ(GetCookie(r, "c"), "3");
  EXPECT_EQ(GetCookie(r, "missing"), "");
  EXPECT_EQ(MakeCookie("s", "v", 60, false), "s=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60");
  EXPECT_NE(MakeCookie("s", "v", 60, true).find("; Secure"), std::string::npos);
}

TEST(OAuthHttp, EndpointsFromIssuer) {
  EXPECT_EQ(Endpoint("http://localhost:5000", "/token"), "http://localhost:5000/token");
  EXPECT_EQ(Endpoint("https://a.example/auth/", "/token"), "https://a.example/auth/token");
  EXPECT_EQ(IssuerPath("http://localhost:5000"), "");
  EXPECT_EQ(IssuerPath("https://a.example/auth/"), "/auth");
}

}  // namespace
}  // namespace bookstore::auth
