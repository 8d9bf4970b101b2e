#include "auth_service/oauth/login_page.h"

#include <gtest/gtest.h>

#include <regex>

namespace bookstore::auth {
namespace {

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

LoginPageModel Model() {
  LoginPageModel m;
  m.client_name = "Bookstore <Web>";
  m.action = "/authorize";
  m.csrf_token = "tok\"en";
  m.hidden = {
      {"client_id", "bookstore-web"}, {"state", "<script>alert(1)</script>"}, {"scope", ""}};
  m.style_nonce = "n0nce";
  return m;
}

TEST(HtmlEscape, EscapesSpecialCharacters) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("plain"), "plain");
}

TEST(LoginPage, ExactlyOnePostForm) {
  const std::string html = RenderLoginPage(Model());
  EXPECT_EQ(Count(html, "<form"), 1);
  EXPECT_EQ(Count(html, "<form method=\"post\""), 1);
  EXPECT_NE(html.find("action=\"/authorize\""), std::string::npos);
}

TEST(LoginPage, LabelledUsernameAndPasswordInputs) {
  const std::string html = RenderLoginPage(Model());
  EXPECT_TRUE(std::regex_search(
      html, std::regex("<input type=\"text\" id=\"username\" name=\"username\"")));
  EXPECT_TRUE(std::regex_search(
      html, std::regex("<input type=\"password\" id=\"password\" name=\"password\"")));
  EXPECT_NE(html.find("<label for=\"username\">"), std::string::npos);
  EXPECT_NE(html.find("<label for=\"password\">"), std::string::npos);
}

TEST(LoginPage, HiddenInputsEscapedAndEmptySkipped) {
  const std::string html = RenderLoginPage(Model());
  EXPECT_NE(html.find("name=\"csrf_token\" value=\"tok&quot;en\""), std::string::npos);
  EXPECT_NE(html.find("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("name=\"scope\""), std::string::npos);
  EXPECT_NE(html.find("Bookstore &lt;Web&gt;"), std::string::npos);
}

TEST(LoginPage, StyleCarriesNonceAndNoExternalAssets) {
  const std::string html = RenderLoginPage(Model());
  EXPECT_NE(html.find("<style nonce=\"n0nce\">"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

TEST(LoginPage, ErrorMessageShownAndUsernameKept) {
  auto m = Model();
  m.error = "Invalid username or password.";
  m.username = "al\"ice";
  const std::string html = RenderLoginPage(m);
  EXPECT_NE(html.find("Invalid username or password."), std::string::npos);
  EXPECT_NE(html.find("value=\"al&quot;ice\""), std::string::npos);
}

TEST(LoginPage, SignupLinkOnlyWhenConfigured) {
  EXPECT_EQ(RenderLoginPage(Model()).find("Create an account"), std::string::npos);
  auto m = Model();
  m.signup_url = "https://shop.example/register?from=\"login\"";
  const std::string page = RenderLoginPage(m);
  EXPECT_NE(page.find("<a href=\"https://shop.example/register?from=&quot;login&quot;\">"
                      "Create an account</a>"),
            std::string::npos)
      << page;
  EXPECT_EQ(Count(page, "<form"), 1);
}

TEST(ErrorPage, EscapesMessage) {
  const std::string html = RenderErrorPage("Bad <request>", "x < y", "n");
  EXPECT_NE(html.find("Bad &lt;request&gt;"), std::string::npos);
  EXPECT_NE(html.find("x &lt; y"), std::string::npos);
  EXPECT_EQ(html.find("<form"), std::string::npos);
}

}  // namespace
}  // namespace bookstore::auth
