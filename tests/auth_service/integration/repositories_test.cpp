// Repositories against a real SQLite file and (when BOOKSTORE_TEST_PG_URL is
// set) a real PostgreSQL database.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "auth_service/repositories/client_repository.h"
#include "auth_service/repositories/code_repository.h"
#include "auth_service/repositories/login_failure_repository.h"
#include "auth_service/repositories/session_repository.h"
#include "auth_service/repositories/signing_key_repository.h"
#include "auth_service/repositories/token_repository.h"
#include "auth_service/repositories/user_repository.h"
#include "common/db/database.h"
#include "common/db/statement_cache.h"
#include "tests/common/integration/db_test_util.h"
#include "tests/support/test_env.h"

namespace bookstore::auth {
namespace {

class RepositoriesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<test::TestDatabase>(GetParam());
    db_ = tdb_->OpenMigrated();
    user_id_ = user_repo::Insert(s(), "Alice", "$argon2id$x", "customer", kNow);
    ClientRecord c;
    c.client_id = "web";
    c.name = "Web";
    c.redirect_uris = {"http://a/cb", "http://b/cb"};
    c.created_at = kNow;
    ASSERT_TRUE(client_repo::Insert(s(), c));
  }
  soci::session& s() { return db_->Session(); }

  static constexpr int64_t kNow = 1'700'000'000;
  std::unique_ptr<test::TestDatabase> tdb_;
  std::shared_ptr<db::Database> db_;
  int64_t user_id_ = 0;
};

TEST_P(RepositoriesTest, ClientsRoundTripAndDuplicateRejected) {
  ClientRecord c;
  c.client_id = "svc";
  c.name = "Service";
  c.secret_hash = "abc";
  c.confidential = true;
  c.redirect_uris = {"http://x/cb"};
  c.post_logout_redirect_uris = {"http://x/", "http://y/"};
  c.allowed_scopes = std::vector<std::string>{"orders"};
  c.created_at = kNow;
  ASSERT_TRUE(client_repo::Insert(s(), c));
  EXPECT_FALSE(client_repo::Insert(s(), c));
  auto got = client_repo::Find(s(), "svc");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->secret_hash, "abc");
  EXPECT_TRUE(got->confidential);
  EXPECT_EQ(got->post_logout_redirect_uris, c.post_logout_redirect_uris);
  EXPECT_EQ(got->allowed_scopes, c.allowed_scopes);
  auto web = client_repo::Find(s(), "web");
  ASSERT_TRUE(web);
  EXPECT_EQ(web->redirect_uris, (std::vector<std::string>{"http://a/cb", "http://b/cb"}));
  EXPECT_FALSE(web->allowed_scopes.has_value());
  EXPECT_TRUE(web->secret_hash.empty());
  EXPECT_FALSE(client_repo::Find(s(), "nope"));
  EXPECT_EQ(client_repo::List(s()).size(), 2u);
}

TEST_P(RepositoriesTest, UsersFoundIgnoringCase) {
  auto u = user_repo::FindByUsername(s(), "aLICE");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->id, user_id_);
  EXPECT_EQ(u->username, "Alice");
  EXPECT_EQ(u->role, "customer");
  EXPECT_TRUE(user_repo::FindById(s(), user_id_));
  EXPECT_FALSE(user_repo::FindById(s(), user_id_ + 100));
}

TEST_P(RepositoriesTest, CodeIsSingleUse) {
  CodeRecord c{"h1", "web", user_id_, "http://a/cb", true, "orders", "chal", kNow + 60, 0, kNow,
               "",   0,     ""};
  code_repo::Insert(s(), c);
  auto got = code_repo::Find(s(), "h1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->code_challenge, "chal");
  EXPECT_EQ(got->used_at, 0);
  EXPECT_TRUE(got->redirect_given);
  EXPECT_TRUE(code_repo::MarkUsed(s(), "h1", kNow + 1));
  EXPECT_FALSE(code_repo::MarkUsed(s(), "h1", kNow + 2));
  EXPECT_EQ(code_repo::Find(s(), "h1")->used_at, kNow + 1);
  EXPECT_FALSE(code_repo::MarkUsed(s(), "unknown", kNow));
}

// What the ID token needs is kept with the code and, after the exchange,
// with its family (contract §5: nonce, auth_time, sid).
TEST_P(RepositoriesTest, CodeAndFamilyKeepTheSignIn) {
  CodeRecord c{"h3",      "web", user_id_, "http://a/cb", true,     "openid", "",
               kNow + 60, 0,     kNow,     "nonce-1",     kNow - 5, "sid-1"};
  code_repo::Insert(s(), c);
  auto got = code_repo::Find(s(), "h3");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->nonce, "nonce-1");
  EXPECT_EQ(got->auth_time, kNow - 5);
  EXPECT_EQ(got->sid, "sid-1");
  token_repo::InsertFamily(s(), "f3", "h3", "web", user_id_, kNow, {kNow - 5, "sid-1"});
  token_repo::InsertRefresh(
      s(), {"r3", "f3", "web", user_id_, "openid", kNow + 100, 0, 0, kNow, 0, 0, ""});
  auto refresh = token_repo::FindRefresh(s(), "r3");
  ASSERT_TRUE(refresh);
  EXPECT_EQ(refresh->family_auth_time, kNow - 5);
  EXPECT_EQ(refresh->family_sid, "sid-1");
  token_repo::InsertFamily(s(), "f4", "", "web", user_id_, kNow);  // no sign-in known
  token_repo::InsertRefresh(
      s(), {"r4", "f4", "web", user_id_, "orders", kNow + 100, 0, 0, kNow, 0, 0, ""});
  EXPECT_EQ(token_repo::FindRefresh(s(), "r4")->family_auth_time, 0);
  EXPECT_EQ(token_repo::FindRefresh(s(), "r4")->family_sid, "");
}

