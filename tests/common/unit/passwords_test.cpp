#include "common/passwords.h"

#include <gtest/gtest.h>

namespace bookstore {
namespace {

TEST(Utf8Length, CountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0);
  EXPECT_EQ(Utf8Length("password"), 8);
  EXPECT_EQ(Utf8Length("h\xC3\xA9llo"), 5);                      // é: 2 bytes
  EXPECT_EQ(Utf8Length("\xE2\x82\xAC"), 1);                      // €: 3 bytes
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80\xF0\x9F\x98\x80"), 2);  // two emoji
  EXPECT_EQ(Utf8Length("\xF4\x8F\xBF\xBF"), 1);                  // U+10FFFF
  EXPECT_EQ(Utf8Length(std::string_view("a\0b", 3)), 3);
}

TEST(Utf8Length, RejectsInvalidUtf8) {
  EXPECT_EQ(Utf8Length("\x80"), -1);              // lone continuation
  EXPECT_EQ(Utf8Length("\xC3"), -1);              // truncated
  EXPECT_EQ(Utf8Length("\xE2\x82"), -1);          // truncated
  EXPECT_EQ(Utf8Length("\xC3\x28"), -1);          // bad continuation
  EXPECT_EQ(Utf8Length("\xC0\xAF"), -1);          // overlong '/'
  EXPECT_EQ(Utf8Length("\xE0\x80\xAF"), -1);      // overlong, 3 bytes
  EXPECT_EQ(Utf8Length("\xF0\x80\x80\xAF"), -1);  // overlong, 4 bytes
  EXPECT_EQ(Utf8Length("\xED\xA0\x80"), -1);      // surrogate U+D800
  EXPECT_EQ(Utf8Length("\xF4\x90\x80\x80"), -1);  // above U+10FFFF
  EXPECT_EQ(Utf8Length("\xFF"), -1);
}

TEST(PasswordHasher, RoundTrip) {
  const PasswordHasher hasher(PasswordCost::Minimal());
  const std::string hash = hasher.Hash("correct horse");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_NE(hash.find("m=8,t=1"), std::string::npos) << hash;  // the configured cost
  EXPECT_TRUE(hasher.Verify(hash, "correct horse"));
  EXPECT_FALSE(hasher.Verify(hash, "correct horsE"));
  EXPECT_FALSE(hasher.Verify(hash, ""));
  EXPECT_NE(hasher.Hash("correct horse"), hash);  // salted
}

TEST(PasswordHasher, MalformedHashIsFalse) {
  const PasswordHasher hasher(PasswordCost::Minimal());
  EXPECT_FALSE(hasher.Verify("", "x"));
  EXPECT_FALSE(hasher.Verify("not a hash", "x"));
  EXPECT_FALSE(hasher.Verify("$argon2id$v=19$m=8,t=1,p=1$AAAA$BBBB", "x"));
  EXPECT_FALSE(hasher.Verify(std::string(500, '$'), "x"));
  const std::string hash = hasher.Hash("x");
  EXPECT_FALSE(hasher.Verify(hash.substr(0, hash.size() - 3), "x"));
}

TEST(PasswordHasher, VerifyDummyRunsWithoutThrowing) {
  const PasswordHasher hasher(PasswordCost::Minimal());
  hasher.VerifyDummy("anything");
  hasher.VerifyDummy("");
  SUCCEED();
}

TEST(Sha256Hex, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", ""));
  EXPECT_FALSE(ConstantTimeEquals(std::string_view("a\0", 2), "a"));
}

}  // namespace
}  // namespace bookstore
