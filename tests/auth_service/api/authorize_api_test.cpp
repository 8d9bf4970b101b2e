// GET/POST /authorize: errors, the login page, CSRF, throttling.
#include <soci/soci.h>

#include "tests/auth_service/api/auth_api_fixture.h"

namespace bookstore::auth {
namespace {

int Count(const std::string& s, const std::string& needle) {
  int n = 0;
  for (size_t p = s.find(needle); p != std::string::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}

TEST_F(AuthApiTest, LoginPageShapeAndHeaders) {
  auto r = browser_->Get(AuthorizeTarget());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type").rfind("text/html", 0), 0u);
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
  EXPECT_NE(r.Header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(r.Header("Content-Security-Policy").find("form-action 'self' http://localhost:3000"),
            std::string::npos);
  EXPECT_EQ(Count(r.body, "<form"), 1);
  EXPECT_EQ(Count(r.body, "<form method=\"post\" action=\"/authorize\""), 1);
  EXPECT_NE(r.body.find("type=\"text\" id=\"username\" name=\"username\""), std::string::npos);
  EXPECT_NE(r.body.find("type=\"password\" id=\"password\" name=\"password\""), std::string::npos);
  EXPECT_NE(r.body.find("Bookstore"), std::string::npos);  // the client's name
  std::map<std::string, std::string> hidden;
  for (auto& [k, v] : HiddenInputs(r.body)) hidden[k] = v;
  EXPECT_FALSE(hidden["csrf_token"].empty());
  EXPECT_EQ(hidden["client_id"], "bookstore-web");
  EXPECT_EQ(hidden["redirect_uri"], kWebRedirect);
  EXPECT_EQ(hidden["state"], "st-123");
  EXPECT_EQ(hidden["code_challenge"], S256Challenge(kVerifier));
  EXPECT_EQ(hidden["code_challenge_method"], "S256");
  EXPECT_EQ(hidden["response_type"], "code");
}

class SignupLinkApiTest : public AuthApiTest {
 protected:
  void Configure(AuthConfig& config) override {
    config.signup_url = "http://localhost:3000/register";
  }
};

TEST_F(SignupLinkApiTest, LoginPageLinksToTheConfiguredSignUp) {
  auto r = browser_->Get(AuthorizeTarget());
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<a href=\"http://localhost:3000/register\">Create an account</a>"),
            std::string::npos)
      << r.body;
}

TEST_F(AuthApiTest, NoSignUpLinkByDefault) {
  auto r = browser_->Get(AuthorizeTarget());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("Create an account"), std::string::npos);
}

TEST_F(AuthApiTest, StateIsEscapedInThePage) {
  auto r = browser_->Get(AuthorizeTarget({{"state", "\"><script>x</script>"}}));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("<script>"), std::string::npos);
}

