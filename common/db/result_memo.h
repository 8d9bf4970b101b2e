#pragma once
// A memo of query results per connection: COUNT(*) totals of paginated
// lists, whole pages of rows, and single rows by id.
//
//   long long total = db::MemoizedCount(session, key, [&] { return RunCount(); });
//   std::shared_ptr<const Page> page =
//       db::Memoized<Page>(session, key, [&] { return RunPageQueries(); });
//   std::shared_ptr<const Book> book =  // null: no such row
//       db::MemoizedRow<Book>(session, &kFindBook, id, [&] { return FindBook(id); });
//
// On SQLite, when `session` is a Database's connection of this thread, the
// result of `count` (`compute`) for the same `key` (a tag naming what is
// computed, the SQL text and its bound values: everything the result
// depends on) is reused while the database is unchanged: nothing committed by any
// connection (SQLITE_FCNTL_DATA_VERSION of the snapshot) and no row
// changed by this one (sqlite3_total_changes64) since it was stored. The
// check and the count run in one read transaction: the open one (a shared
// read, see Database::BeginSharedRead), or else one begun and ended here.
// A transaction that has read nothing yet gets its snapshot from one step
// of PRAGMA data_version, so a shared read pays that once, at its first
// memoised read; every other check is two calls into SQLite.
// Inside a write transaction, on PostgreSQL, or for another session it
// just runs `count`. At most 32 results per connection (counts and pages
// together, least recently used dropped).
//
// MemoizedRow is the same for point reads, keyed by a tag (the address of
// a constant naming the query) and an id instead of a text: a table of
// 16,384 rows per connection where a row takes the slot of its id (ids
// that share a slot replace each other), so that a hit costs a few
// comparisons. `compute` returns the row, or null when there is none (not
// memoised: an absent row is read again).
//
// Throws what `count` throws, and soci::soci_error when the read
// transaction cannot begin. Use on the connection's thread only.

#include <cstdint>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>

namespace soci {
class session;
}

namespace bookstore::db {

using CountFunction = long long (*)(void* context);
using ComputeFunction = std::shared_ptr<const void> (*)(void* context);

std::shared_ptr<const void> MemoizedValue(soci::session& session, std::string_view key,
                                          ComputeFunction compute, void* context);

long long MemoizedCount(soci::session& session, std::string_view key, CountFunction count,
                        void* context);

template <class F>
long long MemoizedCount(soci::session& session, std::string_view key, F&& count) {
  using Fn = std::remove_reference_t<F>;
  return MemoizedCount(
      session, key, [](void* c) -> long long { return (*static_cast<Fn*>(c))(); },
      static_cast<void*>(&count));
}

// The value `compute()` returns (a T), memoised as above. Shared, so a
// result stays valid for its holder however the memo changes.
template <class T, class F>
std::shared_ptr<const T> Memoized(soci::session& session, std::string_view key, F&& compute) {
  using Fn = std::remove_reference_t<F>;
  auto value = MemoizedValue(
      session, key,
      [](void* c) -> std::shared_ptr<const void> {
        return std::make_shared<const T>((*static_cast<Fn*>(c))());
      },
      static_cast<void*>(&compute));
  return std::static_pointer_cast<const T>(std::move(value));
}

std::shared_ptr<const void> MemoizedRowValue(soci::session& session, const void* tag, int64_t id,
                                             ComputeFunction compute, void* context);

// The row `compute()` returns (a std::shared_ptr<const T>, null for none),
// memoised as above.
template <class T, class F>
std::shared_ptr<const T> MemoizedRow(soci::session& session, const void* tag, int64_t id,
                                     F&& compute) {
  using Fn = std::remove_reference_t<F>;
  auto value = MemoizedRowValue(
      session, tag, id,
      [](void* c) -> std::shared_ptr<const void> {
        return std::shared_ptr<const T>((*static_cast<Fn*>(c))());
      },
      static_cast<void*>(&compute));
  return std::static_pointer_cast<const T>(std::move(value));
}

}  // namespace bookstore::db
