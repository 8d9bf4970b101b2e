#include "auth_service/oauth/oauth_error.h"

namespace bookstore::auth {

Error OAuthError(std::string_view code, std::string description) {
  Errc errc = Errc::kInvalidArgument;
  if (code == "invalid_client") {
    errc = Errc::kUnauthenticated;
  } else if (code == "temporarily_unavailable") {
    errc = Errc::kUnavailable;
  } else if (code == "server_error") {
    errc = Errc::kInternal;
  }
  return Error{errc, std::move(description), {FieldError{"error", std::string(code)}}};
}

std::string OAuthErrorCode(const Error& error) {
  if (!error.fields.empty() && error.fields.front().field == "error") {
    return error.fields.front().message;
  }
  switch (error.code) {
    case Errc::kUnauthenticated:
      return "invalid_client";
    case Errc::kUnavailable:
      return "temporarily_unavailable";
    case Errc::kInternal:
      return "server_error";
    case Errc::kTooManyRequests:
      return "temporarily_unavailable";
    default:
      return "invalid_request";
  }
}

}  // namespace bookstore::auth
