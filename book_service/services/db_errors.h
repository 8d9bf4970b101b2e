#pragma once
// Maps an exception thrown by the database layer to the service Error,
// logging a short line (no SQL, no values). Call only inside a catch block.

#include <functional>
#include <optional>
#include <string_view>

#include "book_service/repositories/sql_util.h"
#include "common/errors.h"

namespace bookstore::book {

// `on_violation` turns an integrity-constraint violation into a client
// error (e.g. 409 for a duplicate); without it, or when it returns nullopt,
// violations are internal errors. Connection and other database failures
// are Unavailable (503); anything else Internal.
Error MapCurrentException(std::string_view operation,
                          const std::function<std::optional<Error>(Violation)>& on_violation = {});

}  // namespace bookstore::book
