#include "auth_service/oauth/pkce.h"

#include <gtest/gtest.h>

namespace bookstore::auth {
namespace {

// RFC 7636 Appendix B.
constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

TEST(Pkce, RfcAppendixBVector) {
  EXPECT_EQ(S256Challenge(kVerifier), kChallenge);
  EXPECT_TRUE(VerifyS256(kVerifier, kChallenge));
}

TEST(Pkce, MismatchFails) {
  std::string other = kVerifier;
  other[0] = 'e';
  EXPECT_FALSE(VerifyS256(other, kChallenge));
  EXPECT_FALSE(VerifyS256(kVerifier, std::string(kChallenge).substr(1) + "A"));
}

TEST(Pkce, PlainComparisonIsNotAccepted) {
  // The verifier itself as a "challenge" (plain method) must not verify.
  EXPECT_FALSE(VerifyS256(kVerifier, kVerifier));
}

TEST(Pkce, VerifierShape) {
  EXPECT_FALSE(IsValidCodeVerifier(std::string(42, 'a')));
  EXPECT_TRUE(IsValidCodeVerifier(std::string(43, 'a')));
  EXPECT_TRUE(IsValidCodeVerifier(std::string(128, '~')));
  EXPECT_FALSE(IsValidCodeVerifier(std::string(129, 'a')));
  EXPECT_FALSE(IsValidCodeVerifier(std::string(50, 'a') + "+"));
  EXPECT_FALSE(VerifyS256("short", S256Challenge("short")));
}

TEST(Pkce, ChallengeShape) {
  EXPECT_TRUE(IsValidCodeChallenge(kChallenge));
  EXPECT_FALSE(IsValidCodeChallenge(std::string(kChallenge) + "A"));
  EXPECT_FALSE(IsValidCodeChallenge(std::string(42, 'a') + "="));
  EXPECT_FALSE(IsValidCodeChallenge(""));
}

}  // namespace
}  // namespace bookstore::auth
