// Services on a real database: atomic code redemption and refresh rotation
// under concurrency (many connections, as many instances would have),
// throttling counts, expiry with a FakeClock.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <latch>
#include <thread>

#include "auth_service/oauth/oauth_error.h"
#include "auth_service/oauth/pkce.h"
#include "auth_service/repositories/client_repository.h"
#include "auth_service/repositories/code_repository.h"
#include "auth_service/repositories/session_repository.h"
#include "auth_service/repositories/token_repository.h"
#include "auth_service/repositories/user_repository.h"
#include "auth_service/services/admin_service.h"
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

class ServicesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<test::TestDatabase>(GetParam());
    db_ = tdb_->OpenMigrated();
    hasher_ = std::make_unique<PasswordHasher>(PasswordCost::Minimal());
    user_id_ = user_repo::Insert(db_->Session(), "carol", hasher_->Hash("correct horse"),
                                 "customer", clock_.Now());
    clients_ = std::make_unique<ClientService>(db_, clock_, SodiumRandom::Instance());
    ASSERT_TRUE(clients_->EnsureDefaults().ok());
    client_ = *clients_->Get("bookstore-web");
    keys_ = std::make_unique<KeyService>(db_, clock_, jwt::SigningKey::Generate());
    ASSERT_TRUE(keys_->Publish().ok());
    tokens_ = std::make_unique<TokenService>(
        db_, db::Writer::Open(db_), *keys_, clock_, SodiumRandom::Instance(),
        TokenSettings{"http://auth.test", "bookstore-api", 900, 3600});
    authorize_ =
        std::make_unique<AuthorizeService>(db_, db::Writer::Open(db_), *clients_, *hasher_, clock_,
                                           SodiumRandom::Instance(), AuthorizeSettings{});
  }

  // Stores a code for carol and returns the raw value.
  std::string NewCode() {
    const std::string code = SodiumRandom::Instance().Token(32);
    CodeRecord c{Sha256Hex(code),
                 "bookstore-web",
                 user_id_,
                 "http://localhost:3000/callback",
                 true,
                 "orders",
                 S256Challenge(kVerifier),
                 clock_.Now() + 60,
                 0,
                 clock_.Now(),
                 "",
                 0,
                 ""};
    code_repo::Insert(db_->Session(), c);
    return code;
  }

  // A confidential client "svc" limited to the orders scope.
  static NewClient ServiceClient() {
    NewClient nc;
    nc.client_id = "svc";
    nc.confidential = true;
    nc.redirect_uris = {"http://svc/cb"};
    nc.scopes = {"orders"};
    return nc;
  }

  Result<TokenResponse> Exchange(const std::string& code) {
    return tokens_->ExchangeCode(client_, code, "http://localhost:3000/callback", kVerifier);
  }

  FakeClock clock_;
  std::unique_ptr<test::TestDatabase> tdb_;
  std::shared_ptr<db::Database> db_;
  std::unique_ptr<PasswordHasher> hasher_;
  int64_t user_id_ = 0;
  std::unique_ptr<ClientService> clients_;
  ClientRecord client_;
  std::unique_ptr<KeyService> keys_;
  std::unique_ptr<TokenService> tokens_;
  std::unique_ptr<AuthorizeService> authorize_;
};

// Runs `fn` on `n` threads released together; returns how many succeeded.
template <class F>
int RaceCount(int n, F fn) {
  std::latch start(n);
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      if (fn()) ++wins;
    });
  }
  for (auto& t : threads) t.join();
  return wins.load();
}

TEST_P(ServicesTest, ConcurrentCodeRedemptionHasOneWinner) {
  for (int round = 0; round < 3; ++round) {
    const std::string code = NewCode();
    EXPECT_EQ(RaceCount(4, [&] { return Exchange(code).ok(); }), 1);
    EXPECT_FALSE(Exchange(code).ok());
  }
}