TEST_P(RepositoriesTest, CodeWithoutChallenge) {
  CodeRecord c{"h2", "web", user_id_, "http://a/cb", false, "orders", "", kNow + 60, 0, kNow,
               "",   0,     ""};
  code_repo::Insert(s(), c);
  EXPECT_EQ(code_repo::Find(s(), "h2")->code_challenge, "");
  code_repo::DeleteExpired(s(), kNow + 61);
  EXPECT_FALSE(code_repo::Find(s(), "h2"));
}

TEST_P(RepositoriesTest, RefreshRotationAndFamilyRevocation) {
  token_repo::InsertFamily(s(), "f1", "codehash", "web", user_id_, kNow);
  EXPECT_EQ(token_repo::FindFamilyByCode(s(), "codehash"), "f1");
  token_repo::InsertRefresh(
      s(), {"r1", "f1", "web", user_id_, "orders", kNow + 100, 0, 0, kNow, 0, 0, ""});
  token_repo::InsertRefresh(
      s(), {"r2", "f1", "web", user_id_, "orders", kNow + 100, 0, 0, kNow, 0, 0, ""});
  token_repo::InsertAccess(s(), {"j1", "f1", "web", user_id_, kNow + 100, 0, kNow, 0});
  EXPECT_TRUE(token_repo::MarkRefreshUsed(s(), "r1", kNow + 1));
  EXPECT_FALSE(token_repo::MarkRefreshUsed(s(), "r1", kNow + 2));
  EXPECT_EQ(token_repo::FindRefresh(s(), "r1")->used_at, kNow + 1);

  token_repo::RevokeFamily(s(), "f1", kNow + 5);
  auto r2 = token_repo::FindRefresh(s(), "r2");
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->revoked_at, kNow + 5);
  EXPECT_EQ(r2->family_revoked_at, kNow + 5);
  EXPECT_FALSE(token_repo::MarkRefreshUsed(s(), "r2", kNow + 6));
  auto j1 = token_repo::FindAccess(s(), "j1");
  ASSERT_TRUE(j1);
  EXPECT_EQ(j1->revoked_at, kNow + 5);
  EXPECT_EQ(j1->family_id, "f1");
  token_repo::RevokeFamily(s(), "f1", kNow + 9);  // idempotent: first time kept
  EXPECT_EQ(token_repo::FindRefresh(s(), "r2")->revoked_at, kNow + 5);
}

TEST_P(RepositoriesTest, AccessTokenRevocationByJti) {
  token_repo::InsertAccess(s(), {"j2", "", "web", user_id_, kNow + 100, 0, kNow, 0});
  auto j = token_repo::FindAccess(s(), "j2");
  ASSERT_TRUE(j);
  EXPECT_EQ(j->revoked_at, 0);
  EXPECT_EQ(j->family_id, "");
  token_repo::RevokeAccess(s(), "j2", kNow + 3);
  EXPECT_EQ(token_repo::FindAccess(s(), "j2")->revoked_at, kNow + 3);
  EXPECT_FALSE(token_repo::FindAccess(s(), "nope"));
  token_repo::DeleteExpired(s(), kNow + 101);
  EXPECT_FALSE(token_repo::FindAccess(s(), "j2"));
}

TEST_P(RepositoriesTest, ThrottlingCountsWithinWindow) {
  for (int i = 0; i < 3; ++i) failure_repo::Record(s(), "alice", "10.0.0.1", kNow + i);
  failure_repo::Record(s(), "bob", "10.0.0.1", kNow + 10);
  failure_repo::Record(s(), "alice", "10.0.0.2", kNow + 20);
  auto alice = failure_repo::ForUsername(s(), "alice", kNow);
  EXPECT_EQ(alice.count, 4);
  EXPECT_EQ(alice.oldest, kNow);
  EXPECT_EQ(failure_repo::ForUsername(s(), "alice", kNow + 2).count, 2);
  EXPECT_EQ(failure_repo::ForAddress(s(), "10.0.0.1", kNow).count, 4);
  EXPECT_EQ(failure_repo::ForAddress(s(), "10.9.9.9", kNow).count, 0);
  failure_repo::DeleteOlder(s(), kNow + 15);
  EXPECT_EQ(failure_repo::ForUsername(s(), "alice", 0).count, 1);
}

