#pragma once
// Runs repository work and turns a database exception into the service Error
// through the shared mapper (common/db/db_errors.h): Unavailable (503) only
// when the database cannot be reached, Internal (500) otherwise.

#include <string_view>

#include "common/db/db_errors.h"
#include "common/result.h"

namespace bookstore::auth {

template <class F>
auto GuardDb(std::string_view operation, F&& work) -> decltype(work()) {
  try {
    return work();
  } catch (...) {
    return db::MapCurrentException(operation);
  }
}

}  // namespace bookstore::auth
