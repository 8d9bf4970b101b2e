#include "auth_service/oauth/oauth_error.h"

namespace bookstore::auth {
namespace {

// The one table: code, wire name, Errc, HTTP status of the JSON answer.
struct CodeRow {
  OAuthCode code;
  std::string_view name;
  Errc errc;
  int status;
};
constexpr CodeRow kCodes[] = {
    {OAuthCode::kInvalidRequest, "invalid_request", Errc::kInvalidArgument, 400},
    {OAuthCode::kInvalidClient, "invalid_client", Errc::kUnauthenticated, 401},
    {OAuthCode::kInvalidGrant, "invalid_grant", Errc::kInvalidArgument, 400},
    {OAuthCode::kInvalidScope, "invalid_scope", Errc::kInvalidArgument, 400},
    {OAuthCode::kUnsupportedGrantType, "unsupported_grant_type", Errc::kInvalidArgument, 400},
    {OAuthCode::kUnsupportedResponseType, "unsupported_response_type", Errc::kInvalidArgument, 400},
    {OAuthCode::kLoginRequired, "login_required", Errc::kInvalidArgument, 400},
    {OAuthCode::kTemporarilyUnavailable, "temporarily_unavailable", Errc::kUnavailable, 503},
    {OAuthCode::kServerError, "server_error", Errc::kInternal, 500},
};

const CodeRow& Row(OAuthCode code) {
  for (const auto& row : kCodes) {
    if (row.code == code) return row;
  }
  return kCodes[0];
}

}  // namespace

std::string_view OAuthCodeName(OAuthCode code) { return Row(code).name; }

Error OAuthError(OAuthCode code, std::string description) {
  Error error{Row(code).errc, std::move(description), {}};
  error.detail = static_cast<int>(code);
  return error;
}

OAuthCode OAuthCodeOf(const Error& error) {
  for (const auto& row : kCodes) {
    if (error.detail == static_cast<int>(row.code)) return row.code;
  }
  switch (error.code) {
    case Errc::kUnauthenticated:
      return OAuthCode::kInvalidClient;
    case Errc::kUnavailable:
    case Errc::kTooManyRequests:
      return OAuthCode::kTemporarilyUnavailable;
    case Errc::kInternal:
      return OAuthCode::kServerError;
    default:
      return OAuthCode::kInvalidRequest;
  }
}

int OAuthHttpStatus(const Error& error) {
  if (error.code == Errc::kTooManyRequests) return 429;
  return Row(OAuthCodeOf(error)).status;
}

std::string OAuthErrorCode(const Error& error) {
  return std::string(OAuthCodeName(OAuthCodeOf(error)));
}

}  // namespace bookstore::auth
