// The typed OAuth error codes of auth_service/oauth/oauth_error.h: names,
// the Errc each carries, the HTTP status of the JSON answer, and the code
// derived for errors that carry none.
#include "auth_service/oauth/oauth_error.h"

#include <gtest/gtest.h>

namespace bookstore::auth {
namespace {

TEST(OAuthErrorTest, EachCodeHasItsNameErrcAndStatus) {
  struct Row {
    OAuthCode code;
    const char* name;
    Errc errc;
    int status;
  };
  const Row rows[] = {
      {OAuthCode::kInvalidRequest, "invalid_request", Errc::kInvalidArgument, 400},
      {OAuthCode::kInvalidClient, "invalid_client", Errc::kUnauthenticated, 401},
      {OAuthCode::kInvalidGrant, "invalid_grant", Errc::kInvalidArgument, 400},
      {OAuthCode::kInvalidScope, "invalid_scope", Errc::kInvalidArgument, 400},
      {OAuthCode::kUnsupportedGrantType, "unsupported_grant_type", Errc::kInvalidArgument, 400},
      {OAuthCode::kUnsupportedResponseType, "unsupported_response_type", Errc::kInvalidArgument,
       400},
      {OAuthCode::kLoginRequired, "login_required", Errc::kInvalidArgument, 400},
      {OAuthCode::kTemporarilyUnavailable, "temporarily_unavailable", Errc::kUnavailable, 503},
      {OAuthCode::kServerError, "server_error", Errc::kInternal, 500},
  };
  for (const auto& row : rows) {
    const Error e = OAuthError(row.code, "why");
    EXPECT_EQ(OAuthCodeName(row.code), row.name);
    EXPECT_EQ(OAuthCodeOf(e), row.code) << row.name;
    EXPECT_EQ(OAuthErrorCode(e), row.name);
    EXPECT_EQ(e.code, row.errc) << row.name;
    EXPECT_EQ(e.message, "why");
    EXPECT_TRUE(e.fields.empty());
    EXPECT_EQ(OAuthHttpStatus(e), row.status) << row.name;
  }
}

TEST(OAuthErrorTest, PlainErrorsMapByTheirErrc) {
  EXPECT_EQ(OAuthCodeOf(Error::Unauthenticated("x")), OAuthCode::kInvalidClient);
  EXPECT_EQ(OAuthCodeOf(Error::Unavailable("x")), OAuthCode::kTemporarilyUnavailable);
  EXPECT_EQ(OAuthCodeOf(Error::Internal()), OAuthCode::kServerError);
  EXPECT_EQ(OAuthCodeOf(Error::NotFound("x")), OAuthCode::kInvalidRequest);
  const Error throttled = Error::TooManyRequests("slow down");
  EXPECT_EQ(OAuthErrorCode(throttled), "temporarily_unavailable");
  EXPECT_EQ(OAuthHttpStatus(throttled), 429);
  EXPECT_EQ(OAuthHttpStatus(Error::Unavailable("db")), 503);
}

}  // namespace
}  // namespace bookstore::auth
