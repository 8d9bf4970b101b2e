#pragma once
// Prepared statements kept with their connection.
//
//   // Owns its bound storage and one statement `st`, prepared from the
//   // session in the constructor (bound storage declared before `st`).
//   struct FindName {
//     long long id = 0;
//     std::string name;
//     soci::statement st;
//     explicit FindName(soci::session& s)
//         : st((s.prepare << kFindName, soci::use(id, "id"), soci::into(name))) {}
//   };
//
//   db::Cached<FindName> q(session);  // prepared on first use per connection
//   q->id = 42;
//   if (q->st.execute(true)) return q->name;
//
// T is kept by the connection that owns `session` (a Database's connection
// of this thread) and reused by every later Cached<T> on it: one prepare per
// connection instead of one per call (on PostgreSQL one named server-side
// statement). For SQL built at run time, key by its text too:
//
//   db::Cached<PageQuery> q(session, sql_text, extra...);  // T(session, sql_text, extra...)
//
// (at most 64 such entries per connection, least recently used evicted).
//
// The handle's destructor resets the statement (SQLite: sqlite3_reset, so a
// SELECT read only to its first row does not keep a read transaction open).
// When `session` is not a Database's connection of this thread, or the
// entry is in use by an enclosing handle (re-entrancy), the handle holds a
// fresh T of its own instead: correct, just not cached.
//
// Statements stay prepared across transactions and errors; SOCI re-binds the
// values on every execute. A handle must be used on the thread that made it
// and destroyed before its connection closes. Not copyable.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

namespace soci {
class session;
class statement;
}  // namespace soci

namespace bookstore::db {

namespace internal {

struct Connection;

// A cached value with its statement (type-erased T).
class CacheEntry {
 public:
  virtual ~CacheEntry() = default;
  virtual soci::statement& Statement() = 0;
};

template <class T>
class CacheHolder final : public CacheEntry {
 public:
  template <class... Args>
  explicit CacheHolder(Args&&... args) : value(std::forward<Args>(args)...) {}
  soci::statement& Statement() override { return value.st; }
  T value;
};

// Builds the entry on a cache miss (or for a fallback). May throw.
using MakeEntry = std::unique_ptr<CacheEntry> (*)(soci::session& session, void* args);

// An entry lent to one handle.
struct Lease {
  std::shared_ptr<Connection> connection;  // keeps the entry alive
  CacheEntry* entry = nullptr;             // null: not cached, use a fresh T
  void* slot = nullptr;
};

// The entry for (type_key, sql) on `session`'s connection, made with
// `make(session, args)` when missing; an empty Lease for a fallback.
// Throws what `make` throws.
Lease Acquire(soci::session& session, const void* type_key, std::string_view sql, MakeEntry make,
              void* args);
// Resets the entry's statement and lends it again. Never throws.
void Release(Lease& lease) noexcept;

template <class T>
inline constexpr char kTypeKey = 0;

}  // namespace internal

template <class T>
class Cached {
 public:
  // A statement with fixed SQL, keyed by T alone; made as T(session).
  explicit Cached(soci::session& session) {
    Init(session, std::string_view(), &MakeFixed, nullptr);
  }
  // A statement of run-time SQL, keyed by T and `sql`; made as
  // T(session, sql, extra...) (`extra` is used only then).
  template <class... Extra>
  Cached(soci::session& session, const std::string& sql, Extra&&... extra) {
    auto args = std::forward_as_tuple(sql, std::forward<Extra>(extra)...);
    Init(session, sql, &MakeWith<decltype(args)>, &args);
  }
  ~Cached() {
    if (lease_.entry != nullptr) internal::Release(lease_);
  }
  Cached(const Cached&) = delete;
  Cached& operator=(const Cached&) = delete;

  T* operator->() { return value_; }
  T& operator*() { return *value_; }
  // True when the value is the connection's (false: a fresh one of this handle).
  bool cached() const { return lease_.entry != nullptr; }

 private:
  static std::unique_ptr<internal::CacheEntry> MakeFixed(soci::session& session, void*) {
    return std::make_unique<internal::CacheHolder<T>>(session);
  }
  template <class Args>
  static std::unique_ptr<internal::CacheEntry> MakeWith(soci::session& session, void* args) {
    return std::apply(
        [&session](auto&&... a) {
          return std::make_unique<internal::CacheHolder<T>>(session, a...);
        },
        *static_cast<Args*>(args));
  }
  void Init(soci::session& session, std::string_view sql, internal::MakeEntry make, void* args) {
    lease_ = internal::Acquire(session, &internal::kTypeKey<T>, sql, make, args);
    internal::CacheEntry* entry = lease_.entry;
    if (entry == nullptr) {
      owned_ = make(session, args);
      entry = owned_.get();
    }
    value_ = &static_cast<internal::CacheHolder<T>*>(entry)->value;
  }

  internal::Lease lease_;
  std::unique_ptr<internal::CacheEntry> owned_;  // fallback only
  T* value_ = nullptr;
};

// Number of statements cached on `session`'s connection (0 when it is not a
// Database's connection of this thread). For tests and diagnostics.
size_t CachedStatementCount(soci::session& session);

}  // namespace bookstore::db
