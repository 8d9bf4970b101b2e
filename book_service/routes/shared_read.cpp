#include "book_service/routes/shared_read.h"

#include <exception>

#include "common/db/database.h"
#include "common/http/tick.h"

namespace bookstore::book {

http::Middleware SharedReadSnapshot(std::shared_ptr<db::Database> db) {
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
      db::Database& db;
      ~EndRead() { db.EndSharedRead(); }
    } end{*db};
    return next(request);
  };
}

}  // namespace bookstore::book
