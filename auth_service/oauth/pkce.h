#pragma once
// PKCE (RFC 7636) with the S256 method only. Pure functions; thread-safe.

#include <string>
#include <string_view>

namespace bookstore::auth {

// A code_challenge for S256: exactly 43 characters of base64url.
bool IsValidCodeChallenge(std::string_view challenge);

// A code_verifier: 43..128 characters of [A-Za-z0-9-._~].
bool IsValidCodeVerifier(std::string_view verifier);

// BASE64URL(SHA256(verifier)).
std::string S256Challenge(std::string_view verifier);

// True when `verifier` is well formed and S256Challenge(verifier) equals
// `challenge` (compared in constant time).
bool VerifyS256(std::string_view verifier, std::string_view challenge);

}  // namespace bookstore::auth
