#pragma once
// Rows of the auth tables as plain values. Times are Unix epoch seconds;
// 0 stands for SQL NULL in optional timestamps.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bookstore::auth {

struct ClientRecord {
  std::string client_id;
  std::string name;
  std::string secret_hash;  // SHA-256 hex; "" for public clients
  bool confidential = false;
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  std::optional<std::vector<std::string>> allowed_scopes;  // nullopt: every scope
  int64_t created_at = 0;
};

struct UserRecord {
  int64_t id = 0;
  std::string username;
  std::string password_hash;
  std::string role;
};

struct CodeRecord {
  std::string code_hash;
  std::string client_id;
  int64_t user_id = 0;
  std::string redirect_uri;
  bool redirect_given = false;
  std::string scope;
  std::string code_challenge;  // "" when none
  int64_t expires_at = 0;
  int64_t used_at = 0;
  int64_t created_at = 0;
  std::string nonce;      // "" when none was sent
  int64_t auth_time = 0;  // when the user entered the password
  std::string sid;        // the login session's public id
};

struct RefreshRecord {
  std::string token_hash;
  std::string family_id;
  std::string client_id;
  int64_t user_id = 0;
  std::string scope;
  int64_t expires_at = 0;
  int64_t used_at = 0;
  int64_t revoked_at = 0;
  int64_t created_at = 0;
  int64_t family_revoked_at = 0;  // read only (joined)
  int64_t family_auth_time = 0;   // read only (joined); 0 for older families
  std::string family_sid;         // read only (joined)
};

struct AccessRecord {
  std::string jti;
  std::string family_id;  // "" when none
  std::string client_id;
  int64_t user_id = 0;
  int64_t expires_at = 0;
  int64_t revoked_at = 0;
  int64_t created_at = 0;
  int64_t family_revoked_at = 0;  // read only (joined)
};

struct PublishedKey {
  std::string kid;
  std::string public_jwk;
  int64_t retire_after = 0;  // 0: current
};

// Failed logins inside a window: how many and the oldest time.
struct FailureWindow {
  int64_t count = 0;
  int64_t oldest = 0;
};

}  // namespace bookstore::auth
