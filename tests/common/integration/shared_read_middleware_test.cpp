// The shared read snapshot middleware of the inline read routes, called
// directly (off an io thread, so the snapshot covers one request).
#include <gtest/gtest.h>

#include "common/db/database.h"
#include "common/db/shared_read.h"
#include "tests/support/test_env.h"

namespace bookstore::db {
namespace {

TEST(SharedReadSnapshotTest, OffAnIoThreadTheSnapshotCoversTheOneRequest) {
  test::TestDatabase database("sqlite");
  auto db = database.OpenMigrated();
  http::Middleware snapshot = SharedReadSnapshot(db);
  bool open_inside = false;
  http::Request request;
  snapshot(request, [&](http::Request&) {
    open_inside = !db->BeginSharedRead();  // false: the middleware's one is open
    return http::Response::NoContent();
  });
  EXPECT_TRUE(open_inside);
  EXPECT_TRUE(db->BeginSharedRead()) << "the snapshot outlived its request";
  db->EndSharedRead();
}

TEST(SharedReadSnapshotTest, EndsTheSnapshotWhenTheHandlerThrows) {
  test::TestDatabase database("sqlite");
  auto db = database.OpenMigrated();
  http::Middleware snapshot = SharedReadSnapshot(db);
  http::Request request;
  EXPECT_THROW(
      snapshot(request, [](http::Request&) -> http::Response { throw std::runtime_error("x"); }),
      std::runtime_error);
  EXPECT_TRUE(db->BeginSharedRead());
  db->EndSharedRead();
}

}  // namespace
}  // namespace bookstore::db
