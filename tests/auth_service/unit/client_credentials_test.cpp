#include "auth_service/oauth/client_credentials.h"

#include <gtest/gtest.h>

#include "common/jwt.h"

namespace bookstore::auth {
namespace {

std::string Basic(std::string_view raw) {
  // Standard base64 with padding, as HTTP clients send it.
  std::string b = jwt::Base64UrlEncode(raw);
  for (char& c : b) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (b.size() % 4 != 0) b += '=';
  return "Basic " + b;
}

TEST(BasicAuth, DecodesPlainCredentials) {
  auto c = ParseBasicAuthorization(Basic("svc:s3cret"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->client_id, "svc");
  EXPECT_EQ(c->client_secret, "s3cret");
}

TEST(BasicAuth, FormUrlDecodesBothHalves) {
  auto c = ParseBasicAuthorization(Basic("bookstore%2Dweb:a%3Ab+c%25"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->client_id, "bookstore-web");
  EXPECT_EQ(c->client_secret, "a:b c%");
}

TEST(BasicAuth, SecretMayContainColons) {
  auto c = ParseBasicAuthorization(Basic("id:a:b"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->client_secret, "a:b");
}

TEST(BasicAuth, SchemeIsCaseInsensitive) {
  auto header = Basic("svc:x");
  header.replace(0, 5, "bAsIc");
  EXPECT_TRUE(ParseBasicAuthorization(header));
  EXPECT_TRUE(IsBasicAuthorization(header));
  EXPECT_FALSE(IsBasicAuthorization("Bearer abc"));
  EXPECT_FALSE(IsBasicAuthorization("Basicx"));
}

TEST(BasicAuth, RejectsMalformed) {
  EXPECT_FALSE(ParseBasicAuthorization("Basic !!!!"));
  EXPECT_FALSE(ParseBasicAuthorization(Basic("no-colon")));
  EXPECT_FALSE(ParseBasicAuthorization(Basic(":secret")));
  EXPECT_FALSE(ParseBasicAuthorization(Basic("bad%zz:secret")));
  EXPECT_FALSE(ParseBasicAuthorization("Bearer abc"));
}

TEST(BasicAuth, Base64Standard) {
  EXPECT_EQ(Base64Decode("+/8="), std::string("\xfb\xff"));
  EXPECT_EQ(Base64Decode("YQ=="), "a");
  EXPECT_FALSE(Base64Decode("YW-_"));
}

}  // namespace
}  // namespace bookstore::auth