TEST_P(ServicesTest, ConcurrentRefreshHasOneWinnerAndRevokesFamily) {
  auto first = Exchange(NewCode());
  ASSERT_TRUE(first.ok());
  std::mutex mu;
  std::vector<std::string> issued;
  EXPECT_EQ(RaceCount(4,
                      [&] {
                        auto r = tokens_->Refresh(client_, first->refresh_token, std::nullopt);
                        if (!r.ok()) return false;
                        std::lock_guard lock(mu);
                        issued.push_back(r->refresh_token);
                        return true;
                      }),
            1);
  ASSERT_EQ(issued.size(), 1u);
  // The losers presented a used token: the whole family is gone.
  auto newest = tokens_->Refresh(client_, issued[0], std::nullopt);
  ASSERT_FALSE(newest.ok());
  EXPECT_EQ(OAuthErrorCode(newest.error()), "invalid_grant");
}

TEST_P(ServicesTest, ExpiredCodeRejected) {
  const std::string code = NewCode();
  clock_.Advance(60);
  auto r = Exchange(code);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(OAuthErrorCode(r.error()), "invalid_grant");
}

TEST_P(ServicesTest, UsernameThrottleAfterTenFailuresUntilWindowPasses) {
  for (int i = 0; i < 10; ++i) {
    auto r = authorize_->Login("carol", "wrong", "10.0.0." + std::to_string(i));
    ASSERT_EQ(r.error().code, Errc::kUnauthenticated);
  }
  auto blocked = authorize_->Login("CAROL", "correct horse", "10.1.1.1");
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, Errc::kTooManyRequests);
  clock_.Advance(599);
  EXPECT_EQ(authorize_->Login("carol", "correct horse", "10.1.1.1").error().code,
            Errc::kTooManyRequests);
  clock_.Advance(1);
  EXPECT_TRUE(authorize_->Login("carol", "correct horse", "10.1.1.1").ok());
}

// Concurrent wrong passwords once overran the limit (13 checked for 10): each
// attempt is now counted before any password is verified.
TEST_P(ServicesTest, ConcurrentFailuresNeverOverrunTheLimit) {
  std::atomic<int> unauthenticated{0};
  const int throttled = RaceCount(30, [&] {
    auto r = authorize_->Login("carol", "wrong", "10.0.0.1");
    if (r.error().code == Errc::kUnauthenticated) ++unauthenticated;
    return r.error().code == Errc::kTooManyRequests;
  });
  EXPECT_EQ(unauthenticated.load(), 10);
  EXPECT_EQ(throttled, 20);
  long long rows = 0;
  db_->Session() << "SELECT COUNT(*) FROM login_failures", soci::into(rows);
  EXPECT_EQ(rows, 10);
}

TEST_P(ServicesTest, SuccessfulAttemptIsNotCountedAsAFailure) {
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(authorize_->Login("carol", "correct horse", "10.0.0.3").ok());
  long long rows = 0;
  db_->Session() << "SELECT COUNT(*) FROM login_failures", soci::into(rows);
  EXPECT_EQ(rows, 0);
}

TEST_P(ServicesTest, AddressThrottleAfterHundredFailures) {
  for (int i = 0; i < 100; ++i) {
    ASSERT_FALSE(authorize_->Login("ghost" + std::to_string(i), "x", "10.9.9.9").ok());
  }
  EXPECT_EQ(authorize_->Login("carol", "correct horse", "10.9.9.9").error().code,
            Errc::kTooManyRequests);
  EXPECT_TRUE(authorize_->Login("carol", "correct horse", "10.9.9.8").ok());
}

TEST_P(ServicesTest, SuccessfulLoginDoesNotResetUsernameCounter) {
  for (int i = 0; i < 9; ++i) ASSERT_FALSE(authorize_->Login("carol", "bad", "10.0.0.1").ok());
  ASSERT_TRUE(authorize_->Login("carol", "correct horse", "10.0.0.2").ok());
  ASSERT_FALSE(authorize_->Login("carol", "bad", "10.0.0.1").ok());
  EXPECT_EQ(authorize_->Login("carol", "correct horse", "10.0.0.2").error().code,
            Errc::kTooManyRequests);
}

