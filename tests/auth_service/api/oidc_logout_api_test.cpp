// RP-initiated logout at the auth service over a socket (contract §5,
// OpenID Connect RP-Initiated Logout 1.0): GET and POST /logout with and
// without an id_token_hint, the confirmation page, post_logout_redirect_uri.
#include "tests/auth_service/api/auth_api_fixture.h"

namespace bookstore::auth {
namespace {

class OidcLogoutApiTest : public AuthApiTest {
 protected:
  // Signs carol in with openid; returns her ID token. The browser keeps the session.
  std::string SignIn() {
    auto tokens = TokensFor("carol", "carol-pass-1", {{"scope", "openid"}});
    return Str(tokens, "id_token");
  }
  bool SignedIn() { return browser_->Get(AuthorizeTarget()).status == 302; }
  static std::string Logout(const HeaderList& params) {
    return "/logout?" + test::FormEncode(params);
  }
};

TEST_F(OidcLogoutApiTest, GetWithAHintOfTheSessionEndsItAndRedirects) {
  const std::string hint = SignIn();
  ASSERT_TRUE(SignedIn());
  auto r = browser_->Get(Logout({{"id_token_hint", hint},
                                 {"post_logout_redirect_uri", "http://localhost:3000/"},
                                 {"state", "bye-1"}}));
  ASSERT_EQ(r.status, 302) << r.body;
  EXPECT_EQ(r.Header("Location"), "http://localhost:3000/?state=bye-1");
  EXPECT_FALSE(SignedIn());
}

TEST_F(OidcLogoutApiTest, AnExpiredHintStillWorks) {
  const std::string hint = SignIn();
  clock_.Advance(3600);  // the ID token expired; the session (8 h) did not
  ASSERT_TRUE(SignedIn());
  EXPECT_EQ(browser_->Get(Logout({{"id_token_hint", hint}})).status, 200);
  EXPECT_FALSE(SignedIn());
}

TEST_F(OidcLogoutApiTest, WithoutAHintACrossSiteRequestGetsAConfirmationPage) {
  SignIn();
  auto page = browser_->Get(Logout({{"client_id", "bookstore-web"},
                                    {"post_logout_redirect_uri", "http://localhost:3000/"},
                                    {"state", "s"}}));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<form method=\"post\" action=\"/logout\">"), std::string::npos);
  EXPECT_TRUE(SignedIn());  // a GET alone did not sign her out
  auto cross =
      browser_->PostForm("/logout", test::FormEncode({{"client_id", "bookstore-web"}}),
                         {{"Origin", "http://evil.test"}, {"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(cross.status, 200);
  EXPECT_NE(cross.body.find("<form method=\"post\""), std::string::npos);
  EXPECT_TRUE(SignedIn());
  // Posting the confirmation form (same origin) signs her out.
  auto confirmed = browser_->PostForm("/logout", test::FormEncode(HiddenInputs(page.body)),
                                      {{"Origin", kIssuer}, {"Sec-Fetch-Site", "same-origin"}});
  ASSERT_EQ(confirmed.status, 302) << confirmed.body;
  EXPECT_EQ(confirmed.Header("Location"), "http://localhost:3000/?state=s");
  EXPECT_FALSE(SignedIn());
}

TEST_F(OidcLogoutApiTest, AHintOfAnotherSessionAsksFirst) {
  const std::string old_hint = SignIn();
  SignIn();  // a new session in the same browser
  auto r = browser_->Get(Logout({{"id_token_hint", old_hint}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<form method=\"post\""), std::string::npos);
  EXPECT_TRUE(SignedIn());
}

TEST_F(OidcLogoutApiTest, TheHintsAudienceIdentifiesTheClient) {
  const std::string hint = SignIn();
  // bookstore-web's URI with the hint alone: allowed.
  auto ok = browser_->Get(
      Logout({{"id_token_hint", hint}, {"post_logout_redirect_uri", "http://127.0.0.1:3000/"}}));
  EXPECT_EQ(ok.status, 302);
  // Another client's URI, a client_id that is not the hint's, an unregistered URI: 400.
  SignIn();
  for (const HeaderList& bad :
       {HeaderList{{"id_token_hint", hint}, {"post_logout_redirect_uri", "http://svc.test/bye"}},
        HeaderList{{"id_token_hint", hint}, {"client_id", "svc-client"}},
        HeaderList{{"client_id", "bookstore-web"},
                   {"post_logout_redirect_uri", "http://evil.test/"}},
        HeaderList{{"post_logout_redirect_uri", "http://localhost:3000/"}}}) {
    auto r = browser_->Get(Logout(bad));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.Header("Location"), "");
  }
  EXPECT_TRUE(SignedIn());
}

TEST_F(OidcLogoutApiTest, AnAccessTokenIsRefusedAsAHint) {
  auto tokens = TokensFor("carol", "carol-pass-1", {{"scope", "openid"}});
  for (const std::string& not_an_id_token : {Str(tokens, "access_token"), std::string("x.y.z")}) {
    auto r = browser_->Get(Logout({{"id_token_hint", not_an_id_token}}));
    EXPECT_EQ(r.status, 400) << r.body;
  }
  EXPECT_TRUE(SignedIn());
}

TEST_F(OidcLogoutApiTest, PostWithAHintFromTheClientsSiteEndsTheSession) {
  const std::string hint = SignIn();
  auto r =
      browser_->PostForm("/logout",
                         test::FormEncode({{"id_token_hint", hint},
                                           {"post_logout_redirect_uri", "http://localhost:3000/"}}),
                         {{"Origin", "http://localhost:3000"}, {"Sec-Fetch-Site", "cross-site"}});
  ASSERT_EQ(r.status, 302) << r.body;
  EXPECT_EQ(r.Header("Location"), "http://localhost:3000/");
  EXPECT_FALSE(SignedIn());
}

}  // namespace
}  // namespace bookstore::auth
