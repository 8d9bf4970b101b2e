#include "common/http/message.h"

#include <gtest/gtest.h>

namespace bookstore::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(HeadersTest, LookupIsCaseInsensitive) {
  Headers headers;
  headers.Add("Content-Type", "application/json");
  ASSERT_NE(headers.Get("content-type"), nullptr);
  EXPECT_EQ(*headers.Get("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(headers.Get("Accept"), nullptr);
  EXPECT_EQ(headers.GetOr("Accept", "*/*"), "*/*");
}

TEST(HeadersTest, SetReplacesAddAppendsRemoveDeletesAll) {
  Headers headers;
  headers.Add("Set-Cookie", "a=1");
  headers.Add("set-cookie", "b=2");
  EXPECT_EQ(headers.fields().size(), 2u);
  EXPECT_EQ(*headers.Get("Set-Cookie"), "a=1");
  headers.Set("SET-COOKIE", "c=3");
  ASSERT_EQ(headers.fields().size(), 1u);
  EXPECT_EQ(*headers.Get("set-cookie"), "c=3");
  headers.Remove("Set-Cookie");
  EXPECT_TRUE(headers.fields().empty());
}

TEST(PrincipalTest, HasScope) {
  Principal principal;
  principal.scopes = {"books:read", "orders:write"};
  EXPECT_TRUE(principal.HasScope("books:read"));
  EXPECT_FALSE(principal.HasScope("books:write"));
  EXPECT_FALSE(principal.HasScope("books"));
  principal.role = "admin";
  EXPECT_TRUE(principal.IsAdmin());
}

TEST(RequestTest, ParamAndQuery) {
  Request request;
  request.params = {{"id", "7"}};
  request.query = "q=harry+potter&page=2&q=second&bad=%zz&name=J%C3%B6rg&flag";
  EXPECT_EQ(request.Param("id"), "7");
  EXPECT_EQ(request.Param("missing"), "");
  EXPECT_EQ(request.Query("q"), "harry potter");
  EXPECT_EQ(request.Query("page"), "2");
  EXPECT_EQ(request.Query("name"), "J\xC3\xB6rg");
  EXPECT_EQ(request.Query("flag"), "");
  EXPECT_EQ(request.Query("bad"), std::nullopt);  // malformed pair is skipped
  EXPECT_EQ(request.Query("absent"), std::nullopt);
  auto all = request.QueryParams();
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[2], (std::pair<std::string, std::string>("q", "second")));
}

TEST(FormTest, ParsesUrlEncodedPairs) {
  auto form =
      ParseForm("grant_type=authorization_code&redirect_uri=http%3A%2F%2Fx%2Fcb&a+b=c+d&&e=");
  ASSERT_TRUE(form.has_value());
  EXPECT_EQ(*form, (Pairs{{"grant_type", "authorization_code"},
                          {"redirect_uri", "http://x/cb"},
                          {"a b", "c d"},
                          {"e", ""}}));
  EXPECT_EQ(ParseForm("")->size(), 0u);
}

TEST(FormTest, RejectsMalformedEscapes) {
  EXPECT_FALSE(ParseForm("a=%").has_value());
  EXPECT_FALSE(ParseForm("a=%4").has_value());
  EXPECT_FALSE(ParseForm("a=%G0").has_value());
  EXPECT_FALSE(ParseForm("%zz=1").has_value());
}

TEST(FormTest, AtMostAThousandParameters) {
  std::string form;
  for (size_t i = 0; i < kMaxFormParams; ++i) form += "p" + std::to_string(i) + "=&";
  ASSERT_TRUE(ParseForm(form).has_value());
  EXPECT_EQ(ParseForm(form)->size(), 1000u);
  EXPECT_FALSE(ParseForm(form + "x=1").has_value());
  EXPECT_TRUE(ParseForm(form + "&&&").has_value());  // empty pieces are not parameters
}

TEST(QueryProblemTest, RefusesBadEscapesControlCharactersAndTooManyParameters) {
  EXPECT_EQ(QueryProblem(""), "");
  EXPECT_EQ(QueryProblem("q=%C3%B6konomie&page=2&flag"), "");
  EXPECT_NE(QueryProblem("min_price=%zz"), "");
  EXPECT_NE(QueryProblem("q=abc%"), "");
  EXPECT_NE(QueryProblem("q=abc%00"), "");
  EXPECT_NE(QueryProblem("q=%1F"), "");
  EXPECT_NE(QueryProblem("q=%7f"), "");
  EXPECT_NE(QueryProblem("%0A=1"), "");
  EXPECT_NE(QueryProblem("q=%09").find("control character"), std::string_view::npos);
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "a&";
  EXPECT_EQ(QueryProblem(many), "");
  EXPECT_NE(QueryProblem(many + "b"), "");
}

TEST(ControlCharsTest, C0AndDelOnly) {
  EXPECT_FALSE(HasControlChars("plain text, ÄÖÜ € 😀"));
  EXPECT_TRUE(HasControlChars(std::string("a\0b", 3)));
  EXPECT_TRUE(HasControlChars("tab\there"));
  EXPECT_TRUE(HasControlChars("\x1f"));
  EXPECT_TRUE(HasControlChars("\x7f"));
  EXPECT_FALSE(HasControlChars("\x80\xff"));  // bytes of UTF-8 sequences
}

TEST(PercentTest, DecodeAndEncode) {
  EXPECT_EQ(PercentDecode("a%2Db+c", false), "a-b+c");
  EXPECT_EQ(PercentDecode("a%2db+c", true), "a-b c");
  EXPECT_EQ(PercentDecode("100%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4g", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%41%42++%43", true), "AB  C");
  EXPECT_EQ(PercentDecode("", true), "");
  EXPECT_EQ(PercentDecode("plain.run-of_text", true), "plain.run-of_text");
  EXPECT_EQ(PercentEncode("a b/c~d-e.f_g"), "a%20b%2Fc~d-e.f_g");
  EXPECT_EQ(PercentEncode("\xC3\xB6"), "%C3%B6");
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(PercentDecode(PercentEncode(all), true), all);
}

TEST(MediaTypeTest, LowerCasesAndDropsParameters) {
  EXPECT_EQ(MediaType("Application/JSON; charset=UTF-8"), "application/json");
  EXPECT_EQ(MediaType("  text/html  "), "text/html");
  EXPECT_EQ(MediaType(""), "");
}

TEST(ResponseTest, Factories) {
  Response json = Response::Json(201, "{}");
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.headers.GetOr("Content-Type", ""), "application/json");
  EXPECT_EQ(json.body, "{}");
  EXPECT_EQ(Response::Html(200, "<p>").headers.GetOr("Content-Type", ""),
            "text/html; charset=utf-8");
  EXPECT_EQ(Response::Text(200, "x").headers.GetOr("Content-Type", ""),
            "text/plain; charset=utf-8");
  Response redirect = Response::Redirect("/next?a=1");
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(redirect.headers.GetOr("Location", ""), "/next?a=1");
  EXPECT_EQ(Response::Redirect("/x", 303).status, 303);
  Response none = Response::NoContent();
  EXPECT_EQ(none.status, 204);
  EXPECT_TRUE(none.body.empty());
  EXPECT_TRUE(none.keep_alive);
}

}  // namespace
}  // namespace bookstore::http