TEST_P(ServicesTest, RegisterConfidentialClientAndAuthenticate) {
  const NewClient nc = ServiceClient();
  auto reg = clients_->Register(nc);
  ASSERT_TRUE(reg.ok());
  EXPECT_GE(reg->client_secret.size(), 43u);
  EXPECT_EQ(clients_->Register(nc).error().code, Errc::kConflict);
  EXPECT_TRUE(clients_->Authenticate({"svc", reg->client_secret, ClientAuthMethod::kPost}).ok());
  EXPECT_FALSE(clients_->Authenticate({"svc", "wrong", ClientAuthMethod::kPost}).ok());
  EXPECT_FALSE(clients_->Authenticate({"svc", std::nullopt, ClientAuthMethod::kNone}).ok());
  EXPECT_TRUE(
      clients_->Authenticate({"bookstore-web", std::nullopt, ClientAuthMethod::kNone}).ok());
  EXPECT_FALSE(clients_->Authenticate({"bookstore-web", "x", ClientAuthMethod::kPost}).ok());
  // Stored hashed, never in clear.
  auto stored = client_repo::Find(db_->Session(), "svc");
  EXPECT_NE(stored->secret_hash, reg->client_secret);
  EXPECT_EQ(stored->secret_hash, Sha256Hex(reg->client_secret));
}

TEST_P(ServicesTest, UpdateReplacesGivenFieldsAndRotatesTheSecret) {
  auto reg = clients_->Register(ServiceClient());
  ASSERT_TRUE(reg.ok());

  ClientChange change;
  change.client_id = "svc";
  change.redirect_uris = std::vector<std::string>{"https://svc.example/cb", "https://svc/cb2"};
  change.name = "Service";
  auto updated = clients_->Update(change);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->client_secret, "");  // not rotated: none shown
  auto stored = clients_->Get("svc");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->name, "Service");
  EXPECT_EQ(stored->redirect_uris,
            (std::vector<std::string>{"https://svc.example/cb", "https://svc/cb2"}));
  EXPECT_EQ(stored->allowed_scopes, std::optional(std::vector<std::string>{"orders"}));  // kept
  EXPECT_TRUE(clients_->Authenticate({"svc", reg->client_secret, ClientAuthMethod::kPost}).ok());

  ClientChange rotate;
  rotate.client_id = "svc";
  rotate.rotate_secret = true;
  rotate.scopes = std::vector<std::string>{};  // every scope
  auto rotated = clients_->Update(rotate);
  ASSERT_TRUE(rotated.ok());
  EXPECT_GE(rotated->client_secret.size(), 43u);
  EXPECT_FALSE(clients_->Authenticate({"svc", reg->client_secret, ClientAuthMethod::kPost}).ok());
  EXPECT_TRUE(
      clients_->Authenticate({"svc", rotated->client_secret, ClientAuthMethod::kPost}).ok());
  EXPECT_FALSE(clients_->Get("svc")->allowed_scopes.has_value());

  ClientChange bad;
  bad.client_id = "svc";
  bad.redirect_uris = std::vector<std::string>{"not a uri"};
  EXPECT_EQ(clients_->Update(bad).error().code, Errc::kInvalidArgument);
  bad.redirect_uris.reset();
  bad.scopes = std::vector<std::string>{"root"};
  EXPECT_EQ(clients_->Update(bad).error().code, Errc::kInvalidArgument);
  ClientChange public_rotate;
  public_rotate.client_id = "bookstore-web";
  public_rotate.rotate_secret = true;
  EXPECT_EQ(clients_->Update(public_rotate).error().code, Errc::kInvalidArgument);
  ClientChange unknown;
  unknown.client_id = "nobody";
  EXPECT_EQ(clients_->Update(unknown).error().code, Errc::kNotFound);
}

