// ResultMemo, RowMemo, MemoizedValue, MemoizedCount and MemoizedRowValue: a
// result is reused only inside a read transaction whose data version equals
// the one it was computed at.
#include "common/db/result_memo.h"

#include <cstdint>
#include <optional>

#include "common/db/connection.h"

namespace bookstore::db {
namespace internal {

std::shared_ptr<const void> ResultMemo::Get(std::string_view key, const DataVersion& version) {
  const auto it = index_.find(key);
  if (it == index_.end() || !(it->second->version == version)) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->value;
}

void ResultMemo::Put(std::string_view key, const DataVersion& version,
                     std::shared_ptr<const void> value) {
  if (const auto it = index_.find(key); it != index_.end()) {
    it->second->version = version;
    it->second->value = std::move(value);
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(Item{std::string(key), version, std::move(value)});
  index_.emplace(lru_.front().key, lru_.begin());
  if (lru_.size() > capacity_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

std::shared_ptr<const void> RowMemo::Get(const void* tag, long long id,
                                         const DataVersion& version) const {
  if (slots_.empty()) return nullptr;
  const Slot& slot = slots_[static_cast<size_t>(id) & mask_];
  if (slot.tag != tag || slot.id != id || !(slot.version == version)) return nullptr;
  return slot.value;
}

void RowMemo::Put(const void* tag, long long id, const DataVersion& version,
                  std::shared_ptr<const void> value) {
  if (slots_.empty()) slots_.resize(mask_ + 1);
  Slot& slot = slots_[static_cast<size_t>(id) & mask_];
  slot.tag = tag;
  slot.id = id;
  slot.version = version;
  slot.value = std::move(value);
}

}  // namespace internal

namespace {

using namespace sqlite_api;  // NOLINT: the SQLite C API lives in SOCI's namespace

// Begins a (deferred) read transaction unless one is open; ends the one it
// began on destruction (COMMIT, ROLLBACK when that fails; never throws).
class ReadScope {
 public:
  explicit ReadScope(internal::Connection& c) : c_(c) {
    if (c_.InTransaction()) return;
    c_.begin->Run();
    began_ = true;
  }
  ~ReadScope() {
    if (began_ && c_.InTransaction() && c_.commit->RunNoThrow() != SQLITE_DONE) {
      c_.rollback->RunNoThrow();
    }
  }
  ReadScope(const ReadScope&) = delete;
  ReadScope& operator=(const ReadScope&) = delete;

 private:
  internal::Connection& c_;
  bool began_ = false;
};

// The version of the snapshot of the transaction open on `c`, or nullopt
// when it is a write transaction (which may hold changes it will still roll
// back). A BEGIN that has read nothing yet has no snapshot: reading PRAGMA
// data_version starts it, once per transaction (so a shared read pays it
// once, at its first memoised read). The pager's data version changes when
// a snapshot starts after a commit of any connection.
std::optional<internal::DataVersion> SnapshotVersion(internal::Connection& c) {
  int state = sqlite3_txn_state(c.sqlite, "main");
  if (state == SQLITE_TXN_NONE) {
    c.data_version->QueryInt();
    state = sqlite3_txn_state(c.sqlite, "main");
  }
  if (state != SQLITE_TXN_READ) return std::nullopt;
  internal::DataVersion v;
  sqlite3_file_control(c.sqlite, "main", SQLITE_FCNTL_DATA_VERSION, &v.pager);
  v.total_changes = sqlite3_total_changes64(c.sqlite);
  return v;
}

// `compute(context)`, or the value `get(connection, version)` finds for
// the snapshot's version; a new non-null value is handed to
// `put(connection, version, value)`. The one rule of every memo here.
template <class Get, class Put>
std::shared_ptr<const void> Memoize(soci::session& session, ComputeFunction compute, void* context,
                                    const Get& get, const Put& put) {
  const auto c = internal::FindConnection(session);
  if (!c || c->sqlite == nullptr) return compute(context);
  ReadScope read(*c);
  const auto version = SnapshotVersion(*c);
  if (!version) return compute(context);
  if (auto hit = get(*c, *version)) return hit;
  std::shared_ptr<const void> value = compute(context);
  if (value) put(*c, *version, value);
  return value;
}

}  // namespace

std::shared_ptr<const void> MemoizedValue(soci::session& session, std::string_view key,
                                          ComputeFunction compute, void* context) {
  return Memoize(
      session, compute, context,
      [key](internal::Connection& c, const internal::DataVersion& v) {
        return c.memo->Get(key, v);
      },
      [key](internal::Connection& c, const internal::DataVersion& v,
            std::shared_ptr<const void> value) { c.memo->Put(key, v, std::move(value)); });
}

std::shared_ptr<const void> MemoizedRowValue(soci::session& session, const void* tag, int64_t id,
                                             ComputeFunction compute, void* context) {
  return Memoize(
      session, compute, context,
      [tag, id](internal::Connection& c, const internal::DataVersion& v) {
        return c.rows->Get(tag, id, v);
      },
      [tag, id](internal::Connection& c, const internal::DataVersion& v,
                std::shared_ptr<const void> value) { c.rows->Put(tag, id, v, std::move(value)); });
}

long long MemoizedCount(soci::session& session, std::string_view key, CountFunction count,
                        void* context) {
  struct Call {
    CountFunction count;
    void* context;
  } call{count, context};
  const std::string tagged = "count\n" + std::string(key);
  auto value = MemoizedValue(
      session, tagged,
      [](void* c) -> std::shared_ptr<const void> {
        auto* call = static_cast<Call*>(c);
        return std::make_shared<const long long>(call->count(call->context));
      },
      &call);
  return *static_cast<const long long*>(value.get());
}

}  // namespace bookstore::db
