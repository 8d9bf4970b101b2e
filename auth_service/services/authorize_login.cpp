// The login half of AuthorizeService: stateless CSRF tokens of the form, credential
// checks with throttling, and login sessions.
#include <sodium.h>

#include <cctype>
#include <optional>

#include "auth_service/repositories/login_failure_repository.h"
#include "auth_service/repositories/session_repository.h"
#include "auth_service/repositories/user_repository.h"
#include "auth_service/services/authorize_service.h"
#include "auth_service/services/db_guard.h"
#include "common/counters.h"
#include "common/db/database.h"
#include "common/db/writer.h"
#include "common/logging.h"

namespace bookstore::auth {
namespace {

constexpr const char* kLoginsHelp = "Sign-ins on the login form by result.";
Counter& kLoginsSucceeded =
    GetCounter("bookstore_logins_total", kLoginsHelp, "result=\"succeeded\"");
Counter& kLoginsFailed = GetCounter("bookstore_logins_total", kLoginsHelp, "result=\"failed\"");
Counter& kLoginsThrottled =
    GetCounter("bookstore_logins_total", kLoginsHelp, "result=\"throttled\"");

}  // namespace
namespace {

constexpr const char* kBadCredentials = "Invalid username or password.";
constexpr size_t kMaxUsername = 128;
constexpr size_t kMaxPassword = 1024;

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

logging::Field Num(std::string key, int64_t v) { return {std::move(key), std::to_string(v), true}; }

}  // namespace

namespace {

// The expiry of a well-formed CSRF token, nullopt otherwise.
std::optional<int64_t> CsrfExpiry(std::string_view token) {
  const size_t dot = token.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot > 12 || token.size() - dot - 1 != 43) {
    return std::nullopt;
  }
  int64_t expires = 0;
  for (char c : token.substr(0, dot)) {
    if (c < '0' || c > '9') return std::nullopt;
    expires = expires * 10 + (c - '0');
  }
  for (char c : token.substr(dot + 1)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return std::nullopt;
  }
  return expires;
}

}  // namespace

std::string AuthorizeService::CsrfTokenFor(const std::string& cookie) {
  const int64_t now = clock_.Now();
  if (auto expires = CsrfExpiry(cookie); expires && *expires > now) return cookie;
  return std::to_string(now + settings_.csrf_ttl) + "." + random_.Token(32);
}

Status AuthorizeService::CheckCsrfToken(const std::string& token, const std::string& cookie) {
  const auto expires = CsrfExpiry(token);
  if (!expires) {
    return Error::Forbidden("The form is missing its security token. Please start again.");
  }
  if (*expires <= clock_.Now() || token.size() != cookie.size() ||
      sodium_memcmp(token.data(), cookie.data(), token.size()) != 0) {
    return Error::Forbidden("The form has expired or is not valid. Please start again.");
  }
  return {};
}

Result<UserRecord> AuthorizeService::Login(const std::string& username, const std::string& password,
                                           const std::string& client_addr) {
  const int64_t now = clock_.Now();
  const std::string name_key = AsciiLower(username.substr(0, kMaxUsername));
  const int64_t since = now - settings_.throttle_window + 1;
  // The attempt is recorded as a failure before the password is checked and
  // forgotten when it succeeds, so concurrent guesses cannot overrun the
  // limits (each is counted before any is verified).
  auto reserved = GuardDb("login throttle", [&]() -> Result<std::optional<int64_t>> {
    std::optional<int64_t> id;
    writer_->Run([&](soci::session& s) {
      id = failure_repo::ReserveAttempt(s, db_->dialect(), name_key, client_addr, now, since,
                                        settings_.max_failures_per_username,
                                        settings_.max_failures_per_address);
      return true;
    });
    return id;
  });
  if (!reserved.ok()) return std::move(reserved).error();
  if (!*reserved) {
    kLoginsThrottled.Add();
    logging::Event("login_throttled",
                   {{"username", name_key, false}, {"client", client_addr, false}});
    return Error::TooManyRequests("Too many failed sign-in attempts. Please try again later.");
  }
  std::optional<UserRecord> user;
  if (!username.empty() && username.size() <= kMaxUsername) {
    auto found = GuardDb("login lookup", [&]() -> Result<std::optional<UserRecord>> {
      return user_repo::FindByUsername(db_->Session(), username);
    });
    if (!found.ok()) return std::move(found).error();
    user = std::move(*found);
  }
  bool ok = false;
  if (user && !password.empty() && password.size() <= kMaxPassword) {
    ok = hasher_.Verify(user->password_hash, password);
  } else {
    hasher_.VerifyDummy(password.substr(0, kMaxPassword));
  }
  if (!ok) {
    kLoginsFailed.Add();
    logging::Event("login_failed", {{"username", name_key, false}, {"client", client_addr, false}});
    return Error::Unauthenticated(kBadCredentials);
  }
  auto forgotten = GuardDb("login success", [&]() -> Status {
    writer_->Run([&](soci::session& s) {
      failure_repo::ForgetAttempt(s, **reserved);
      return true;
    });
    return {};
  });
  if (!forgotten.ok()) return std::move(forgotten).error();
  kLoginsSucceeded.Add();
  logging::Event("login_ok", {Num("user_id", user->id), {"client", client_addr, false}});
  return std::move(*user);
}

Result<NewSession> AuthorizeService::CreateSession(const UserRecord& user) {
  Housekeep();  // on a sign-in, never on a form view (which must not write)
  NewSession out;
  out.session_id = random_.Token(32);
  const int64_t now = clock_.Now();
  out.sign_in = SignIn{user, now, SessionSid(out.session_id)};
  return GuardDb("login session", [&]() -> Result<NewSession> {
    writer_->Run([&](soci::session& s) {
      session_repo::InsertSession(s, Sha256Hex(out.session_id), user.id,
                                  now + settings_.session_ttl, now);
      return true;
    });
    return std::move(out);
  });
}

Result<std::optional<SignIn>> AuthorizeService::SessionSignIn(const std::string& session_id) {
  if (session_id.empty() || session_id.size() > 128) return std::optional<SignIn>{};
  return GuardDb("session lookup", [&]() -> Result<std::optional<SignIn>> {
    auto& s = db_->Session();
    auto session = session_repo::FindActiveSession(s, Sha256Hex(session_id), clock_.Now());
    if (!session) return std::optional<SignIn>{};
    auto user = user_repo::FindById(s, session->user_id);
    if (!user) return std::optional<SignIn>{};
    return std::optional<SignIn>(
        SignIn{std::move(*user), session->created_at, SessionSid(session_id)});
  });
}

std::string AuthorizeService::SessionSid(const std::string& session_id) {
  return Sha256Hex("sid:" + session_id).substr(0, 32);
}

bool AuthorizeService::TooOld(const SignIn& sign_in, const std::optional<int64_t>& max_age) const {
  // max_age=0 asks for the password every time, as prompt=login does
  // (OIDC Core §3.1.2.1).
  return max_age && (*max_age == 0 || clock_.Now() - sign_in.auth_time > *max_age);
}

Status AuthorizeService::EndSession(const std::string& session_id) {
  if (session_id.empty() || session_id.size() > 128) return {};
  return GuardDb("logout", [&]() -> Status {
    writer_->Run([&](soci::session& s) {
      session_repo::RevokeSession(s, Sha256Hex(session_id), clock_.Now());
      return true;
    });
    return {};
  });
}

}  // namespace bookstore::auth
