#include "auth_service/repositories/token_repository.h"

#include <soci/soci.h>

#include "common/db/statement_cache.h"

namespace bookstore::auth::token_repo {
namespace {

constexpr const char* kInsertFamily =
    "INSERT INTO token_families (id, code_hash, client_id, user_id, created_at, auth_time, sid) "
    "VALUES (:id, :code_hash, :client_id, :user_id, :created_at, :auth_time, :sid)";
constexpr const char* kFamilyByCode = "SELECT id FROM token_families WHERE code_hash = :code_hash";
constexpr char kRevokeFamily[] =
    "UPDATE token_families SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL";
constexpr char kRevokeFamilyRefresh[] =
    "UPDATE refresh_tokens SET revoked_at = :now WHERE family_id = :id AND revoked_at IS NULL";
constexpr char kRevokeFamilyAccess[] =
    "UPDATE access_tokens SET revoked_at = :now WHERE family_id = :id AND revoked_at IS NULL";

constexpr const char* kInsertRefresh =
    "INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, expires_at, "
    "created_at) VALUES (:token_hash, :family_id, :client_id, :user_id, :scope, :expires_at, "
    ":created_at)";
constexpr const char* kFindRefresh =
    "SELECT r.family_id, r.client_id, r.user_id, r.scope, r.expires_at, r.used_at, "
    "r.revoked_at, r.created_at, f.revoked_at, f.auth_time, f.sid FROM refresh_tokens r "
    "JOIN token_families f ON f.id = r.family_id WHERE r.token_hash = :token_hash";
constexpr const char* kMarkRefreshUsed =
    "UPDATE refresh_tokens SET used_at = :now WHERE token_hash = :token_hash "
    "AND used_at IS NULL AND revoked_at IS NULL";

constexpr const char* kInsertAccess =
    "INSERT INTO access_tokens (jti, family_id, client_id, user_id, expires_at, created_at) "
    "VALUES (:jti, :family_id, :client_id, :user_id, :expires_at, :created_at)";
constexpr const char* kFindAccess =
    "SELECT a.family_id, a.client_id, a.user_id, a.expires_at, a.revoked_at, a.created_at, "
    "f.revoked_at FROM access_tokens a LEFT JOIN token_families f ON f.id = a.family_id "
    "WHERE a.jti = :jti";
constexpr const char* kRevokeAccess =
    "UPDATE access_tokens SET revoked_at = :now WHERE jti = :jti AND revoked_at IS NULL";

constexpr const char* kDeleteExpiredAccess = "DELETE FROM access_tokens WHERE expires_at < :before";
constexpr const char* kDeleteExpiredRefresh =
    "DELETE FROM refresh_tokens WHERE expires_at < :before";

long long OrZero(long long v, soci::indicator ind) { return ind == soci::i_ok ? v : 0; }

// Statements of the code exchange and refresh rotation, prepared once per
// connection (db::Cached); each owns its values.
struct InsertFamilyQuery {
  std::string id, code_hash, client_id, sid;
  soci::indicator code_ind = soci::i_ok, auth_time_ind = soci::i_ok, sid_ind = soci::i_ok;
  long long user_id = 0, now = 0, auth_time = 0;
  soci::statement st;
  explicit InsertFamilyQuery(soci::session& s)
      : st((s.prepare << kInsertFamily, soci::use(id, "id"),
            soci::use(code_hash, code_ind, "code_hash"), soci::use(client_id, "client_id"),
            soci::use(user_id, "user_id"), soci::use(now, "created_at"),
            soci::use(auth_time, auth_time_ind, "auth_time"), soci::use(sid, sid_ind, "sid"))) {}
};

struct FamilyByCodeQuery {
  std::string code_hash, id;
  soci::statement st;
  explicit FamilyByCodeQuery(soci::session& s)
      : st((s.prepare << kFamilyByCode, soci::use(code_hash, "code_hash"), soci::into(id))) {}
};

// One of the kRevokeFamily* statements (`kSql`: UPDATE ... :now ... :id).
template <const char* kSql>
struct RevokeQuery {
  std::string family_id;
  long long now = 0;
  soci::statement st;
  explicit RevokeQuery(soci::session& s)
      : st((s.prepare << kSql, soci::use(now, "now"), soci::use(family_id, "id"))) {}
};

template <const char* kSql>
void Revoke(soci::session& s, const std::string& family_id, int64_t now) {
  db::Cached<RevokeQuery<kSql>> q(s);
  q->family_id = family_id;
  q->now = now;
  q->st.execute(true);
}

struct InsertRefreshQuery {
  RefreshRecord t;
  long long user_id = 0, expires = 0, created = 0;
  soci::statement st;
  explicit InsertRefreshQuery(soci::session& s)
      : st((s.prepare << kInsertRefresh, soci::use(t.token_hash, "token_hash"),
            soci::use(t.family_id, "family_id"), soci::use(t.client_id, "client_id"),
            soci::use(user_id, "user_id"), soci::use(t.scope, "scope"),
            soci::use(expires, "expires_at"), soci::use(created, "created_at"))) {}
};

struct FindRefreshQuery {
  std::string token_hash;
  RefreshRecord t;
  long long user_id = 0, expires = 0, used = 0, revoked = 0, created = 0, family_revoked = 0,
            auth_time = 0;
  soci::indicator used_ind = soci::i_ok, revoked_ind = soci::i_ok, family_ind = soci::i_ok,
                  auth_time_ind = soci::i_ok, sid_ind = soci::i_ok;
  soci::statement st;
  explicit FindRefreshQuery(soci::session& s)
      : st((s.prepare << kFindRefresh, soci::use(token_hash, "token_hash"), soci::into(t.family_id),
            soci::into(t.client_id), soci::into(user_id), soci::into(t.scope), soci::into(expires),
            soci::into(used, used_ind), soci::into(revoked, revoked_ind), soci::into(created),
            soci::into(family_revoked, family_ind), soci::into(auth_time, auth_time_ind),
            soci::into(t.family_sid, sid_ind))) {}
};

struct MarkRefreshUsedQuery {
  std::string token_hash;
  long long now = 0;
  soci::statement st;
  explicit MarkRefreshUsedQuery(soci::session& s)
      : st((s.prepare << kMarkRefreshUsed, soci::use(now, "now"),
            soci::use(token_hash, "token_hash"))) {}
};

struct InsertAccessQuery {
  AccessRecord t;
  soci::indicator family_ind = soci::i_ok;
  long long user_id = 0, expires = 0, created = 0;
  soci::statement st;
  explicit InsertAccessQuery(soci::session& s)
      : st((s.prepare << kInsertAccess, soci::use(t.jti, "jti"),
            soci::use(t.family_id, family_ind, "family_id"), soci::use(t.client_id, "client_id"),
            soci::use(user_id, "user_id"), soci::use(expires, "expires_at"),
            soci::use(created, "created_at"))) {}
};

}  // namespace

void InsertFamily(soci::session& s, const std::string& family_id, const std::string& code_hash,
                  const std::string& client_id, int64_t user_id, int64_t now,
                  const FamilyIdentity& identity) {
  db::Cached<InsertFamilyQuery> q(s);
  q->auth_time = identity.auth_time;
  q->auth_time_ind = identity.auth_time == 0 ? soci::i_null : soci::i_ok;
  q->sid = identity.sid;
  q->sid_ind = identity.sid.empty() ? soci::i_null : soci::i_ok;
  q->id = family_id;
  q->code_hash = code_hash;
  q->code_ind = code_hash.empty() ? soci::i_null : soci::i_ok;
  q->client_id = client_id;
  q->user_id = user_id;
  q->now = now;
  q->st.execute(true);
}

std::optional<std::string> FindFamilyByCode(soci::session& s, const std::string& code_hash) {
  db::Cached<FamilyByCodeQuery> q(s);
  q->code_hash = code_hash;
  if (!q->st.execute(true)) return std::nullopt;
  return q->id;
}

void RevokeFamily(soci::session& s, const std::string& family_id, int64_t now) {
  Revoke<kRevokeFamily>(s, family_id, now);
  Revoke<kRevokeFamilyRefresh>(s, family_id, now);
  Revoke<kRevokeFamilyAccess>(s, family_id, now);
}

void InsertRefresh(soci::session& s, const RefreshRecord& t) {
  db::Cached<InsertRefreshQuery> q(s);
  q->t = t;
  q->user_id = t.user_id;
  q->expires = t.expires_at;
  q->created = t.created_at;
  q->st.execute(true);
}

std::optional<RefreshRecord> FindRefresh(soci::session& s, const std::string& token_hash) {
  db::Cached<FindRefreshQuery> q(s);
  q->token_hash = token_hash;
  if (!q->st.execute(true)) return std::nullopt;
  RefreshRecord t = q->t;
  t.token_hash = token_hash;
  t.user_id = q->user_id;
  t.expires_at = q->expires;
  t.used_at = OrZero(q->used, q->used_ind);
  t.revoked_at = OrZero(q->revoked, q->revoked_ind);
  t.created_at = q->created;
  t.family_revoked_at = OrZero(q->family_revoked, q->family_ind);
  t.family_auth_time = OrZero(q->auth_time, q->auth_time_ind);
  if (q->sid_ind != soci::i_ok) t.family_sid.clear();
  return t;
}

bool MarkRefreshUsed(soci::session& s, const std::string& token_hash, int64_t now) {
  db::Cached<MarkRefreshUsedQuery> q(s);
  q->now = now;
  q->token_hash = token_hash;
  q->st.execute(true);
  return q->st.get_affected_rows() == 1;
}

void InsertAccess(soci::session& s, const AccessRecord& t) {
  db::Cached<InsertAccessQuery> q(s);
  q->t = t;
  q->family_ind = t.family_id.empty() ? soci::i_null : soci::i_ok;
  q->user_id = t.user_id;
  q->expires = t.expires_at;
  q->created = t.created_at;
  q->st.execute(true);
}

namespace {

// Every bearer check reads it (introspection, userinfo, revocation).
struct FindAccessQuery {
  std::string jti;
  AccessRecord t;
  long long uid = 0, expires = 0, revoked = 0, created = 0, family_revoked = 0;
  soci::indicator family_id_ind = soci::i_ok, revoked_ind = soci::i_ok, family_ind = soci::i_ok;
  soci::statement st;
  explicit FindAccessQuery(soci::session& s)
      : st((s.prepare << kFindAccess, soci::use(jti, "jti"), soci::into(t.family_id, family_id_ind),
            soci::into(t.client_id), soci::into(uid), soci::into(expires),
            soci::into(revoked, revoked_ind), soci::into(created),
            soci::into(family_revoked, family_ind))) {}
};

}  // namespace

std::optional<AccessRecord> FindAccess(soci::session& s, const std::string& jti) {
  db::Cached<FindAccessQuery> q(s);
  q->jti = jti;
  if (!q->st.execute(true)) return std::nullopt;
  AccessRecord t = q->t;
  t.jti = jti;
  if (q->family_id_ind != soci::i_ok) t.family_id.clear();
  t.user_id = q->uid;
  t.expires_at = q->expires;
  t.revoked_at = OrZero(q->revoked, q->revoked_ind);
  t.created_at = q->created;
  t.family_revoked_at = OrZero(q->family_revoked, q->family_ind);
  return t;
}

void RevokeAccess(soci::session& s, const std::string& jti, int64_t now) {
  const long long at = now;
  s << kRevokeAccess, soci::use(at, "now"), soci::use(jti, "jti");
}

void DeleteExpired(soci::session& s, int64_t before) {
  const long long b = before;
  s << kDeleteExpiredAccess, soci::use(b, "before");
  s << kDeleteExpiredRefresh, soci::use(b, "before");
}

}  // namespace bookstore::auth::token_repo
