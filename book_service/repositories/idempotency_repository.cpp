// IdempotencyRepository (declared in order_repository.h): the stored
// Idempotency-Keys of POST /orders, one cached statement per query.
#include <soci/soci.h>

#include "book_service/repositories/order_repository.h"
#include "common/db/statement_cache.h"

namespace bookstore::book {
namespace {

constexpr const char* kPurgeKeys = "DELETE FROM idempotency_keys WHERE created_at < :cutoff";
constexpr const char* kClaimKey =
    "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, created_at) "
    "VALUES (:user_id, :key, :hash, :now) ON CONFLICT (user_id, idem_key) DO NOTHING";
constexpr const char* kFindKey =
    "SELECT request_hash, status_code, response_body, order_id FROM idempotency_keys "
    "WHERE user_id = :user_id AND idem_key = :key";
constexpr const char* kCompleteKey =
    "UPDATE idempotency_keys SET status_code = :status, response_body = :body, "
    "order_id = :order_id WHERE user_id = :user_id AND idem_key = :key";

// Statements prepared once per connection (db::Cached); each owns its values.
struct PurgeKeysQuery {
  long long cutoff = 0;
  soci::statement st;
  explicit PurgeKeysQuery(soci::session& sql)
      : st((sql.prepare << kPurgeKeys, soci::use(cutoff, "cutoff"))) {}
};

struct ClaimKeyQuery {
  long long user_id = 0, now = 0;
  std::string key, hash;
  soci::statement st;
  explicit ClaimKeyQuery(soci::session& sql)
      : st((sql.prepare << kClaimKey, soci::use(user_id, "user_id"), soci::use(key, "key"),
            soci::use(hash, "hash"), soci::use(now, "now"))) {}
};

struct FindKeyQuery {
  long long user_id = 0, status = 0, order_id = 0;
  std::string key, hash, body;
  soci::indicator status_ind = soci::i_null, body_ind = soci::i_null, order_ind = soci::i_null;
  soci::statement st;
  explicit FindKeyQuery(soci::session& sql)
      : st((sql.prepare << kFindKey, soci::use(user_id, "user_id"), soci::use(key, "key"),
            soci::into(hash), soci::into(status, status_ind), soci::into(body, body_ind),
            soci::into(order_id, order_ind))) {}
};

struct CompleteKeyQuery {
  long long status = 0, order_id = 0, user_id = 0;
  std::string body, key;
  soci::statement st;
  explicit CompleteKeyQuery(soci::session& sql)
      : st((sql.prepare << kCompleteKey, soci::use(status, "status"), soci::use(body, "body"),
            soci::use(order_id, "order_id"), soci::use(user_id, "user_id"),
            soci::use(key, "key"))) {}
};

}  // namespace

void IdempotencyRepository::PurgeBefore(soci::session& sql, int64_t cutoff) {
  db::Cached<PurgeKeysQuery> q(sql);
  q->cutoff = cutoff;
  q->st.execute(true);
}

bool IdempotencyRepository::TryClaim(soci::session& sql, int64_t user_id, const std::string& key,
                                     const std::string& request_hash, int64_t now) {
  db::Cached<ClaimKeyQuery> q(sql);
  q->user_id = user_id;
  q->key = key;
  q->hash = request_hash;
  q->now = now;
  q->st.execute(true);
  return q->st.get_affected_rows() > 0;
}

std::optional<IdempotencyRecord> IdempotencyRepository::Find(soci::session& sql, int64_t user_id,
                                                             const std::string& key) {
  db::Cached<FindKeyQuery> q(sql);
  q->user_id = user_id;
  q->key = key;
  if (!q->st.execute(true)) return std::nullopt;
  IdempotencyRecord rec;
  rec.request_hash = q->hash;
  if (q->status_ind == soci::i_ok) rec.status_code = static_cast<int>(q->status);
  if (q->body_ind == soci::i_ok) rec.response_body = q->body;
  if (q->order_ind == soci::i_ok) rec.order_id = q->order_id;
  return rec;
}

void IdempotencyRepository::Complete(soci::session& sql, int64_t user_id, const std::string& key,
                                     int status, const std::string& body, int64_t order_id) {
  db::Cached<CompleteKeyQuery> q(sql);
  q->status = status;
  q->body = body;
  q->order_id = order_id;
  q->user_id = user_id;
  q->key = key;
  q->st.execute(true);
}

}  // namespace bookstore::book
