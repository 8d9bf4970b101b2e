#pragma once
// The rendering (e.g. JSON text) of an immutable shared value, made once per
// thread and reused while the same object, by identity, comes back with the
// same variant. The memoised pages of common/db/result_memo.h are one
// object until the database changes, so a page asked for again between
// writes is not serialised again (bench/README.md: LIST20).
//
// Keeps the last 8 values rendered on this thread alive. Thread-safe (each
// thread has its own entries).

#include <functional>
#include <memory>
#include <string>

namespace bookstore::book {

// `render()`, or what it returned for `value` and `variant` before on this
// thread. `render` must depend on nothing but `value` and `variant`.
std::string RenderOnce(std::shared_ptr<const void> value, int variant,
                       const std::function<std::string()>& render);

}  // namespace bookstore::book
