// OpenID Connect rules of AuthorizeService and TokenService on both engines
// (contract §5): nonce and max_age validation, max_age against the
// controllable clock, and the sign-in carried from the session through the
// code into the ID token and its refreshes.
#include <gtest/gtest.h>

#include "auth_service/oauth/pkce.h"
#include "auth_service/repositories/user_repository.h"
#include "auth_service/services/authorize_service.h"
#include "auth_service/services/client_service.h"
#include "auth_service/services/key_service.h"
#include "auth_service/services/token_service.h"
#include "common/db/database.h"
#include "common/db/writer.h"
#include "common/passwords.h"
#include "tests/support/test_env.h"

namespace bookstore::auth {
namespace {

constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr const char* kRedirect = "http://localhost:3000/callback";

class OidcServicesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<test::TestDatabase>(GetParam());
    db_ = tdb_->OpenMigrated();
    user_id_ = user_repo::Insert(db_->Session(), "carol", hasher_.Hash("correct horse"), "customer",
                                 clock_.Now());
    auto& random = SodiumRandom::Instance();
    clients_ = std::make_unique<ClientService>(db_, clock_, random);
    keys_ = std::make_unique<KeyService>(db_, clock_, jwt::SigningKey::Generate());
    authorize_ = std::make_unique<AuthorizeService>(db_, db::Writer::Open(db_), *clients_, hasher_,
                                                    clock_, random, AuthorizeSettings{});
    tokens_ = std::make_unique<TokenService>(
        db_, db::Writer::Open(db_), *keys_, clock_, random,
        TokenSettings{"http://auth.test", "bookstore-api", 900, 3600});
    ASSERT_TRUE(clients_->EnsureDefaults().ok());
    ASSERT_TRUE(keys_->Publish().ok());
  }

  AuthorizationRequest Request(const std::optional<std::string>& nonce,
                               const std::optional<std::string>& max_age = std::nullopt) {
    AuthorizationRequest r;
    r.response_type = "code";
    r.client_id = "bookstore-web";
    r.redirect_uri = kRedirect;
    r.scope = "openid profile orders";
    r.code_challenge = S256Challenge(kVerifier);
    r.code_challenge_method = "S256";
    r.nonce = nonce;
    r.max_age = max_age;
    return r;
  }

  Result<ValidatedRequest> Validate(const AuthorizationRequest& r) {
    auto target = authorize_->ResolveTarget(r);
    EXPECT_TRUE(target.ok());
    return authorize_->Validate(*target, r);
  }

  FakeClock clock_;
  std::unique_ptr<test::TestDatabase> tdb_;
  std::shared_ptr<db::Database> db_;
  PasswordHasher hasher_{PasswordCost::Minimal()};
  int64_t user_id_ = 0;
  std::unique_ptr<ClientService> clients_;
  std::unique_ptr<KeyService> keys_;
  std::unique_ptr<AuthorizeService> authorize_;
  std::unique_ptr<TokenService> tokens_;
};

TEST_P(OidcServicesTest, NonceAndMaxAgeAreValidated) {
  EXPECT_EQ(Validate(Request("n-1"))->nonce, "n-1");
  EXPECT_EQ(Validate(Request(std::nullopt))->nonce, "");
  EXPECT_EQ(Validate(Request(std::string(255, '~')))->nonce, std::string(255, '~'));
  for (const std::string& bad : {std::string(), std::string(256, 'n'), std::string("a\x7f")}) {
    auto r = Validate(Request(bad));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  }
  EXPECT_EQ(Validate(Request(std::nullopt, "300"))->max_age, 300);
  EXPECT_EQ(Validate(Request(std::nullopt, "0"))->max_age, 0);
  EXPECT_FALSE(Validate(Request(std::nullopt))->max_age.has_value());
  for (const char* bad : {"", "-1", "1.5", "12345678901", "ten"}) {
    EXPECT_FALSE(Validate(Request(std::nullopt, bad)).ok()) << bad;
  }
}

TEST_P(OidcServicesTest, MaxAgeFollowsTheClock) {
  auto user = user_repo::FindById(db_->Session(), user_id_);
  ASSERT_TRUE(user);
  auto session = authorize_->CreateSession(*user);
  ASSERT_TRUE(session.ok());
  auto sign_in = authorize_->SessionSignIn(session->session_id);
  ASSERT_TRUE(sign_in.ok() && *sign_in);
  EXPECT_EQ((*sign_in)->auth_time, clock_.Now());
  EXPECT_EQ((*sign_in)->sid, AuthorizeService::SessionSid(session->session_id));
  EXPECT_FALSE(authorize_->TooOld(**sign_in, std::nullopt));
  EXPECT_TRUE(authorize_->TooOld(**sign_in, 0));  // as prompt=login
  clock_.Advance(60);
  EXPECT_FALSE(authorize_->TooOld(**sign_in, 60));
  clock_.Advance(1);
  EXPECT_TRUE(authorize_->TooOld(**sign_in, 60));
  EXPECT_FALSE(authorize_->TooOld(**sign_in, 61));
}

TEST_P(OidcServicesTest, TheSignInReachesTheIdTokenAndItsRefreshes) {
  auto user = user_repo::FindById(db_->Session(), user_id_);
  auto session = authorize_->CreateSession(*user);
  ASSERT_TRUE(session.ok());
  const int64_t auth_time = clock_.Now();
  clock_.Advance(10);
  auto validated = Validate(Request("n-42"));
  ASSERT_TRUE(validated.ok());
  auto code = authorize_->IssueCode(*validated, session->sign_in);
  ASSERT_TRUE(code.ok());
  auto client = clients_->Get("bookstore-web");
  auto tokens = tokens_->ExchangeCode(*client, *code, kRedirect, kVerifier);
  ASSERT_TRUE(tokens.ok()) << tokens.error().message;
  auto id = tokens_->VerifyIdTokenHint(tokens->id_token);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->sub, std::to_string(user_id_));
  EXPECT_EQ(id->aud, "bookstore-web");
  EXPECT_EQ(id->nonce, "n-42");
  EXPECT_EQ(id->auth_time, auth_time);
  EXPECT_EQ(id->sid, session->sign_in.sid);
  EXPECT_FALSE(tokens_->VerifyIdTokenHint(tokens->access_token).ok());
  EXPECT_FALSE(tokens_->VerifyAccessToken(tokens->id_token).ok());

  clock_.Advance(100);
  auto refreshed = tokens_->Refresh(*client, tokens->refresh_token, std::nullopt);
  ASSERT_TRUE(refreshed.ok());
  auto again = tokens_->VerifyIdTokenHint(refreshed->id_token);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->sub, id->sub);
  EXPECT_EQ(again->auth_time, auth_time);
  EXPECT_EQ(again->sid, id->sid);
  EXPECT_EQ(again->nonce, "");
  EXPECT_EQ(again->iat, clock_.Now());
  // A narrower refresh without openid still belongs to an openid family.
  auto narrow = tokens_->Refresh(*client, refreshed->refresh_token, std::string("orders"));
  ASSERT_TRUE(narrow.ok());
  EXPECT_EQ(narrow->scope, "orders");
  EXPECT_FALSE(narrow->id_token.empty());
}

INSTANTIATE_TEST_SUITE_P(Dialects, OidcServicesTest, ::testing::ValuesIn(test::TestDialects()));

}  // namespace
}  // namespace bookstore::auth
