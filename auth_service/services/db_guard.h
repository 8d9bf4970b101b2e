#pragma once
// Runs repository work and turns database exceptions into an Unavailable
// Error, logging one generic line (never SQL text, values or tokens).

#include <exception>
#include <string>
#include <string_view>

#include "common/logging.h"
#include "common/result.h"

namespace bookstore::auth {

template <class F>
auto GuardDb(std::string_view operation, F&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const std::exception&) {
    logging::Error("database error during " + std::string(operation));
    return Error::Unavailable("the database is not available; try again later");
  }
}

}  // namespace bookstore::auth