TEST_P(ServicesTest, RemovingAClientEndsItsRefreshTokens) {
  auto issued = Exchange(NewCode());
  ASSERT_TRUE(issued.ok());
  ASSERT_TRUE(clients_->Remove("bookstore-web").ok());
  EXPECT_EQ(clients_->Get("bookstore-web").error().code, Errc::kNotFound);
  EXPECT_EQ(clients_->Remove("bookstore-web").error().code, Errc::kNotFound);
  long long families = -1, refresh = -1;
  db_->Session() << "SELECT COUNT(*) FROM token_families", soci::into(families);
  db_->Session() << "SELECT COUNT(*) FROM refresh_tokens", soci::into(refresh);
  EXPECT_EQ(families, 0);
  EXPECT_EQ(refresh, 0);
  EXPECT_FALSE(tokens_->Refresh(client_, issued->refresh_token, std::nullopt).ok());
}

TEST_P(ServicesTest, AdminPasswordResetReplacesItAndEndsSignIns) {
  auto created = EnsureAdmin(*db_, *hasher_, clock_, SodiumRandom::Instance(), "root",
                             std::string("first-password"));
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(created->created);
  const int64_t admin = user_repo::FindByUsername(db_->Session(), "root")->id;
  session_repo::InsertSession(db_->Session(), "s-root", admin, clock_.Now() + 3600, clock_.Now());
  token_repo::InsertFamily(db_->Session(), "f-root", "", "bookstore-web", admin, clock_.Now());

  // Without the reset an existing admin is left alone.
  auto again = EnsureAdmin(*db_, *hasher_, clock_, SodiumRandom::Instance(), "root",
                           std::string("other-password"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created || again->reset);
  EXPECT_TRUE(
      hasher_->Verify(user_repo::FindById(db_->Session(), admin)->password_hash, "first-password"));

  auto reset = EnsureAdmin(*db_, *hasher_, clock_, SodiumRandom::Instance(), "ROOT", std::nullopt,
                           /*reset_password=*/true);
  ASSERT_TRUE(reset.ok());
  EXPECT_TRUE(reset->reset);
  ASSERT_GE(reset->generated_password.size(), 24u);
  EXPECT_TRUE(hasher_->Verify(user_repo::FindById(db_->Session(), admin)->password_hash,
                              reset->generated_password));
  EXPECT_FALSE(session_repo::FindActiveSession(db_->Session(), "s-root", clock_.Now()));
  long long live = -1;
  db_->Session()
      << "SELECT COUNT(*) FROM token_families WHERE id = 'f-root' AND revoked_at IS NULL",
      soci::into(live);
  EXPECT_EQ(live, 0);

  // A reset never promotes: carol is a customer.
  EXPECT_EQ(EnsureAdmin(*db_, *hasher_, clock_, SodiumRandom::Instance(), "carol",
                        std::string("new-password"), true)
                .error()
                .code,
            Errc::kConflict);
  EXPECT_TRUE(hasher_->Verify(user_repo::FindById(db_->Session(), user_id_)->password_hash,
                              "correct horse"));
}

TEST_P(ServicesTest, RegisterValidatesInput) {
  NewClient nc;
  nc.client_id = "bad id";
  nc.redirect_uris = {"http://x/cb"};
  EXPECT_EQ(clients_->Register(nc).error().code, Errc::kInvalidArgument);
  nc.client_id = "ok";
  nc.redirect_uris = {"not a uri"};
  EXPECT_EQ(clients_->Register(nc).error().code, Errc::kInvalidArgument);
  nc.redirect_uris = {"http://x/cb"};
  nc.scopes = {"email"};
  EXPECT_EQ(clients_->Register(nc).error().code, Errc::kInvalidArgument);
}

TEST_P(ServicesTest, DefaultClientsAreIdempotent) {
  auto again = clients_->EnsureDefaults();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  auto admin = clients_->Get("bookstore-admin");
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->redirect_uris, std::vector<std::string>{"http://localhost:3001/callback"});
  EXPECT_FALSE(admin->confidential);
}

INSTANTIATE_TEST_SUITE_P(Dialects, ServicesTest, ::testing::ValuesIn(test::TestDialects()));

}  // namespace
}  // namespace bookstore::auth
