#pragma once
// The database options an operator's configuration asks for: URL,
// synchronous level, pipelined commits (BOOKSTORE_SQLITE_PIPELINE).

#include "common/db/database.h"

namespace bookstore {
struct CommonConfig;
}

namespace bookstore::db {

DbOptions DbOptionsFrom(const CommonConfig& config);

}  // namespace bookstore::db
