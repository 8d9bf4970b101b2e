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

TEST(ReadOnlyRouteTest, InlineWithTheSnapshotFirstOnSqlite) {
  test::TestDatabase database("sqlite");
  auto db = database.OpenMigrated();
  EXPECT_TRUE(ReadsInline(*db));
  bool seen_open = false;
  http::Middleware probe = [&](http::Request& r, const http::Handler& next) {
    seen_open = !db->BeginSharedRead();  // false: the route's snapshot is open
    return next(r);
  };
  auto options = ReadOnlyRoute(db, {probe});
  EXPECT_FALSE(options.blocking);
  ASSERT_EQ(options.middleware.size(), 2u);
  http::Request request;
  options.middleware[0](request, [&](http::Request& r) {
    return options.middleware[1](r, [](http::Request&) { return http::Response::NoContent(); });
  });
  EXPECT_TRUE(seen_open);
}

TEST(ReadOnlyRouteTest, OnTheWorkerPoolOnPostgresqlOrWithoutADatabase) {
  // Open only parses the URL; nothing connects.
  DbOptions options;
  options.url = "postgresql://nobody@127.0.0.1:1/none";
  auto pg = Database::Open(options);
  EXPECT_FALSE(ReadsInline(*pg));
  http::Middleware noop = [](http::Request& r, const http::Handler& next) { return next(r); };
  auto on_pg = ReadOnlyRoute(pg, {noop});
  EXPECT_TRUE(on_pg.blocking);
  EXPECT_EQ(on_pg.middleware.size(), 1u);
  auto without = ReadOnlyRoute(nullptr);
  EXPECT_TRUE(without.blocking);
  EXPECT_TRUE(without.middleware.empty());
}

}  // namespace
}  // namespace bookstore::db
