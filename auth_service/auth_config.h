#pragma once
// Configuration of the auth service: the common options plus its own
// (AUTH_PORT, ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL, AUTH_CODE_TTL,
// AUTH_SESSION_TTL, AUTH_SIGNING_KEY_FILE, AUTH_SIGNING_ALG, AUTH_SIGNUP_URL). Same precedence
// rules as common/config.h.

#include <cstdint>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/jwt.h"

namespace bookstore::auth {

struct AuthConfig {
  CommonConfig common;
  int port = 5000;                  // 0: an ephemeral port
  int access_token_ttl = 900;       // seconds, 1..86400 (below 60: a warning)
  int refresh_token_ttl = 2592000;  // seconds, 1..31622400 (below 60: a warning)
  int auth_code_ttl = 60;           // seconds, 1..60
  int session_ttl = 8 * 3600;       // seconds, 60..2592000
  // Default: <data_dir>/auth-signing-key.pem (filled by FinalizeAuthConfig,
  // which then sets signing_key_in_data_dir: only that folder is created
  // when missing; a key file given explicitly needs an existing folder).
  std::string signing_key_file;
  bool signing_key_in_data_dir = false;
  // AUTH_SIGNING_ALG: "RS256" (default, what OpenID Connect clients expect
  // first) or "ES256" (P-256: ~14x cheaper to sign). The algorithm of a new
  // key file and of `keys rotate`; an existing key file must hold a key of
  // this algorithm (docs/auth.md, "Signing keys").
  std::string signing_alg = "RS256";
  // AUTH_SIGNUP_URL: an absolute http(s) URL the login page links to as
  // "Create an account" (e.g. the portal's registration page); "" for none.
  std::string signup_url;
};

// Adds the common and the auth options (flags and environment names; values
// out of range make app.parse() throw ConfigError naming the variable).
// Call on the root app before adding subcommands.
void AddAuthOptions(CLI::App& app, AuthConfig& config);

// Finalizes the common part, fills derived defaults and validates; throws
// ConfigError naming the first bad value.
void FinalizeAuthConfig(AuthConfig& config);

// The algorithm of AUTH_SIGNING_ALG (requires a finalized config).
jwt::Alg SigningAlg(const AuthConfig& config);

// One line per token lifetime below 60 s (allowed for tests and demos,
// contract §6); `serve` logs them as warnings at start.
std::vector<std::string> LifetimeWarnings(const AuthConfig& config);

}  // namespace bookstore::auth
