// UserService + UserRepository on SQLite and PostgreSQL.
#include <soci/soci.h>

#include "tests/book_service/integration/service_fixture.h"

namespace bookstore::book::test {
namespace {

class UserServiceTest : public ServiceTest {};

TEST_P(UserServiceTest, RegisterStoresAnArgon2idHashOnly) {
  auto u = users_.Register({"carol", "correct horse", std::nullopt}, "10.0.0.1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->role, "customer");
  std::string hash;
  long long id = u->id;
  db_->Session() << "SELECT password_hash FROM users WHERE id = :id", soci::use(id, "id"),
      soci::into(hash);
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(PasswordHasher(PasswordCost::Minimal()).Verify(hash, "correct horse"));
  EXPECT_EQ(users_.Register({"dave", "password1", "admin"}, "10.0.0.1").error().code,
            Errc::kForbidden);
}

TEST_P(UserServiceTest, UsernamesAreUniqueIgnoringCase) {
  NewUser("Alice");
  auto dup = users_.Register({"aLiCe", "password1", std::nullopt}, "10.0.0.1");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, Errc::kConflict);
}

TEST_P(UserServiceTest, ValidationNamesFields) {
  auto r = users_.Create({"x", "short", "root"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.size(), 3u);
  EXPECT_EQ(users_.Update(1, {}).error().code, Errc::kInvalidArgument);
}

TEST_P(UserServiceTest, ListFiltersAndPages) {
  NewUser("admin1", "admin");
  NewUser("alice");
  NewUser("bob");
  UserQuery q;
  EXPECT_EQ(users_.List(q)->total, 3);
  q.role = "customer";
  EXPECT_EQ(users_.List(q)->total, 2);
  q.q = "LI";
  auto page = users_.List(q);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].username, "alice");
  UserQuery paged;
  paged.page = {2, 2};
  EXPECT_EQ(users_.List(paged)->items.size(), 1u);
}

// A login session and a refresh-token family (with one refresh and one
// access token) of `user`, as the auth service writes them.
void SignIn(soci::session& sql, long long user, const std::string& tag) {
  // Named: SOCI runs the statement after the full expression's temporaries
  // are gone.
  const std::string session = "s-" + tag, family = "f-" + tag, refresh = "r-" + tag,
                    access = "j-" + tag;
  sql << "INSERT INTO oauth_clients (client_id, name, redirect_uris, created_at) "
         "SELECT 'web', 'web', 'http://x/cb', 1 WHERE NOT EXISTS "
         "(SELECT 1 FROM oauth_clients WHERE client_id = 'web')";
  sql << "INSERT INTO login_sessions (id_hash, user_id, expires_at, created_at) "
         "VALUES (:s, :u, 9999999999, 1)",
      soci::use(session, "s"), soci::use(user, "u");
  sql << "INSERT INTO token_families (id, client_id, user_id, created_at) VALUES (:f, 'web', :u, "
         "1)",
      soci::use(family, "f"), soci::use(user, "u");
  sql << "INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, "
         "expires_at, "
         "created_at) VALUES (:r, :f, 'web', :u, 'orders', 9999999999, 1)",
      soci::use(refresh, "r"), soci::use(family, "f"), soci::use(user, "u");
  sql << "INSERT INTO access_tokens (jti, family_id, client_id, user_id, expires_at, created_at) "
         "VALUES (:j, :f, 'web', :u, 9999999999, 1)",
      soci::use(access, "j"), soci::use(family, "f"), soci::use(user, "u");
}

// "live" for each sign-in row of `tag` not revoked: session, family, refresh, access.
std::string Live(soci::session& sql, const std::string& tag) {
  std::string out;
  const std::pair<const char*, const char*> rows[] = {{"login_sessions", "id_hash = 's-"},
                                                      {"token_families", "id = 'f-"},
                                                      {"refresh_tokens", "token_hash = 'r-"},
                                                      {"access_tokens", "jti = 'j-"}};
  for (const auto& [table, key] : rows) {
    long long n = 0;
    sql << std::string("SELECT COUNT(*) FROM ") + table + " WHERE " + key + tag +
               "' AND revoked_at IS NULL",
        soci::into(n);
    out += n ? "1" : "0";
  }
  return out;
}

TEST_P(UserServiceTest, PasswordOrRoleChangeEndsSessionsAndRefreshFamilies) {  // contract §6
  NewUser("admin1", "admin");
  const long long alice = NewUser("alice");
  const long long bob = NewUser("bob");
  soci::session& sql = db_->Session();
  SignIn(sql, alice, "a1");
  SignIn(sql, bob, "b1");
  ASSERT_TRUE(users_.Update(alice, {std::nullopt, "another-password", std::nullopt}).ok());
  EXPECT_EQ(Live(sql, "a1"), "0000");
  EXPECT_EQ(Live(sql, "b1"), "1111");  // other users keep theirs

  SignIn(sql, alice, "a2");
  ASSERT_TRUE(users_.Update(alice, {std::nullopt, std::nullopt, "customer"}).ok());
  EXPECT_EQ(Live(sql, "a2"), "1111");  // the role did not change
  ASSERT_TRUE(users_.Update(alice, {std::nullopt, std::nullopt, "admin"}).ok());
  EXPECT_EQ(Live(sql, "a2"), "0000");
}

TEST_P(UserServiceTest, OwnPasswordChangeKeepsOnlyTheCallersFamily) {
  const long long carol = NewUser("carol");
  soci::session& sql = db_->Session();
  SignIn(sql, carol, "mine");
  SignIn(sql, carol, "other");
  EXPECT_EQ(users_.ChangeOwnPassword(carol, "j-mine", "wrong", "new-password-1").error().code,
            Errc::kForbidden);
  EXPECT_EQ(users_.ChangeOwnPassword(carol, "j-mine", "password-carol", "short").error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(Live(sql, "other"), "1111");
  ASSERT_TRUE(users_.ChangeOwnPassword(carol, "j-mine", "password-carol", "new-password-1").ok());
  EXPECT_EQ(Live(sql, "other"), "0000");
  EXPECT_EQ(Live(sql, "mine"), "0111");  // every login session ends, the caller's tokens live
  std::string hash;
  sql << "SELECT password_hash FROM users WHERE id = :id", soci::use(carol, "id"), soci::into(hash);
  EXPECT_TRUE(PasswordHasher(PasswordCost::Minimal()).Verify(hash, "new-password-1"));
}

TEST_P(UserServiceTest, DeletingAUserEndsItsSignIns) {
  const long long dave = NewUser("dave");
  soci::session& sql = db_->Session();
  SignIn(sql, dave, "d");
  EXPECT_EQ(users_.RemoveOwn(dave, "wrong").error().code, Errc::kForbidden);
  ASSERT_TRUE(users_.RemoveOwn(dave, "password-dave").ok());
  long long left = 0;
  sql << "SELECT (SELECT COUNT(*) FROM login_sessions) + (SELECT COUNT(*) FROM token_families) + "
         "(SELECT COUNT(*) FROM refresh_tokens) + (SELECT COUNT(*) FROM access_tokens)",
      soci::into(left);
  EXPECT_EQ(left, 0);
}

TEST_P(UserServiceTest, OwnAccountDeletionRules) {
  const int64_t admin = NewUser("admin1", "admin");
  const int64_t erin = NewUser("erin");
  EXPECT_EQ(users_.RemoveOwn(admin, "password-admin1").error().code, Errc::kConflict);
  long long erin_id = erin;
  db_->Session() << "INSERT INTO orders (user_id, total_cents, created_at, updated_at) "
                    "VALUES (:u, 0, 1, 1)",
      soci::use(erin_id, "u");
  EXPECT_EQ(users_.RemoveOwn(erin, "password-erin").error().code, Errc::kConflict);
  EXPECT_EQ(users_.RemoveOwn(987654, "x").error().code, Errc::kNotFound);
}

TEST_P(UserServiceTest, LastAdminIsProtected) {
  const auto a = NewUser("admin1", "admin");
  EXPECT_EQ(users_.Update(a, {std::nullopt, std::nullopt, "customer"}).error().code,
            Errc::kConflict);
  EXPECT_EQ(users_.Remove(a).error().code, Errc::kConflict);
  EXPECT_TRUE(users_.Update(a, {std::nullopt, "new-password", std::nullopt}).ok());
  const auto b = NewUser("admin2", "admin");
  EXPECT_TRUE(users_.Remove(a).ok());
  EXPECT_EQ(users_.Remove(b).error().code, Errc::kConflict);
}

TEST_P(UserServiceTest, ConcurrentDemotionsLeaveOneAdmin) {
  std::vector<int64_t> admins;
  for (int i = 0; i < 4; ++i) admins.push_back(NewUser("admin" + std::to_string(i), "admin"));
  std::atomic<int> ok{0}, conflict{0};
  Parallel(4, [&](int i) {
    // Half demote, half delete; every one of them would leave the others.
    const bool done = i % 2
                          ? users_.Update(admins[i], {std::nullopt, std::nullopt, "customer"}).ok()
                          : users_.Remove(admins[i]).ok();
    ++(done ? ok : conflict);
  });
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(conflict.load(), 1);
  UserQuery q;
  q.role = "admin";
  EXPECT_EQ(users_.List(q)->total, 1);
}

TEST_P(UserServiceTest, UserWithOrdersCannotBeDeleted) {
  const auto u = NewUser("buyer");
  const auto b = NewBook("B", 1);
  ASSERT_TRUE(orders_.Place(u, {{b, 1}}, std::nullopt).ok());
  EXPECT_EQ(users_.Remove(u).error().code, Errc::kConflict);
  EXPECT_TRUE(users_.Get(u).ok());
  EXPECT_EQ(users_.Remove(u + 1000).error().code, Errc::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Dialects, UserServiceTest,
                         ::testing::ValuesIn(bookstore::test::TestDialects()), DialectName);

}  // namespace
}  // namespace bookstore::book::test
