// UserService + UserRepository on SQLite and PostgreSQL.
#include <soci/soci.h>

#include "tests/book_service/integration/service_fixture.h"

namespace bookstore::book::test {
namespace {

class UserServiceTest : public ServiceTest {};

TEST_P(UserServiceTest, RegisterStoresAnArgon2idHashOnly) {
  auto u = users_.Register({"carol", "correct horse", std::nullopt});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->role, "customer");
  std::string hash;
  long long id = u->id;
  db_->Session() << "SELECT password_hash FROM users WHERE id = :id", soci::use(id, "id"),
      soci::into(hash);
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(PasswordHasher(PasswordCost::Minimal()).Verify(hash, "correct horse"));
  EXPECT_EQ(users_.Register({"dave", "password1", "admin"}).error().code, Errc::kForbidden);
}

TEST_P(UserServiceTest, UsernamesAreUniqueIgnoringCase) {
  NewUser("Alice");
  auto dup = users_.Register({"aLiCe", "password1", std::nullopt});
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
