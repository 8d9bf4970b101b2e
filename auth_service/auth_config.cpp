#include "auth_service/auth_config.h"

#include <CLI/CLI.hpp>
#include <algorithm>

namespace bookstore::auth {

void AddAuthOptions(CLI::App& app, AuthConfig& config) {
  AddCommonOptions(app, config.common);
  AddIntOption(app, "--port", "AUTH_PORT", config.port, 0, 65535,
               "TCP port of the auth service (0: any free port, logged at start)");
  AddIntOption(app, "--access-token-ttl", "ACCESS_TOKEN_TTL", config.access_token_ttl, 1, 86400,
               "Access token lifetime in seconds");
  AddIntOption(app, "--refresh-token-ttl", "REFRESH_TOKEN_TTL", config.refresh_token_ttl, 1,
               366 * 86400, "Refresh token lifetime in seconds");
  AddIntOption(app, "--auth-code-ttl", "AUTH_CODE_TTL", config.auth_code_ttl, 1, 60,
               "Authorization code lifetime in seconds (at most 60)");
  AddIntOption(app, "--session-ttl", "AUTH_SESSION_TTL", config.session_ttl, 60, 30 * 86400,
               "Login session lifetime in seconds");
  AddStringOption(app, "--signing-key-file", "AUTH_SIGNING_KEY_FILE", config.signing_key_file,
                  "PEM file of the signing key (created 0600 when missing; default "
                  "<data-dir>/auth-signing-key.pem)")
      ->type_name("FILE");
  AddStringOption(
      app, "--signing-alg", "AUTH_SIGNING_ALG", config.signing_alg,
      "Signature algorithm of the tokens: RS256 (default) or ES256",
      [](const std::string& v) -> std::string { return jwt::ParseAlg(v) ? "" : "RS256 or ES256"; })
      ->type_name("ALG");
  AddStringOption(app, "--signup-url", "AUTH_SIGNUP_URL", config.signup_url,
                  "Absolute http(s) URL the login page links to as \"Create an account\" "
                  "(default: no link)")
      ->type_name("URL");
}

void FinalizeAuthConfig(AuthConfig& config) {
  Finalize(config.common);
  // The same ranges as the options, for configurations built in code.
  const auto check = [](int value, int min, int max, const char* env) {
    if (value < min || value > max) {
      throw ConfigError("invalid " + std::string(env) + " '" + std::to_string(value) +
                        "': expected an integer in [" + std::to_string(min) + ", " +
                        std::to_string(max) + "]");
    }
  };
  check(config.port, 0, 65535, "AUTH_PORT");
  check(config.access_token_ttl, 1, 86400, "ACCESS_TOKEN_TTL");
  check(config.refresh_token_ttl, 1, 366 * 86400, "REFRESH_TOKEN_TTL");
  check(config.auth_code_ttl, 1, 60, "AUTH_CODE_TTL");
  check(config.session_ttl, 60, 30 * 86400, "AUTH_SESSION_TTL");
  if (config.common.issuer.find_first_of("?#") != std::string::npos) {
    throw ConfigError("invalid AUTH_ISSUER '" + config.common.issuer +
                      "': expected a URL without query or fragment");
  }
  if (!jwt::ParseAlg(config.signing_alg)) {
    throw ConfigError("invalid AUTH_SIGNING_ALG '" + config.signing_alg +
                      "': expected RS256 or ES256");
  }
  if (!config.signup_url.empty()) {
    const std::string& url = config.signup_url;
    const bool scheme = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
    const bool clean = std::none_of(url.begin(), url.end(), [](char c) {
      return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '"' || c == '<' ||
             c == '>' || c == '\\';
    });
    if (!scheme || !clean || url.size() > 2048) {
      throw ConfigError("invalid AUTH_SIGNUP_URL '" + url +
                        "': expected an absolute http:// or https:// URL");
    }
  }
  if (config.signing_key_file.empty()) {
    config.signing_key_file = config.common.data_dir + "/auth-signing-key.pem";
    config.signing_key_in_data_dir = true;
  }
}

jwt::Alg SigningAlg(const AuthConfig& config) {
  return jwt::ParseAlg(config.signing_alg).value_or(jwt::Alg::kRs256);
}

std::vector<std::string> LifetimeWarnings(const AuthConfig& config) {
  std::vector<std::string> out;
  for (const auto& [env, seconds] : {std::pair{"ACCESS_TOKEN_TTL", config.access_token_ttl},
                                     std::pair{"REFRESH_TOKEN_TTL", config.refresh_token_ttl},
                                     std::pair{"AUTH_CODE_TTL", config.auth_code_ttl}}) {
    if (seconds < 60) {
      out.push_back(std::string(env) + "=" + std::to_string(seconds) +
                    " s is below 60 s: fine for tests and demos, too short for real clients "
                    "(clock skew, slow networks)");
    }
  }
  return out;
}

}  // namespace bookstore::auth