TEST_F(AuthApiTest, UnknownClientIs400HtmlWithoutRedirect) {
  auto r = client_->Get(AuthorizeTarget({{"client_id", "nope"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("Location"), "");
  EXPECT_EQ(r.Header("Content-Type").rfind("text/html", 0), 0u);
  EXPECT_EQ(client_->Get(AuthorizeTarget({{"client_id", "\x01"}})).status, 400);
}

TEST_F(AuthApiTest, BadRedirectUriIs400WithoutRedirect) {
  for (const std::string uri : {"http://evil.test/cb", "http://localhost:3000/callback/",
                                "http://localhost:3000/callback?x=1"}) {
    auto r = client_->Get(AuthorizeTarget({{"redirect_uri", uri}}));
    EXPECT_EQ(r.status, 400) << uri;
    EXPECT_EQ(r.Header("Location"), "");
  }
  // bookstore-web has two URIs: redirect_uri may not be omitted.
  auto missing = client_->Get(AuthorizeTarget({{"redirect_uri", "\x01"}}));
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.Header("Location"), "");
}

TEST_F(AuthApiTest, RedirectUriMayBeOmittedWithOneRegistered) {
  auto r =
      client_->Get(AuthorizeTarget({{"client_id", "bookstore-admin"}, {"redirect_uri", "\x01"}}));
  EXPECT_EQ(r.status, 200);
}

void ExpectRedirectError(const HttpResponse& r, const std::string& error) {
  ASSERT_EQ(r.status, 302) << r.body;
  const std::string location = r.Header("Location");
  EXPECT_EQ(location.rfind(std::string(kWebRedirect) + "?", 0), 0u);
  auto p = ParamsOf(location);
  EXPECT_EQ(p["error"], error);
  EXPECT_FALSE(p["error_description"].empty());
  EXPECT_EQ(p["state"], "st-123");
  EXPECT_EQ(p["iss"], kIssuer);
  EXPECT_EQ(CountParam(location, "iss"), 1);
}

TEST_F(AuthApiTest, MissingPkceForPublicClientRedirectsWithError) {
  ExpectRedirectError(client_->Get(AuthorizeTarget(
                          {{"code_challenge", "\x01"}, {"code_challenge_method", "\x01"}})),
                      "invalid_request");
}

TEST_F(AuthApiTest, PlainPkceMethodRedirectsWithError) {
  ExpectRedirectError(client_->Get(AuthorizeTarget(
                          {{"code_challenge_method", "plain"}, {"code_challenge", kVerifier}})),
                      "invalid_request");
  ExpectRedirectError(client_->Get(AuthorizeTarget({{"code_challenge_method", "\x01"}})),
                      "invalid_request");
}

TEST_F(AuthApiTest, BadResponseTypeAndUnknownScopeRedirect) {
  ExpectRedirectError(client_->Get(AuthorizeTarget({{"response_type", "token"}})),
                      "unsupported_response_type");
  ExpectRedirectError(client_->Get(AuthorizeTarget({{"response_type", "\x01"}})),
                      "invalid_request");
  ExpectRedirectError(client_->Get(AuthorizeTarget({{"scope", "orders email"}})), "invalid_scope");
}

TEST_F(AuthApiTest, WrongCredentialsGiveOneGenericMessage) {
  auto wrong_password = LoginWith("carol", "not-her-password");
  auto unknown_user = LoginWith("nobody", "not-her-password");
  for (const auto* r : {&wrong_password, &unknown_user}) {
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(r->Header("Location"), "");
    EXPECT_NE(r->body.find("Invalid username or password."), std::string::npos);
    EXPECT_EQ(Count(r->body, "<form"), 1);
    EXPECT_EQ(r->Header("Cache-Control"), "no-store");
  }
  EXPECT_EQ(browser_->Cookie("bookstore_session"), "");
}

TEST_F(AuthApiTest, MissingOrWrongCsrfIsRefused) {
  auto form = browser_->Get(AuthorizeTarget());
  auto fields = HiddenInputs(form.body);
  HeaderList without, wrong;
  for (auto& [k, v] : fields) {
    if (k != "csrf_token") without.emplace_back(k, v);
    wrong.emplace_back(k, k == "csrf_token" ? "forged-value" : v);
  }
  for (auto* f : {&without, &wrong}) {
    f->emplace_back("username", "carol");
    f->emplace_back("password", "carol-pass-1");
    auto r = browser_->PostForm("/authorize", test::FormEncode(*f));
    EXPECT_TRUE(r.status == 400 || r.status == 403) << r.status;
    EXPECT_EQ(r.Header("Location"), "");
  }
}

// Contract: a login form costs no database write until a password is posted
// (each view once stored its CSRF token). PRAGMA data_version changes when
// any other connection commits.
TEST_F(AuthApiTest, ViewingTheLoginFormWritesNothing) {
  auto version = [&] {
    long long v = 0;
    db_->Session() << "PRAGMA data_version", soci::into(v);
    return v;
  };
  const long long before = version();
  for (int i = 0; i < 20; ++i) {
    browser_->ClearCookies();
    ASSERT_EQ(browser_->Get(AuthorizeTarget()).status, 200);
  }
  EXPECT_EQ(version(), before);
}

// The CSRF token is bound to the browser: it must match the browser's csrf
// cookie, so a token lifted from one browser's form fails in another.
TEST_F(AuthApiTest, CsrfTokenIsBoundToTheBrowserAndExpires) {
  auto form = browser_->Get(AuthorizeTarget());
  auto fields = HiddenInputs(form.body);
  std::string token;
  for (const auto& [k, v] : fields) {
    if (k == "csrf_token") token = v;
  }
  EXPECT_EQ(browser_->Cookie("bookstore_csrf"), token);
  EXPECT_NE(form.Header("Set-Cookie").find("HttpOnly"), std::string::npos);
  fields.emplace_back("username", "carol");
  fields.emplace_back("password", "carol-pass-1");

  auto other_browser = client_->PostForm("/authorize", test::FormEncode(fields));  // no cookie
  EXPECT_EQ(other_browser.status, 403);
  auto wrong_cookie =
      client_->PostForm("/authorize", test::FormEncode(fields),
                        {{"Cookie", "bookstore_csrf=" + token.substr(0, token.size() - 1) +
                                        (token.back() == 'A' ? "B" : "A")}});
  EXPECT_EQ(wrong_cookie.status, 403);

  // A second form in the same browser reuses the token (several tabs work).
  auto again = browser_->Get(AuthorizeTarget());
  EXPECT_NE(again.body.find(token), std::string::npos);
  EXPECT_EQ(again.Header("Set-Cookie"), "");

  clock_.Advance(3600);
  auto expired = browser_->PostForm("/authorize", test::FormEncode(fields));
  EXPECT_EQ(expired.status, 403);
  EXPECT_NE(expired.body.find("expired"), std::string::npos);
  // After expiry the browser gets a new token with the next form.
  auto renewed = browser_->Get(AuthorizeTarget());
  EXPECT_EQ(renewed.body.find(token), std::string::npos);
  EXPECT_NE(renewed.Header("Set-Cookie").find("bookstore_csrf="), std::string::npos);
}

TEST_F(AuthApiTest, CrossOriginPostIsRefused) {
  auto form = browser_->Get(AuthorizeTarget());
  auto fields = HiddenInputs(form.body);
  fields.emplace_back("username", "carol");
  fields.emplace_back("password", "carol-pass-1");
  auto r =
      browser_->PostForm("/authorize", test::FormEncode(fields), {{"Origin", "http://evil.test"}});
  EXPECT_EQ(r.status, 403);
  auto site = browser_->PostForm("/authorize", test::FormEncode(fields),
                                 {{"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(site.status, 403);
}

TEST_F(AuthApiTest, UsernameThrottledAfterTenFailures) {
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(LoginWith("carol", "wrong-" + std::to_string(i)).status, 401);
  auto blocked = LoginWith("carol", "carol-pass-1");
  EXPECT_EQ(blocked.status, 429);
  EXPECT_FALSE(blocked.Header("Retry-After").empty());
  EXPECT_EQ(blocked.Header("Location"), "");
  clock_.Advance(600);
  EXPECT_EQ(LoginWith("carol", "carol-pass-1").status, 302);
}

TEST_F(AuthApiTest, AddressThrottledAfterHundredFailures) {
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(LoginWith("user" + std::to_string(i), "wrong").status, 401) << i;
  }
  EXPECT_EQ(LoginWith("admin", "admin-pass-1").status, 429);
}

// Contract §6: behind a trusted gateway one client's failures throttle that
// client only (the per-address counter once saw only the gateway).
TEST_F(AuthApiTest, BehindTheGatewayTheAddressThrottleIsPerClient) {
  const HeaderList attacker = {{"X-Forwarded-For", "198.51.100.1"}};
  const HeaderList someone_else = {{"X-Forwarded-For", "198.51.100.2"}};
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(LoginWith("user" + std::to_string(i), "wrong", {}, attacker).status, 401) << i;
  }
  EXPECT_EQ(LoginWith("admin", "admin-pass-1", {}, attacker).status, 429);
  EXPECT_EQ(LoginWith("admin", "admin-pass-1", {}, someone_else).status, 302);
  EXPECT_EQ(LoginWith("carol", "carol-pass-1").status, 302);  // the gateway's own address
}

TEST_F(AuthApiTest, LoginFormPostMustBeForm) {
  auto r = browser_->PostJson("/authorize", "{}");
  EXPECT_EQ(r.status, 400);
}

}  // namespace
}  // namespace bookstore::auth
