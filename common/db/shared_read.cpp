#include "common/db/shared_read.h"

#include <exception>

#include "common/db/database.h"
#include "common/http/tick.h"

namespace bookstore::db {

bool ReadsInline(const Database& db) { return db.dialect() == Dialect::kSqlite; }

http::RouteOptions ReadOnlyRoute(const std::shared_ptr<Database>& db,
                                 std::vector<http::Middleware> middleware) {
  http::RouteOptions options;
  if (!db || !ReadsInline(*db)) {
    options.blocking = true;
    options.middleware = std::move(middleware);
    return options;
  }
  options.middleware.reserve(middleware.size() + 1);
  options.middleware.push_back(SharedReadSnapshot(db));
  for (auto& m : middleware) options.middleware.push_back(std::move(m));
  return options;
}

http::Middleware SharedReadSnapshot(std::shared_ptr<Database> db) {
  return [db = std::move(db)](http::Request& request, const http::Handler& next) {
    bool opened = false;
    try {
      opened = db->BeginSharedRead();
    } catch (const std::exception&) {
      // No snapshot: the handler's own reads meet (and report) the failure.
    }
    if (!opened || http::AtEndOfTick([db] { db->EndSharedRead(); })) return next(request);
    // Not on an io thread: the snapshot ends with this request.
    struct EndRead {
      Database& db;
      ~EndRead() { db.EndSharedRead(); }
    } end{*db};
    return next(request);
  };
}

}  // namespace bookstore::db
