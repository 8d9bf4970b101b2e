// KeyService's snapshot of published keys on a real database: another
// instance's key is seen at the next reload, or at once when a token names
// it; retirement applies as the clock passes it, without a reload.
#include <gtest/gtest.h>

#include "auth_service/services/key_service.h"
#include "common/clock.h"
#include "common/db/database.h"
#include "common/jwt.h"
#include "tests/support/test_env.h"

namespace bookstore::auth {
namespace {

class KeySnapshotTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<test::TestDatabase>(GetParam());
    db_ = tdb_->OpenMigrated();
    mine_ = std::make_unique<KeyService>(db_, clock_, jwt::SigningKey::Generate());
    ASSERT_TRUE(mine_->Publish().ok());
  }

  size_t Published() {
    auto keys = mine_->Keys();
    return keys.ok() ? (*keys)->size() : 0;
  }

  jwt::AccessClaims Claims() const {
    jwt::AccessClaims c;
    c.iss = "http://auth.test";
    c.sub = "7";
    c.aud = "bookstore-api";
    c.iat = clock_.Now();
    c.exp = clock_.Now() + 900;
    c.jti = "j1";
    return c;
  }

  FakeClock clock_;
  std::unique_ptr<test::TestDatabase> tdb_;
  std::shared_ptr<db::Database> db_;
  test::TempDir tdir_;
  std::unique_ptr<KeyService> mine_;
};

TEST_P(KeySnapshotTest, AnotherInstancesKeyIsSeenAtTheNextReload) {
  KeyService other(db_, clock_, jwt::SigningKey::Generate());
  ASSERT_TRUE(other.Publish().ok());
  EXPECT_EQ(Published(), 1u);  // the snapshot: no read per request
  ASSERT_TRUE(mine_->Refresh().ok());
  EXPECT_EQ(Published(), 2u);
  EXPECT_NE(mine_->Jwks()->find(other.signing_key().kid()), std::string::npos);
}

TEST_P(KeySnapshotTest, ATokenNamingAnUnknownKidReloadsAtMostOnceASecond) {
  KeyService other(db_, clock_, jwt::SigningKey::Generate());
  ASSERT_TRUE(other.Publish().ok());
  auto keys = mine_->KeysAfterUnknownKid();
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE((*keys)->Has(other.signing_key().kid()));
  const auto token = other.signing_key().Sign(Claims());
  EXPECT_TRUE((*keys)->Verify(token, {"http://auth.test", "bookstore-api", 0}, clock_.Now()).ok());

  KeyService third(db_, clock_, jwt::SigningKey::Generate());
  ASSERT_TRUE(third.Publish().ok());
  keys = mine_->KeysAfterUnknownKid();  // within the second: no reload
  ASSERT_TRUE(keys.ok());
  EXPECT_FALSE((*keys)->Has(third.signing_key().kid()));
}

TEST_P(KeySnapshotTest, ARetiredKeyLeavesTheSnapshotWhenTheClockPassesIt) {
  const auto old_key = jwt::SigningKey::Generate();
  KeyService old_instance(db_, clock_, old_key);
  ASSERT_TRUE(old_instance.Publish().ok());
  const std::string file = tdir_.File("signing.pem");
  auto rotated = KeyService::Rotate(*db_, clock_, file, 600);  // a key retired in 600 s
  ASSERT_TRUE(rotated.ok());
  ASSERT_TRUE(mine_->Refresh().ok());
  const size_t before = Published();
  EXPECT_EQ(before, 4u);  // mine, old_instance's, the file's old and new keys
  clock_.Advance(600);
  EXPECT_EQ(Published(), before - 1);
  EXPECT_EQ(mine_->Jwks()->find(rotated->previous_kid), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Dialects, KeySnapshotTest, ::testing::ValuesIn(test::TestDialects()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace bookstore::auth