TEST_P(RepositoriesTest, SessionsExpireAndRevoke) {
  session_repo::InsertSession(s(), "sh", user_id_, kNow + 100, kNow);
  EXPECT_EQ(session_repo::FindActiveSession(s(), "sh", kNow)->user_id, user_id_);
  EXPECT_FALSE(session_repo::FindActiveSession(s(), "sh", kNow + 100));
  session_repo::RevokeSession(s(), "sh", kNow + 1);
  EXPECT_FALSE(session_repo::FindActiveSession(s(), "sh", kNow + 2));
}

TEST_P(RepositoriesTest, SigningKeysPublishedUntilRetired) {
  key_repo::Upsert(s(), "k1", "RS256", R"({"kid":"k1"})", kNow);
  key_repo::Upsert(s(), "k2", "ES256", R"({"kid":"k2"})", kNow + 1);
  key_repo::Retire(s(), "k1", kNow + 50);
  auto keys = key_repo::Published(s(), kNow + 10);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].kid, "k1");
  EXPECT_EQ(keys[0].retire_after, kNow + 50);
  EXPECT_EQ(keys[1].retire_after, 0);
  ASSERT_EQ(key_repo::Published(s(), kNow + 50).size(), 1u);
  key_repo::Upsert(s(), "k1", "RS256", R"({"kid":"k1"})", kNow + 60);  // current again
  EXPECT_EQ(key_repo::Published(s(), kNow + 100).size(), 2u);
}

TEST_P(RepositoriesTest, ExchangeAndRotationStatementsAreReusedWithNewValues) {
  const int64_t bob = user_repo::Insert(s(), "Bob", "$argon2id$y", "admin", kNow);
  size_t cached = 0;
  for (int i = 0; i < 4; ++i) {
    const std::string n = std::to_string(i);
    const int64_t user = i % 2 == 0 ? user_id_ : bob;
    EXPECT_EQ(user_repo::FindById(s(), user)->username, i % 2 == 0 ? "Alice" : "Bob");
    EXPECT_EQ(user_repo::FindByUsername(s(), i % 2 == 0 ? "ALICE" : "bob")->id, user);
    EXPECT_FALSE(user_repo::FindById(s(), bob + 100));
    EXPECT_EQ(client_repo::Find(s(), "web")->name, "Web");
    EXPECT_FALSE(client_repo::Find(s(), "nope"));
    CodeRecord c{"code" + n, "web", user, "http://a/cb", true, "orders", "", kNow + 60, 0, kNow,
                 "",         0,     ""};
    code_repo::Insert(s(), c);
    EXPECT_EQ(code_repo::Find(s(), "code" + n)->user_id, user);
    EXPECT_TRUE(code_repo::MarkUsed(s(), "code" + n, kNow + i));
    EXPECT_FALSE(code_repo::MarkUsed(s(), "code" + n, kNow + i));
    token_repo::InsertFamily(s(), "fam" + n, i == 3 ? "" : "code" + n, "web", user, kNow);
    EXPECT_EQ(token_repo::FindFamilyByCode(s(), "code" + n).has_value(), i != 3);
    token_repo::InsertRefresh(
        s(), {"ref" + n, "fam" + n, "web", user, "orders", kNow + 9, 0, 0, kNow, 0, 0, ""});
    token_repo::InsertAccess(
        s(), {"jti" + n, i == 1 ? "" : "fam" + n, "web", user, kNow + 9, 0, kNow, 0});
    EXPECT_EQ(token_repo::FindAccess(s(), "jti" + n)->family_id, i == 1 ? "" : "fam" + n);
    const auto refresh = token_repo::FindRefresh(s(), "ref" + n);
    ASSERT_TRUE(refresh);
    EXPECT_EQ(refresh->user_id, user);
    EXPECT_EQ(refresh->used_at, 0);
    EXPECT_TRUE(token_repo::MarkRefreshUsed(s(), "ref" + n, kNow + 1));
    EXPECT_FALSE(token_repo::MarkRefreshUsed(s(), "ref" + n, kNow + 2));
    token_repo::RevokeFamily(s(), "fam" + n, kNow + 3);
    EXPECT_EQ(token_repo::FindRefresh(s(), "ref" + n)->family_revoked_at, kNow + 3);
    if (GetParam() == "sqlite") {
      EXPECT_TRUE(test::NoTransaction(s()));
    }
    if (i == 0) cached = db::CachedStatementCount(s());
  }
  EXPECT_GE(cached, 12u);
  EXPECT_EQ(db::CachedStatementCount(s()), cached);
}

INSTANTIATE_TEST_SUITE_P(Dialects, RepositoriesTest, ::testing::ValuesIn(test::TestDialects()));

}  // namespace
}  // namespace bookstore::auth
