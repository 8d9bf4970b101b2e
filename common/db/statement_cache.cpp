// StatementCache (an LRU of prepared statements per connection) and the
// Acquire/Release pair behind db::Cached.
#include "common/db/statement_cache.h"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cstdint>
#include <functional>

#include "common/db/connection.h"

namespace bookstore::db {
namespace internal {
namespace {

size_t Hash(const void* type_key, std::string_view sql) {
  return std::hash<std::string_view>()(sql) ^
         (reinterpret_cast<uintptr_t>(type_key) * 0x9E3779B97F4A7C15ull);
}

}  // namespace

StatementCache::StatementCache(bool sqlite, size_t max_by_text)
    : sqlite_(sqlite), max_by_text_(max_by_text) {}

StatementCache::~StatementCache() = default;

StatementCache::Slot* StatementCache::Find(const void* type_key, std::string_view sql) {
  const auto [first, last] = index_.equal_range(Hash(type_key, sql));
  for (auto it = first; it != last; ++it) {
    const auto slot = it->second;
    if (slot->type_key != type_key || slot->sql != sql) continue;
    lru_.splice(lru_.begin(), lru_, slot);  // iterators stay valid
    return &*slot;
  }
  return nullptr;
}

StatementCache::Slot* StatementCache::Insert(const void* type_key, std::string_view sql,
                                             std::unique_ptr<CacheEntry> entry) {
  const size_t hash = Hash(type_key, sql);
  lru_.push_front(Slot{type_key, std::string(sql), hash, std::move(entry), true});
  index_.emplace(hash, lru_.begin());
  if (!sql.empty()) ++by_text_;
  EvictIfFull();
  return &lru_.front();
}

void StatementCache::EvictIfFull() {
  for (auto it = lru_.end(); by_text_ > max_by_text_ && it != lru_.begin();) {
    --it;
    if (it->sql.empty() || it->in_use) continue;
    const auto [first, last] = index_.equal_range(it->hash);
    for (auto i = first; i != last; ++i) {
      if (i->second == it) {
        index_.erase(i);
        break;
      }
    }
    --by_text_;
    it = lru_.erase(it);  // destroys the statement (finalize / DEALLOCATE)
  }
}

void StatementCache::Release(Slot* slot) noexcept {
  if (sqlite_) {
    // SOCI resets a SQLite statement only before its next execution; until
    // then a statement that returned a row keeps its read transaction open.
    auto* backend =
        static_cast<soci::sqlite3_statement_backend*>(slot->entry->Statement().get_backend());
    if (backend != nullptr && backend->stmt_ != nullptr) sqlite_api::sqlite3_reset(backend->stmt_);
  }
  slot->in_use = false;
}

bool StatementCache::Clear() {
  for (const Slot& slot : lru_) {
    if (slot.in_use) return false;
  }
  index_.clear();
  lru_.clear();
  by_text_ = 0;
  return true;
}

Lease Acquire(soci::session& session, const void* type_key, std::string_view sql, MakeEntry make,
              void* args) {
  Lease lease;
  std::shared_ptr<Connection> connection = FindConnection(session);
  if (!connection) return lease;  // not a Database's connection of this thread
  StatementCache& cache = *connection->cache;
  StatementCache::Slot* slot = cache.Find(type_key, sql);
  if (slot != nullptr && slot->in_use) return lease;  // re-entered: the caller makes its own
  if (slot == nullptr) {
    slot = cache.Insert(type_key, sql, make(session, args));
  } else {
    slot->in_use = true;
  }
  lease.entry = slot->entry.get();
  lease.slot = slot;
  lease.connection = std::move(connection);
  return lease;
}

void Release(Lease& lease) noexcept {
  lease.connection->cache->Release(static_cast<StatementCache::Slot*>(lease.slot));
  lease.connection.reset();
}

}  // namespace internal

size_t CachedStatementCount(soci::session& session) {
  const auto connection = internal::FindConnection(session);
  return connection ? connection->cache->size() : 0;
}

}  // namespace bookstore::db
